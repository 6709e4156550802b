"""Reads of promises: a ticket's list, what waits for a lead, and the kept rate."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from django.contrib.auth.models import AbstractUser
from django.db.models import Count, Q, QuerySet
from django.utils import formats, translation

from core.access import staff_scope
from tickets.models import Promise, Ticket


def promises_of_ticket(*, ticket_id: int) -> QuerySet[Promise]:
    """A ticket's promises, open ones first by due time, then the rest newest first."""
    return (
        Promise.objects.filter(ticket_id=ticket_id)
        .select_related("owner")
        .order_by("-state", "due_at")  # descending: open, then kept, then broken
    )


def promise_due_text(*, ticket: Ticket) -> str | None:
    """When the ticket's next open promise is due, for the customer: in their language
    and the team's time zone ("Donnerstag, 3. Dezember 2026 12:00"); None without one."""
    from tickets.promises.calendar import ticket_calendar

    promise = (
        Promise.objects.filter(ticket_id=ticket.pk, state=Promise.State.OPEN)
        .order_by("due_at").only("due_at").first()
    )  # fmt: skip
    if promise is None:
        return None
    local = promise.due_at.astimezone(ZoneInfo(ticket_calendar(ticket)[0]))
    with translation.override(ticket.customer.language):
        return f"{formats.date_format(local, 'l')}, {formats.date_format(local, 'DATETIME_FORMAT')}"


def promises_overdue_for(*, user: AbstractUser) -> QuerySet[Promise]:
    """Open promises flagged overdue on tickets of this user's teams (all for admins),
    never the user's own, oldest due first: what waits on a lead's approvals page."""
    promises = Promise.objects.filter(state=Promise.State.OPEN, overdue_at__isnull=False)
    promises = staff_scope(promises, user=user, team="ticket__team").exclude(owner=user)
    return promises.select_related("owner", "ticket").order_by("due_at", "pk")


@dataclass(frozen=True)
class KeptRate:
    """Promises due in a period that were kept or broken by one agent or team."""

    key: int | None
    kept: int
    broken: int

    @property
    def total(self) -> int:
        return self.kept + self.broken

    @property
    def rate(self) -> float | None:
        return self.kept / self.total if self.total else None


def promises_kept_rate(
    *, start: datetime, end: datetime, by: str = "owner", user: AbstractUser | None = None
) -> list[KeptRate]:
    """The kept rate of promises due in ``[start, end)`` that are kept or broken, per
    agent (``by="owner"``) or per team (``by="team"``), most promises first; scoped to
    what ``user`` may see when given. One query."""
    if by not in ("owner", "team"):
        raise ValueError(f"group by owner or team, not {by!r}")
    promises = Promise.objects.filter(due_at__gte=start, due_at__lt=end).exclude(
        state=Promise.State.OPEN
    )
    if user is not None:
        promises = staff_scope(promises, user=user, team="ticket__team")
    rows = (
        promises.values(f"{by}_id")
        .annotate(kept=Count("pk", filter=Q(state=Promise.State.KEPT)),
                  broken=Count("pk", filter=Q(state=Promise.State.BROKEN)))
        .order_by()
    )  # fmt: skip
    rates = [KeptRate(key=row[f"{by}_id"], kept=row["kept"], broken=row["broken"]) for row in rows]
    return sorted(rates, key=lambda r: (-r.total, r.key or 0))
