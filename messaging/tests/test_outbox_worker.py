"""The outbox against real Celery worker processes, one of which is killed mid-send."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
from collections import Counter
from pathlib import Path

import pytest
from django.db import transaction

from messaging.models import OutboxMessage
from messaging.outbox import outbox_enqueue, outbox_sweep
from tests.processes import celery_start, celery_stop, celery_wait_ready

ROWS = 12


def start_worker(*, queue: str, name: str, record: Path, log: Path) -> subprocess.Popen:
    """A worker on its own queue whose 'ESP' records every accepted send in ``record``."""
    from django.conf import settings

    hostname = f"{name}-{os.getpid()}@{socket.gethostname()}"
    process = celery_start(
        ["worker", "--pool", "solo", "-Q", queue, "-n", hostname], log=log,
        TEST_REDIS_URL=settings.REDIS_URL,
        TEST_EMAIL_BACKEND="messaging.tests.backends.RecordingBackend",
        OUTBOX_QUEUE=queue, OUTBOX_TEST_RECORD=str(record), OUTBOX_TEST_SEND_DELAY="0.3",
    )  # fmt: skip
    celery_wait_ready(process, hostname=hostname, log=log)
    return process


def sent_ids(record: Path) -> list[str]:
    return record.read_text().split() if record.exists() else []


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_killing_the_worker_mid_dispatch_loses_nothing_and_sends_nothing_twice(settings, tmp_path):
    queue = f"outbound-kill-{os.getpid()}"
    settings.OUTBOX_QUEUE = queue
    settings.OUTBOX_SENDING_STALE_SECONDS = 2
    settings.OUTBOX_QUEUED_STALE_SECONDS = 2
    record = tmp_path / "sent.txt"

    # The worker is up and idle before the rows exist: a solo worker busy sending cannot
    # answer the readiness ping, and the kill below must land in the middle of the run.
    first = start_worker(queue=queue, name="outbox-a", record=record,
                         log=tmp_path / "worker-a.log")  # fmt: skip
    try:
        with transaction.atomic():
            rows = [outbox_enqueue(to=f"customer{n}@example.com", subject=f"Reply {n}",
                                   text="Hi") for n in range(ROWS)]  # fmt: skip

        def enqueue_then_fail() -> None:
            with transaction.atomic():
                outbox_enqueue(to="never@example.com", subject="rolled back", text="no")
                raise RuntimeError("the caller's transaction fails")

        with pytest.raises(RuntimeError):
            enqueue_then_fail()
        assert not OutboxMessage.objects.filter(to="never@example.com").exists()

        deadline = time.monotonic() + 60
        while len(sent_ids(record)) < 3 and time.monotonic() < deadline:
            time.sleep(0.01)
        # Kill while a row is claimed ("sending") and the ESP has not accepted it yet: each
        # send takes 0.3 s, so waiting for such a claim (not for a fixed time, which a busy
        # machine stretches) lands the kill inside one.
        sending = OutboxMessage.objects.filter(state=OutboxMessage.State.SENDING)

        def claimed_not_accepted() -> bool:
            accepted = set(sent_ids(record))
            claimed = sending.values_list("message_id_header", flat=True)
            return any(header not in accepted for header in claimed)

        while not claimed_not_accepted() and time.monotonic() < deadline:
            time.sleep(0.005)
        time.sleep(0.05)  # well inside the 0.3 s, past the claim's commit
        os.kill(first.pid, signal.SIGKILL)
        first.wait(timeout=10)
    finally:
        if first.poll() is None:
            first.kill()
    sent_before_kill = len(sent_ids(record))
    assert sent_before_kill < ROWS
    assert OutboxMessage.objects.filter(state=OutboxMessage.State.SENDING).count() == 1

    second = start_worker(queue=queue, name="outbox-b", record=record,
                          log=tmp_path / "worker-b.log")  # fmt: skip
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            if OutboxMessage.objects.filter(state=OutboxMessage.State.SENT).count() == ROWS:
                break
            outbox_sweep()  # what beat does every minute
            time.sleep(1)
        states = Counter(OutboxMessage.objects.values_list("state", flat=True))
        assert states == {OutboxMessage.State.SENT: ROWS}, states

        # Every row reached the ESP exactly once, including the one the dead worker held.
        counts = Counter(sent_ids(record))
        assert set(counts) == {row.message_id_header for row in rows}
        assert max(counts.values()) == 1

        # Asking again (a duplicate task, a stray sweep) never sends a sent row again.
        from messaging.tasks import outbox_dispatch

        results = [outbox_dispatch.apply_async(kwargs={"outbox_id": row.pk}, queue=queue)
                   for row in rows]  # fmt: skip
        assert {result.get(timeout=60) for result in results} == {"skipped"}
        assert len(sent_ids(record)) == ROWS
    finally:
        celery_stop(second)


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_webhook_becomes_a_ticket_and_a_sent_acknowledgement_through_the_real_worker(
    celery_worker_process, client, settings
):
    import base64
    import json

    from messaging.models import InboundPayload
    from tickets.models import Ticket
    from tickets.tests.email_helpers import FIXTURES

    settings.ANYMAIL = {"WEBHOOK_SECRET": "hook:s3cret"}
    data = (FIXTURES / "webhooks" / "postmark_inbound.json").read_text()
    auth = "Basic " + base64.b64encode(b"hook:s3cret").decode()

    response = client.post("/anymail/postmark/inbound/", data, content_type="application/json",
                           HTTP_AUTHORIZATION=auth)  # fmt: skip

    assert response.status_code == 200
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        ack = OutboxMessage.objects.filter(kind="ack", state=OutboxMessage.State.SENT).first()
        if ack is not None:
            break
        time.sleep(0.2)
    assert InboundPayload.objects.get().state == InboundPayload.State.INGESTED
    ticket = Ticket.objects.get()
    assert ack is not None
    assert ack.ticket_id == ticket.pk
    assert ack.language == "tr"
    assert json.loads(data)["FromFull"]["Email"] == ack.to
