"""A broker outage delays reactions and loses none (ARCHITECTURE.md, rules of the house).

With the broker unreachable for the web process (a real TCP proxy on the loopback
interface, stopped: connections closed, new ones refused), an agent's reply, a solve, an
order delivery and an inbound webhook each answer at once and commit their rows; no task
reaches the broker. Once it is back, the beat sweeps (run as tasks by a real worker)
catch up: the reply is sent once, each survey is scheduled and sent once, the inbound
mail becomes a ticket, and sweeping again changes nothing. A broker that takes the
connection and never answers holds a write for the broker socket timeout, no longer.
"""

from __future__ import annotations

import base64
import contextlib
import logging
import os
import socket
import subprocess
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import pytest
import redis
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from kombu import pools
from kombu.utils.collections import eqhash

from customers.models import Order
from customers.tests.factories import OrderFactory
from messaging.models import InboundPayload, OutboxMessage
from surveys.models import SurveyInvitation
from surveys.tests.helpers import customer_with_email, no_delay
from tests.admin_forms import admin_form_data
from tests.netproxy import TcpProxy
from tests.processes import celery_start, celery_stop, celery_wait_ready
from tickets.models import Message, Ticket
from tickets.tests.email_helpers import FIXTURES
from tickets.tests.factories import MessageFactory, TicketFactory, make_agent

QUEUES = ["default", "inbound", "outbound"]
REQUEST_BUDGET_SECONDS = 5.0
WEBHOOK_SECRET = "hook:s3cret"


# --- helpers ------------------------------------------------------------------------------


@contextlib.contextmanager
def celery_app_through(url: str) -> Iterator[None]:
    """Point this process's Celery app at ``url`` for broker and result store (one Redis,
    as in every deployment of ours); put the app back as it was afterwards.

    The app caches its broker connection pool (``app._pool``), the producer pool built on
    it (``app.amqp._producer_pool``) and its result backend; all three are dropped so the
    next publish connects to ``url``, and the pools opened there are closed at the end.
    """
    from helpdesk.celery import app

    conf = app.conf
    saved_urls = {"broker_url": conf.broker_url, "result_backend": conf.result_backend}
    saved_pool, saved_producers, saved_backend = app._pool, app.amqp._producer_pool, app._backend

    def forget() -> None:
        app._pool = None
        app.amqp._producer_pool = None
        app._backend_cache = None
        app._local.backend = None

    conf.broker_url = conf.result_backend = url
    forget()
    assert conf.broker_write_url == url, "CELERY_BROKER_URL in the environment wins"
    try:
        yield
    finally:
        through_proxy = app.connection_for_write()
        for group in (pools.producers, pools.connections):
            if eqhash(through_proxy) in group:
                with contextlib.suppress(Exception):
                    group[through_proxy].force_close_all()
                del group[through_proxy]
        backend = app._backend
        if backend is not None and backend is not saved_backend:
            with contextlib.suppress(Exception):
                backend.result_consumer.stop()
                backend.client.connection_pool.disconnect()
        conf.update(saved_urls)
        forget()
        app._pool, app.amqp._producer_pool = saved_pool, saved_producers
        if saved_backend is not None:
            app._backend = saved_backend


def queued_tasks(redis_url: str) -> dict[str, int]:
    """Task messages waiting in the product's queues, read from Redis itself."""
    client = redis.Redis.from_url(redis_url)
    try:
        return {queue: client.llen(queue) for queue in QUEUES}
    finally:
        client.close()


def purge_queues() -> None:
    """Drop task messages that tests without a worker left behind (their rows are gone)."""
    from helpdesk.celery import app

    with app.connection_for_write() as connection:
        for queue in QUEUES:
            connection.default_channel.queue_purge(queue)


def start_worker(*, record: Path, log: Path) -> tuple[subprocess.Popen, str]:
    """A real worker on the product's queues, connected to Redis directly (the outage is
    the web process's), whose 'ESP' records every accepted send in ``record``. Queued rows
    count as stale at once, so its outbox sweep need not wait a minute."""
    from django.conf import settings

    hostname = f"outage-{os.getpid()}@{socket.gethostname()}"
    process = celery_start(
        ["worker", "--pool", "solo", "-Q", ",".join(QUEUES), "-n", hostname], log=log,
        TEST_REDIS_URL=settings.REDIS_URL,
        TEST_EMAIL_BACKEND="messaging.tests.backends.RecordingBackend",
        OUTBOX_TEST_RECORD=str(record), OUTBOX_TEST_SEND_DELAY="0",
        OUTBOX_QUEUED_STALE_SECONDS="0",
    )  # fmt: skip
    celery_wait_ready(process, hostname=hostname, log=log)
    return process, hostname


def wait_idle(hostname: str, redis_url: str) -> None:
    """Until the worker runs nothing, holds nothing and nothing waits in its queues."""
    from helpdesk.celery import app

    def idle() -> bool:
        inspect = app.control.inspect(destination=[hostname], timeout=1, limit=1)
        busy = [*(inspect.active() or {}).get(hostname, [None]),
                *(inspect.reserved() or {}).get(hostname, [None])]  # fmt: skip
        return not busy and not any(queued_tasks(redis_url).values())

    wait_for(idle)


def sends(record: Path) -> Counter[str]:
    """How often the ESP accepted each Message-ID."""
    return Counter(record.read_text().split() if record.exists() else [])


def wait_for(condition, timeout: float = 60.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if result := condition():
            return result
        time.sleep(0.2)
    raise AssertionError("condition not met in time")


def timed(label: str, call):
    started = time.monotonic()
    response = call()
    seconds = time.monotonic() - started
    print(f"broker down: {label} answered {response.status_code} in {seconds:.3f} s")
    return response, seconds


def run_sweeps() -> dict[str, int]:
    """What beat runs every minute or so, as tasks through the broker: the worker runs
    each one and answers how many rows it queued or scheduled."""
    from messaging.tasks import inbound_sweep, outbox_sweep
    from surveys.tasks import survey_send_due, surveys_schedule_missed

    order = [outbox_sweep, surveys_schedule_missed, inbound_sweep, survey_send_due]
    return {task.name.rsplit(".", 1)[1]: task.delay().get(timeout=60) for task in order}


# --- the test -----------------------------------------------------------------------------


@pytest.fixture
def broker_proxy(settings) -> Iterator[TcpProxy]:
    """The test process's broker, reached through a proxy the test can take down."""
    real = urlsplit(settings.REDIS_URL)
    purge_queues()
    proxy = TcpProxy((real.hostname, real.port)).start()
    try:
        with celery_app_through(proxy.url(path=real.path)):
            yield proxy
    finally:
        proxy.stop()


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_with_the_broker_down_writes_succeed_and_every_reaction_happens_once_it_is_back(
    broker_proxy, client, settings, tmp_path, caplog
):
    from helpdesk.celery import app

    settings.ANYMAIL = {"WEBHOOK_SECRET": WEBHOOK_SECRET}
    no_delay()  # surveys are due as soon as they are scheduled
    boss = make_agent(username="boss", role="admin").user
    client.force_login(boss)
    ticket = TicketFactory(customer=customer_with_email(email="kim@example.com"),
                           status=Ticket.Status.OPEN)  # fmt: skip
    MessageFactory(ticket=ticket, external_id="<kettle-1@example.com>")
    order = OrderFactory(customer=customer_with_email(email="lee@example.com"))
    order_url = reverse("admin:customers_order_change", args=[order.pk])
    order_form = admin_form_data(client, order_url)
    # The admin reads times in the signed-in staff member's own time zone.
    delivered = timezone.localtime(timezone=ZoneInfo(boss.agent_profile.time_zone)) - timedelta(
        minutes=1
    )
    order_form |= {"delivered_at_0": delivered.strftime("%Y-%m-%d"),
                   "delivered_at_1": delivered.strftime("%H:%M:%S")}  # fmt: skip
    webhook = (FIXTURES / "webhooks" / "postmark_inbound.json").read_text()
    auth = "Basic " + base64.b64encode(WEBHOOK_SECRET.encode()).decode()

    # The web process holds a live broker connection when the broker goes away.
    with app.connection_or_acquire() as connection:
        connection.ensure_connection(max_retries=1)
    assert broker_proxy.accepted >= 1
    broker_proxy.stop()

    caplog.set_level(logging.WARNING, logger="core.reactions")
    reply, reply_seconds = timed("reply", lambda: client.post(
        reverse("tickets:reply", args=[ticket.pk]),
        {"body": "A new kettle is on its way.", "visibility": "public",
         "composer_token": str(uuid.uuid4())},
    ))  # fmt: skip
    solve, solve_seconds = timed("solve", lambda: client.post(
        reverse("tickets:update", args=[ticket.pk]), {"status": "solved"}
    ))  # fmt: skip
    delivery, delivery_seconds = timed("delivery", lambda: client.post(order_url, order_form))
    inbound, inbound_seconds = timed("webhook", lambda: client.post(
        "/anymail/postmark/inbound/", webhook, content_type="application/json",
        HTTP_AUTHORIZATION=auth,
    ))  # fmt: skip

    assert (reply.status_code, solve.status_code, delivery.status_code,
            inbound.status_code) == (200, 302, 302, 200)  # fmt: skip
    for seconds in (reply_seconds, solve_seconds, delivery_seconds, inbound_seconds):
        assert seconds < REQUEST_BUDGET_SECONDS
    # Every write committed ...
    message = Message.objects.get(ticket=ticket, direction=Message.Direction.OUTBOUND)
    assert message.body_text == "A new kettle is on its way."
    reply_row = OutboxMessage.objects.get(message_id=message.pk)
    assert (reply_row.kind, reply_row.state) == ("reply", OutboxMessage.State.QUEUED)
    ticket.refresh_from_db()
    assert ticket.status == Ticket.Status.SOLVED
    order.refresh_from_db()
    assert (order.status, order.delivered_at) == (
        Order.Status.DELIVERED, delivered.replace(microsecond=0),
    )  # fmt: skip
    payload = InboundPayload.objects.get()
    assert payload.state == InboundPayload.State.RECEIVED
    # ... and no reaction reached the broker: each one was refused and left to a sweep.
    assert queued_tasks(settings.REDIS_URL) == dict.fromkeys(QUEUES, 0)
    refused = Counter(
        record.getMessage().split("{")[0].removeprefix("could not queue ")
        for record in caplog.records
        if record.name == "core.reactions"
    )
    # The dashboards' refresh is woken at most once in two seconds whatever the events:
    # whether it was refused here depends on the pace of the test (its sweep is tested
    # in reports/tests/test_worker_refresh.py).
    refused.pop("reports.tasks.reports_refresh", None)
    assert refused == {
        "messaging.tasks.outbox_dispatch": 1, "surveys.tasks.survey_schedule_csat": 1,
        "surveys.tasks.survey_schedule_nps": 1, "messaging.tasks.inbound_parse": 1,
    }  # fmt: skip
    assert not SurveyInvitation.objects.exists()

    # The broker is back (same address), and a worker runs what beat would.
    broker_proxy.start()
    # The outage outlasted the inbound sweep's window (five minutes).
    InboundPayload.objects.update(received_at=F("received_at") - timedelta(minutes=10))
    record = tmp_path / "sent.txt"
    worker, hostname = start_worker(record=record, log=tmp_path / "worker.log")
    try:
        first = run_sweeps()
        assert first == {"outbox_sweep": 1, "surveys_schedule_missed": 2, "inbound_sweep": 1,
                         "survey_send_due": 2}  # fmt: skip
        # The reply, both surveys and the acknowledgement of the inbound mail go out.
        wait_for(lambda: OutboxMessage.objects.filter(state=OutboxMessage.State.SENT).count() == 4
                 and sum(sends(record).values()) == 4)  # fmt: skip

        second = run_sweeps()  # beat keeps sweeping: nothing is left to do
        wait_idle(hostname, settings.REDIS_URL)
    finally:
        celery_stop(worker)

    assert second == dict.fromkeys(second, 0)
    rows = OutboxMessage.objects.order_by("pk")
    assert sorted(rows.values_list("kind", flat=True)) == [
        "ack", "reply", "survey_csat", "survey_nps",
    ]  # fmt: skip
    assert set(rows.values_list("state", flat=True)) == {OutboxMessage.State.SENT}
    assert sends(record) == {row.message_id_header: 1 for row in rows}
    reply_row.refresh_from_db()
    assert (reply_row.state, reply_row.to) == (OutboxMessage.State.SENT, "kim@example.com")
    csat = SurveyInvitation.objects.get(kind=SurveyInvitation.Kind.CSAT)
    nps = SurveyInvitation.objects.get(kind=SurveyInvitation.Kind.NPS)
    assert (csat.ticket_id, csat.state) == (ticket.pk, SurveyInvitation.State.SENT)
    assert (nps.order_id, nps.state) == (order.pk, SurveyInvitation.State.SENT)
    payload.refresh_from_db()
    assert payload.state == InboundPayload.State.INGESTED
    sender = "elif.kaya@example.com.tr"
    assert Ticket.objects.filter(customer__identities__address=sender).count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_broker_that_takes_connections_and_never_answers_delays_a_reply_by_seconds(
    broker_proxy, client, caplog
):
    """A hung broker (the TCP connection stays open, nothing answers) is the case the
    connect timeout does not cover: the broker socket timeout bounds it."""
    from helpdesk.celery import app

    agent = make_agent(username="ayse", role="admin").user
    client.force_login(agent)
    ticket = TicketFactory(customer=customer_with_email(email="kim@example.com"))
    with app.connection_or_acquire() as connection:
        connection.ensure_connection(max_retries=1)
    broker_proxy.freeze()

    caplog.set_level(logging.WARNING, logger="core.reactions")
    reply, seconds = timed("reply (broker hung)", lambda: client.post(
        reverse("tickets:reply", args=[ticket.pk]),
        {"body": "A new kettle is on its way.", "composer_token": str(uuid.uuid4())},
    ))  # fmt: skip

    assert reply.status_code == 200
    assert seconds < REQUEST_BUDGET_SECONDS
    row = OutboxMessage.objects.get(ticket_id=ticket.pk)
    assert (row.kind, row.state) == ("reply", OutboxMessage.State.QUEUED)
    [warning] = [r.getMessage() for r in caplog.records if r.name == "core.reactions"]
    assert warning.startswith("could not queue messaging.tasks.outbox_dispatch")
