"""Deliver queued outbox rows in the test's own thread (what the dispatcher task does)."""

from __future__ import annotations

from messaging.models import OutboxMessage
from messaging.outbox import outbox_dispatch


def outbox_deliver_queued() -> list[OutboxMessage]:
    rows = list(OutboxMessage.objects.filter(state=OutboxMessage.State.QUEUED).order_by("pk"))
    for row in rows:
        outbox_dispatch(outbox_id=row.pk)
    return rows
