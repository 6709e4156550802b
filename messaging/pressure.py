"""Contact pressure: how often a customer hears from us without asking. One limit for
every unasked message (proactive care and surveys alike): at most one per
``CONTACT_PRESSURE_DAYS``. It lives here, below both, because the outbox is the one place
that sees every message whatever app wrote it.

Apps say which outbox kinds are unasked (``pressure_kinds_register``, in their
``ready()``); contacts the outbox cannot tell apart (a follow-up goes out as an ordinary
ticket reply) are added by the ``unasked_contacts`` hook."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Max
from django.db.models.functions import Coalesce

from core.hooks import Hook
from messaging.models import OutboxMessage

_KINDS: set[str] = set()
unasked_contacts = Hook(
    "messaging.unasked_contacts",
    "(customer_id: int, since: datetime) -> datetime | None: the latest unasked message an "
    "app sent the customer since then that its outbox kind does not tell (proactive care's "
    "follow-ups, sent as ticket replies).",
)


def pressure_kinds_register(*kinds: str) -> None:
    """Outbox kinds that are unasked contact (``survey_csat``, ``outreach_win_back``…)."""
    _KINDS.update(kinds)


def pressure_kinds() -> frozenset[str]:
    return frozenset(_KINDS)


def pressure_window() -> timedelta:
    return timedelta(days=settings.CONTACT_PRESSURE_DAYS)


def last_unasked_contact(*, customer_id: int, since: datetime) -> datetime | None:
    """When the customer last heard from us unasked since ``since`` (an outbox row on its
    way counts from when it was written; a suppressed or failed one reached nobody)."""
    latest = (
        OutboxMessage.objects.filter(customer_id=customer_id, kind__in=_KINDS)
        .exclude(state__in=[OutboxMessage.State.SUPPRESSED, OutboxMessage.State.FAILED])
        .annotate(at=Coalesce("sent_at", "created_at"))
        .filter(at__gt=since)
        .aggregate(last=Max("at"))["last"]
    )
    found = [latest, *unasked_contacts.call_all(customer_id=customer_id, since=since)]
    found = [at for at in found if at is not None]
    return max(found) if found else None


def contact_pressure_until(*, customer_id: int, now: datetime) -> datetime | None:
    """When the customer may next hear from us unasked, if not now."""
    window = pressure_window()
    last = last_unasked_contact(customer_id=customer_id, since=now - window)
    if last is None or last + window <= now:
        return None
    return last + window
