"""Every write to promises: recording one, keeping or breaking it, and the beat sweeps
that remind its owner, flag it overdue and mark it broken.

A promise is kept when its owner acts on the ticket before it is due: a public reply, a
logged call, or the ticket solved (by anyone: the customer's matter is settled). Acting
after the due time breaks it ("late"); nothing done until ``PROMISE_BROKEN_AFTER_MINUTES``
past the due time breaks it too ("nothing_done"). Between the due time and then it is
overdue: its owner and the team's leads are told, and it waits on the leads' approvals
page, where a lead can confirm it kept (done outside the helpdesk) or broken.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta
from uuid import UUID

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.access import agent_team_ids, leads_of
from core.api.errors import DomainError
from core.events import event_record
from tickets.models import Promise, Ticket
from tickets.promises.calendar import ticket_calendar

State = Promise.State

# A promise further ahead than this is a typing mistake, not a promise.
MAX_AHEAD = timedelta(days=366)
WHAT_MAX_LENGTH = Promise._meta.get_field("what").max_length


class PromiseError(DomainError):
    """A promise that cannot be recorded as given; the message says why, for the agent."""

    code = "promise_invalid"


def promise_dedupe_key(*, owner_id: int, what: str, due_at: datetime) -> str:
    """The key of a detected proposal: confirming it twice records one promise."""
    text = f"{owner_id}|{' '.join(what.split()).lower()}|{due_at.astimezone(UTC):%Y%m%d%H%M}"
    return hashlib.sha256(text.encode()).hexdigest()[:64]


@transaction.atomic
def promise_record(
    *, ticket: Ticket, owner: AbstractUser, what: str, due_at: datetime, by: AbstractUser,
    source: str, dedupe_key: str, now: datetime | None = None,
    composer_token: UUID | None = None,
) -> Promise:  # fmt: skip
    """Record a promise on ``ticket``, made by ``owner``. The same ``dedupe_key`` on the
    same ticket returns the promise already recorded (a double click, a second tab).
    ``composer_token`` names the draft it was found in: sending that reply does not keep
    the promise it makes.
    Raises ``PromiseError`` for an empty text, or a due time in the past or too far
    ahead."""
    now = now or timezone.now()
    what = " ".join(what.split())
    if not what:
        raise PromiseError(_("Say what was promised."))
    if len(what) > WHAT_MAX_LENGTH:
        raise PromiseError(
            _("Describe the promise in at most %(count)d characters.") % {"count": WHAT_MAX_LENGTH}
        )
    if timezone.is_naive(due_at):
        raise ValueError("due_at must be aware")
    if due_at <= now:
        raise PromiseError(_("The due time has already passed."))
    if due_at - now > MAX_AHEAD:
        raise PromiseError(_("A promise is due within a year."))
    if source not in Promise.Source.values:
        raise ValueError(f"unknown source {source!r}")
    if not dedupe_key or len(dedupe_key) > 64:
        raise ValueError("dedupe_key must be 1 to 64 characters")
    existing = Promise.objects.filter(ticket=ticket, dedupe_key=dedupe_key).first()
    if existing is not None:
        return existing
    team_id = ticket.team_id if ticket.team_id in agent_team_ids(owner) else None
    try:
        with transaction.atomic():
            promise = Promise.objects.create(
                ticket=ticket, owner=owner, what=what, due_at=due_at, source=source,
                created_by=by, dedupe_key=dedupe_key, team_id=team_id or ticket.team_id,
                composer_token=composer_token,
            )  # fmt: skip
    except IntegrityError:  # the same key committed by a concurrent request
        return Promise.objects.get(ticket=ticket, dedupe_key=dedupe_key)
    event_record(kind="promise.recorded", actor=by, ticket=ticket, data={
        "promise": promise.pk, "owner": owner.pk, "due": due_at.isoformat(), "source": source,
    })  # fmt: skip
    return promise


def _close(promise: Promise, *, state: str, action: str, by: AbstractUser | None,
           now: datetime, reason: str = "") -> None:  # fmt: skip
    promise.state = state
    promise.broken_reason = reason
    promise.resolved_at = now
    promise.resolved_by_action = action
    promise.resolved_by = by if by is not None and by.is_authenticated else None
    promise.save(update_fields=["state", "broken_reason", "resolved_at", "resolved_by_action",
                                "resolved_by"])  # fmt: skip
    data = {"promise": promise.pk, "owner": promise.owner_id, "due": promise.due_at.isoformat(),
            "action": action}  # fmt: skip
    if state == State.KEPT:
        event_record(kind="promise.kept", actor=by, ticket_id=promise.ticket_id, data=data)
    else:
        event_record(kind="promise.broken", actor=by, ticket_id=promise.ticket_id,
                     data=data | {"reason": reason})  # fmt: skip


def promises_ticket_acted(
    *,
    ticket: Ticket,
    by: AbstractUser | None,
    action: str,
    now: datetime | None = None,
    composer_token: UUID | None = None,
) -> list[Promise]:
    """Someone acted on ``ticket`` (``action``: "reply", "call" or "solve"): its open
    promises owned by ``by`` (every open one, when the ticket was solved) are kept, or
    broken as late when their due time has passed. Call it inside the acting service's
    transaction; it changes nothing for a ticket without open promises (one query). The
    reply from ``composer_token`` keeps none of the promises made in its own draft."""
    now = now or timezone.now()
    promises = Promise.objects.select_for_update().filter(ticket=ticket, state=State.OPEN)
    if composer_token is not None:
        promises = promises.exclude(composer_token=composer_token)
    if action != "solve":
        if by is None:
            return []
        promises = promises.filter(owner=by)
    closed = []
    for promise in promises.order_by("pk"):
        if now <= promise.due_at:
            _close(promise, state=State.KEPT, action=action, by=by, now=now)
        else:
            _close(promise, state=State.BROKEN, action=action, by=by, now=now,
                   reason=Promise.BrokenReason.LATE)  # fmt: skip
        closed.append(promise)
    return closed


def promises_move(*, source: Ticket, target: Ticket) -> int:
    """Open promises go with the conversation when ``source`` is merged into ``target``
    (inside ``ticket_merge``'s transaction); kept and broken ones stay where they were
    made. A promise the target already has (the same key) stays behind too."""
    taken = Promise.objects.filter(ticket=target).values("dedupe_key")
    return (
        Promise.objects.filter(ticket=source, state=State.OPEN)
        .exclude(dedupe_key__in=taken)
        .update(ticket=target)
    )


@transaction.atomic
def promise_decide(*, promise: Promise, by: AbstractUser, kept: bool) -> tuple[Promise, bool]:
    """A lead's verdict on an open promise: kept (done outside the helpdesk) or broken.
    Returns the promise and whether this call decided it (False: already kept or broken,
    nothing changed)."""
    promise = Promise.objects.select_for_update().get(pk=promise.pk)
    if promise.state != State.OPEN:
        return promise, False
    if kept:
        _close(promise, state=State.KEPT, action="lead", by=by, now=timezone.now())
    else:
        _close(promise, state=State.BROKEN, action="lead", by=by, now=timezone.now(),
               reason=Promise.BrokenReason.LEAD)  # fmt: skip
    return promise, True


# --- Sweeps ---------------------------------------------------------------------------------


def _notify(**kwargs: object) -> None:
    from tickets.notify import notification_send

    notification_send(**kwargs)


def promises_remind_due(*, now: datetime | None = None, batch: int = 500) -> int:
    """Remind owners of open promises due within ``PROMISE_REMIND_BEFORE_MINUTES``, once
    each (``reminded_at``). Idempotent."""
    now = now or timezone.now()
    lead_time = timedelta(minutes=settings.PROMISE_REMIND_BEFORE_MINUTES)
    done = 0
    while True:
        with transaction.atomic():
            due = list(
                Promise.objects.select_for_update(skip_locked=True)
                .filter(state=State.OPEN, reminded_at__isnull=True, due_at__gt=now,
                        due_at__lte=now + lead_time)
                .select_related("ticket")
                .order_by("due_at")[:batch]
            )  # fmt: skip
            for promise in due:
                promise.reminded_at = now
                promise.save(update_fields=["reminded_at"])
                event_record(kind="promise.reminded", ticket_id=promise.ticket_id,
                             data={"promise": promise.pk, "owner": promise.owner_id})  # fmt: skip
                _notify(recipient=promise.owner, kind="promise.due_soon",
                       dedupe_key=f"promise:{promise.pk}:due_soon", ticket=promise.ticket,
                       params=_params(promise))  # fmt: skip
            done += len(due)
        if len(due) < batch:
            return done


def promises_flag_overdue(*, now: datetime | None = None, batch: int = 500) -> int:
    """Flag open promises whose due time has passed (``overdue_at``), once each, and tell
    the owner and the team's leads. Idempotent."""
    now = now or timezone.now()
    done = 0
    while True:
        with transaction.atomic():
            due = list(
                Promise.objects.select_for_update(skip_locked=True)
                .filter(state=State.OPEN, overdue_at__isnull=True, due_at__lte=now)
                .select_related("ticket", "owner")
                .order_by("due_at")[:batch]
            )  # fmt: skip
            for promise in due:
                promise.overdue_at = now
                promise.save(update_fields=["overdue_at"])
                event_record(kind="promise.overdue", ticket_id=promise.ticket_id,
                             data={"promise": promise.pk, "owner": promise.owner_id})  # fmt: skip
                recipients = {promise.owner_id: promise.owner}
                for lead in leads_of(team_id=promise.team_id or promise.ticket.team_id):
                    recipients.setdefault(lead.user_id, lead.user)
                for user in recipients.values():
                    _notify(recipient=user, kind="promise.overdue",
                           dedupe_key=f"promise:{promise.pk}:overdue:{user.pk}",
                           ticket=promise.ticket, params=_params(promise))  # fmt: skip
            done += len(due)
        if len(due) < batch:
            return done


def promises_break_due(*, now: datetime | None = None, batch: int = 500) -> int:
    """Break open promises on which nothing was done until ``PROMISE_BROKEN_AFTER_MINUTES``
    past their due time. Idempotent: a broken promise is not open any more."""
    now = now or timezone.now()
    cutoff = now - timedelta(minutes=settings.PROMISE_BROKEN_AFTER_MINUTES)
    done = 0
    while True:
        with transaction.atomic():
            due = list(
                Promise.objects.select_for_update(skip_locked=True)
                .filter(state=State.OPEN, due_at__lte=cutoff)
                .order_by("due_at")[:batch]
            )
            for promise in due:
                if promise.overdue_at is None:  # the sweep was down: flag it on the way
                    promise.overdue_at = now
                    promise.save(update_fields=["overdue_at"])
                _close(promise, state=State.BROKEN, action="", by=None, now=now,
                       reason=Promise.BrokenReason.NOTHING_DONE)  # fmt: skip
            done += len(due)
        if len(due) < batch:
            return done


def promises_sweep(*, now: datetime | None = None) -> dict[str, int]:
    """Every promise sweep, in order (beat runs it every minute)."""
    now = now or timezone.now()
    return {
        "reminded": promises_remind_due(now=now),
        "overdue": promises_flag_overdue(now=now),
        "broken": promises_break_due(now=now),
    }


def _params(promise: Promise) -> dict[str, object]:
    zone, _day_end = ticket_calendar(promise.ticket)
    return {
        "what": promise.what, "ticket": promise.ticket_id, "subject": promise.ticket.subject,
        "due": promise.due_at.isoformat(), "time_zone": zone,
    }  # fmt: skip
