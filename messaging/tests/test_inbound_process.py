"""Processing a stored payload: claimed once, counted, and marked ingested only together
with what it became; a failure leaves it as it was for the next attempt."""

from __future__ import annotations

import threading

import pytest
from django.db import OperationalError, connection, transaction

from messaging.inbound import inbound_ingest, inbound_process, inbound_store
from messaging.models import InboundPayload
from tickets.models import Message
from tickets.tests.email_helpers import compose


def _stored(body: str = "Hallo") -> InboundPayload:
    raw = compose(sender="kim@example.com", message_id=f"<{body}@example.com>", body=body)
    row, _created = inbound_store(raw=raw, source=InboundPayload.Source.PIPE, origin="test")
    return row


@pytest.mark.django_db
def test_a_processed_payload_is_ingested_with_its_attempt_counted():
    row = _stored()

    processed = inbound_process(inbound_id=row.pk)

    row.refresh_from_db()
    assert (row.state, row.attempts, row.reason) == (InboundPayload.State.INGESTED, 1, "")
    assert row.processed_at is not None
    assert processed.pk == row.pk
    assert Message.objects.get().inbound_payload_id == row.pk
    assert inbound_process(inbound_id=row.pk) is None  # a duplicate task does nothing
    assert Message.objects.count() == 1


@pytest.mark.django_db
def test_a_failed_ingest_leaves_the_payload_received_for_the_next_attempt():
    row = _stored()

    def failing(**kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    inbound_ingest.register(failing)
    try:
        with pytest.raises(OperationalError):
            inbound_process(inbound_id=row.pk)
    finally:
        inbound_ingest.unregister(failing)

    row.refresh_from_db()
    assert (row.state, row.attempts, row.processed_at) == (InboundPayload.State.RECEIVED, 0, None)
    inbound_process(inbound_id=row.pk)
    row.refresh_from_db()
    assert (row.state, row.attempts) == (InboundPayload.State.INGESTED, 1)


@pytest.mark.django_db(transaction=True)
def test_a_payload_another_worker_holds_is_skipped_and_left_to_it():
    row = _stored()
    held, release = threading.Event(), threading.Event()

    def other_worker():
        try:
            with transaction.atomic():
                InboundPayload.objects.select_for_update().get(pk=row.pk)
                held.set()
                release.wait(10)
        finally:
            connection.close()

    worker = threading.Thread(target=other_worker)
    worker.start()
    try:
        assert held.wait(10)
        assert inbound_process(inbound_id=row.pk) is None
    finally:
        release.set()
        worker.join()

    row.refresh_from_db()
    assert (row.state, row.attempts) == (InboundPayload.State.RECEIVED, 0)
    assert not Message.objects.exists()
