"""The audit trail: ``event_record`` appends, and each app declares the kinds it records
and how a timeline tells them (``event_kinds_declare``), so no app needs to know another's
vocabulary."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.utils.functional import Promise

from core.hooks import Hook
from core.models import Event

# Apps that follow the audit trail (outgoing webhooks) register here. Providers run inside
# the recording transaction and must only queue work for after the commit.
event_recorded = Hook(
    "core.event_recorded",
    "(event: Event) -> None: an event was appended (webhooks queue their fan-out).",
)


@dataclass(frozen=True)
class EventKind:
    """How a timeline tells one kind of event.

    ``label`` follows who did it ("changed the status"); ``variants`` give other labels
    for a value of the event's data "kind" or "reason" ("closed the ticket after a quiet
    period" for reason "auto"). ``by_customer`` events are told as the customer's own, not
    the system's. A kind declared without a label stays in the audit log only."""

    kind: str
    label: str | Promise | None = None
    variants: dict[str, str | Promise] | None = None
    by_customer: bool = False

    def label_for(self, data: dict[str, Any]) -> str | Promise | None:
        variant = data.get("kind") or data.get("reason")
        if self.variants and variant in self.variants:
            return self.variants[variant]
        return self.label


_KINDS: dict[str, EventKind] = {}


def event_kinds_declare(kinds: Iterable[EventKind]) -> None:
    """Declare an app's event kinds (call it from the app's ``ready()``; idempotent)."""
    for kind in kinds:
        _KINDS[kind.kind] = kind


def event_kind(kind: str) -> EventKind | None:
    return _KINDS.get(kind)


def event_kinds_told() -> list[str]:
    """The kinds a timeline shows: those with a label or a labelled variant."""
    return sorted(k for k, v in _KINDS.items() if v.label is not None or v.variants)


def event_record(
    *,
    kind: str,
    actor: AbstractBaseUser | None = None,
    ticket: Any = None,
    customer: Any = None,
    ticket_id: int | None = None,
    customer_id: int | None = None,
    data: dict[str, Any] | None = None,
) -> Event:
    """Append one event to the audit trail. Call it inside the service's transaction.
    ``ticket`` and ``customer`` are rows (or give their ids)."""
    event = event_new(kind=kind, actor=actor, ticket=ticket, customer=customer,
                      ticket_id=ticket_id, customer_id=customer_id, data=data)  # fmt: skip
    return events_record([event])[0]


def event_new(
    *,
    kind: str,
    actor: AbstractBaseUser | None = None,
    ticket: Any = None,
    customer: Any = None,
    ticket_id: int | None = None,
    customer_id: int | None = None,
    data: dict[str, Any] | None = None,
) -> Event:
    """One event for ``events_record``, not yet appended (arguments as ``event_record``)."""
    if actor is not None and not actor.is_authenticated:
        actor = None
    return Event(
        kind=kind,
        actor=actor,
        ticket_id=ticket.pk if ticket is not None else ticket_id,
        customer_id=customer.pk if customer is not None else customer_id,
        data=data or {},
    )


def events_record(events: list[Event]) -> list[Event]:
    """Append several events (made with ``event_new``) with one insert, in their order:
    a service that changes several things at once records each change, in one round
    trip. Call it inside the service's transaction."""
    if len(events) == 1:
        events[0].save(force_insert=True)
    else:
        Event.objects.bulk_create(events)
    for event in events:
        event_recorded.call_all(event=event)
    return events
