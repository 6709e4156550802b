"""Webhooks with a real Celery worker: an event committed by an API request reaches a
receiver on 127.0.0.1 after commit, a 500 is retried by the worker on its schedule, and
the beat sweep catches up on an event whose task the broker never got."""

from __future__ import annotations

import os
import socket
import time

import pytest
from django.db import transaction

from core.events import event_record
from tests.processes import celery_start, celery_stop, celery_wait_ready
from webhooks import services
from webhooks.models import WebhookDelivery
from webhooks.tests.receiver import receiver_running


@pytest.fixture
def webhook_worker(settings, tmp_path):
    """A worker on a queue of its own with a retry schedule of half-seconds."""
    from helpdesk.celery import app

    queue = f"webhooks-test-{os.getpid()}"
    settings.WEBHOOK_QUEUE = queue
    hostname = f"webhooks-{os.getpid()}@{socket.gethostname()}"
    process = celery_start(
        ["worker", "--pool", "solo", "-Q", queue, "-n", hostname],
        log=tmp_path / "worker.log",
        TEST_REDIS_URL=settings.REDIS_URL,
        WEBHOOK_QUEUE=queue,
        WEBHOOK_RETRY_SCHEDULE="0.5,0.5",
        WEBHOOK_RETRY_JITTER="0",
        WEBHOOK_TIMEOUT="1",
    )
    celery_wait_ready(process, hostname=hostname, log=tmp_path / "worker.log")
    with app.connection_for_write() as connection:
        connection.default_channel.queue_purge(queue)
    yield process
    celery_stop(process)


def wait_until(predicate, timeout=30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.1)
    return False


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_the_worker_delivers_after_commit_and_retries_a_500(webhook_worker, api_client_for):
    with receiver_running(answers=[500, 200]) as receiver:
        endpoint = services.endpoint_create(
            name="ERP", url=receiver.url, event_types=["ticket.created"], by=None
        )
        receiver.secret = endpoint.secret
        shop = api_client_for()
        response = shop.post(
            "/api/v1/tickets/",
            {"email": "kim@example.com", "subject": "Hi", "text": "Hello"},
            format="json",
            HTTP_IDEMPOTENCY_KEY="contact-1",
        )
        assert response.status_code == 201
        assert wait_until(lambda: len(receiver.delivered) == 1)
        time.sleep(1)  # nothing more arrives

    assert [r.answered for r in receiver.requests] == [500, 200]
    assert receiver.requests[0].body["data"]["ticket"] == response.json()["id"]
    delivery = WebhookDelivery.objects.get()
    assert (delivery.state, delivery.attempts) == ("succeeded", 2)


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_the_sweep_in_the_worker_catches_up_on_an_event_the_broker_missed(webhook_worker, settings):
    from webhooks.tasks import webhooks_sweep

    with receiver_running() as receiver:
        endpoint = services.endpoint_create(
            name="ERP", url=receiver.url, event_types=["sla.breached"], by=None
        )
        receiver.secret = endpoint.secret
        # The event commits, but its after-commit task never reaches the broker (what a
        # broker outage does to task_publish): no fan-out was queued for it.
        from core.events import event_recorded
        from webhooks.fanout import on_event_recorded

        event_recorded.unregister(on_event_recorded)
        try:
            with transaction.atomic():
                event = event_record(kind="sla.breached", data={"ticket": 1})
        finally:
            event_recorded.register(on_event_recorded)
        time.sleep(0.5)
        assert not WebhookDelivery.objects.exists()
        webhooks_sweep.apply_async(queue=settings.WEBHOOK_QUEUE).get(timeout=30)
        assert wait_until(lambda: len(receiver.delivered) == 1)

    assert receiver.requests[0].body["data"]["event"] == event.pk
