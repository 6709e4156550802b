"""Project-wide services: the audit trail."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AbstractBaseUser

from helpdesk.models import Event


def event_record(
    *,
    kind: str,
    actor: AbstractBaseUser | None = None,
    ticket: Any = None,
    customer: Any = None,
    data: dict[str, Any] | None = None,
) -> Event:
    """Append one event to the audit trail. Call it inside the service's transaction."""
    if actor is not None and not actor.is_authenticated:
        actor = None
    return Event.objects.create(
        kind=kind, actor=actor, ticket=ticket, customer=customer, data=data or {}
    )
