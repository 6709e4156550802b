"""Which audit events (``core.models.Event`` kinds) a webhook carries, under which event
types, and what the payload says. Mapped by kind name, so kinds another app records
later (``promise.broken``, ``sla.breached``) are carried as soon as their rows exist."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from core.events import EventKind
from core.models import Event

EVENT_TYPES = {
    "ticket.created": _("A ticket was opened"),
    "ticket.updated": _("A ticket's status, priority, team, assignee or tags changed"),
    "ticket.solved": _("A ticket was solved"),
    "message.created": _("A customer wrote or an agent replied (internal notes are not sent)"),
    "survey.answered": _("A customer answered a survey"),
    "survey.detractor": _("An unhappy answer opened a recovery ticket"),
    "loyalty.points_changed": _("A loyalty balance changed"),
    "loyalty.coupon_issued": _("Points were exchanged for a coupon"),
    "promise.broken": _("A promise to a customer was not kept in time"),
    "sla.breached": _("A ticket missed its service level target"),
}

TICKET_UPDATES = {
    "ticket.status_changed",
    "ticket.priority_changed",
    "ticket.team_changed",
    "ticket.assignee_changed",
    "ticket.tag_added",
    "ticket.tag_removed",
    "ticket.merged_in",
    "ticket.merged_away",
    "ticket.closed",
    "ticket.reopened",
}
# Ledger entry kinds (loyalty.<kind>) that move a balance.
LOYALTY_POINTS = {
    "loyalty.earn",
    "loyalty.pending",
    "loyalty.approve",
    "loyalty.reverse",
    "loyalty.redeem",
    "loyalty.expire",
    "loyalty.adjust",
}


def event_types_for(kind: str, data: dict[str, Any]) -> list[str]:
    """The webhook event types an audit event of ``kind`` is delivered as (often none)."""
    if kind == "ticket.created":
        return ["ticket.created"]
    if kind in TICKET_UPDATES:
        solved = kind == "ticket.status_changed" and data.get("to") == "solved"
        return ["ticket.updated", "ticket.solved"] if solved else ["ticket.updated"]
    if kind in ("ticket.replied", "message.received"):
        return ["message.created"]
    if kind == "survey.answered":
        return ["survey.answered"]
    if kind == "survey.recovery_opened":
        return ["survey.detractor"]
    if kind == "loyalty.redeem":
        return ["loyalty.points_changed", "loyalty.coupon_issued"]
    if kind in LOYALTY_POINTS:
        return ["loyalty.points_changed"]
    if kind in ("promise.broken", "sla.breached"):
        return [kind]
    return []


# The kinds the sweep looks for: every kind event_types_for maps.
SWEPT_KINDS = sorted(
    {
        "ticket.created",
        *TICKET_UPDATES,
        "ticket.replied",
        "message.received",
        "survey.answered",
        "survey.recovery_opened",
        *LOYALTY_POINTS,
        "promise.broken",
        "sla.breached",
    }
)

EVENT_KINDS = [
    EventKind("webhook.endpoint_created"),
    EventKind("webhook.endpoint_updated"),
    EventKind("webhook.secret_rotated"),
    EventKind("webhook.endpoint_disabled"),
    EventKind("webhook.endpoint_enabled"),
    EventKind("webhook.delivery_replayed"),
]


def payload_for(*, event: Event, event_type: str, snapshot: dict[str, Any]) -> dict[str, Any]:
    """The body receivers get (Standard Webhooks' shape: type, timestamp, data)."""
    data: dict[str, Any] = {
        "event": event.pk,
        "kind": event.kind,
        "ticket": event.ticket_id,
        "customer": event.customer_id,
        "details": event.data,
    }
    data.update(snapshot)
    return {"type": event_type, "timestamp": event.created_at.isoformat(), "data": data}
