"""Deliver queued outbox rows in the test's own thread (what the dispatcher task does)."""

from __future__ import annotations

from tickets.models import OutboundEmail
from tickets.outbox import outbox_dispatch


def outbox_deliver_queued() -> list[OutboundEmail]:
    rows = list(OutboundEmail.objects.filter(state=OutboundEmail.State.QUEUED).order_by("pk"))
    for row in rows:
        outbox_dispatch(outbound_id=row.pk)
    return rows
