"""Goodwill points: an agent's thank-you from a ticket, within limits; larger grants
wait for a team lead (four eyes: nobody approves their own request)."""

from __future__ import annotations

import zoneinfo
from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth.models import AbstractUser
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from core.access import is_lead
from core.events import event_record
from core.models import AgentProfile
from loyalty.models import GoodwillRequest, LedgerEntry, LoyaltyAccount
from loyalty.services.ledger import (
    LoyaltyError,
    _append,
    _lock,
    _replay,
    account_tier_recalculate,
    request_fingerprint,
    rules_get,
)
from tickets.models import Ticket
from tickets.selectors import ticket_scope


class GoodwillLimitError(LoyaltyError):
    code = "goodwill_daily_limit"


class GoodwillNotAllowedError(LoyaltyError):
    code = "goodwill_not_allowed"


@dataclass(frozen=True)
class GoodwillResult:
    """Either the entry (granted now) or the request (waiting for a lead)."""

    entry: LedgerEntry | None = None
    request: GoodwillRequest | None = None


def agent_day_start(*, time_zone: str, now: datetime) -> datetime:
    """Midnight of the agent's current day in their own time zone: an agent in Istanbul
    gets a fresh limit at their midnight, not at 03:00 local (midnight UTC)."""
    local = timezone.localtime(now, zoneinfo.ZoneInfo(time_zone))
    return local.replace(hour=0, minute=0, second=0, microsecond=0)


def goodwill_granted_today(*, by: AbstractUser, now: datetime, time_zone: str = "UTC") -> int:
    """Points this agent granted on their own today (in ``time_zone``, the agent's);
    lead-approved grants do not count against the agent's limit."""
    start = agent_day_start(time_zone=time_zone, now=now)
    return (
        LedgerEntry.objects.filter(
            source=LedgerEntry.Source.GOODWILL, actor=by, created_at__gte=start,
            goodwill_request__isnull=True,
        ).aggregate(total=Sum("points"))["total"]
        or 0
    )  # fmt: skip


@transaction.atomic
def points_goodwill_grant(
    *, account: LoyaltyAccount, points: int, reason: str, by: AbstractUser,
    ticket: Ticket | None = None, idempotency_key: str, now: datetime | None = None,
) -> GoodwillResult:  # fmt: skip
    """Grant goodwill points from a ticket. Up to the threshold they are booked at once
    (within the agent's daily limit); above it a request waits for a lead."""
    now = now or timezone.now()
    reason = reason.strip()
    if points <= 0 or not reason:
        raise GoodwillNotAllowedError("Give a positive number of points and a reason.")
    profile = AgentProfile.objects.select_for_update().filter(user=by).first()
    if profile is None:
        raise GoodwillNotAllowedError("Only agents can grant goodwill points.")
    if ticket is not None and not ticket_scope(user=by).filter(pk=ticket.pk).exists():
        raise GoodwillNotAllowedError("This ticket is not yours to act on.")
    rules = rules_get()
    if points > rules.goodwill_approval_threshold:
        existing = GoodwillRequest.objects.filter(
            account=account, idempotency_key=idempotency_key
        ).first()
        if existing is not None:  # the same form submitted twice
            return GoodwillResult(request=existing)
        request = GoodwillRequest.objects.create(
            account=account, ticket=ticket, points=points, reason=reason[:500], requested_by=by,
            idempotency_key=idempotency_key,
        )  # fmt: skip
        event_record(
            kind="loyalty.goodwill_requested", actor=by, ticket=ticket, customer=account.customer,
            data={"request": request.pk, "points": points},
        )  # fmt: skip
        return GoodwillResult(request=request)
    # The agent's profile row is locked above, so two grants by one agent at the same
    # moment cannot both slip under the daily limit.
    account = _lock(account.pk)
    fingerprint = request_fingerprint(op="goodwill", points=points, reason=reason)
    if (
        entry := _replay(account=account, key=idempotency_key, fingerprint=fingerprint)
    ) is not None:
        return GoodwillResult(entry=entry)
    granted = goodwill_granted_today(by=by, now=now, time_zone=profile.time_zone)
    if granted + points > rules.goodwill_daily_limit_per_agent:
        raise GoodwillLimitError("This grant would pass your daily goodwill limit.")
    entry = _append(
        account=account, kind=LedgerEntry.Kind.EARN, source=LedgerEntry.Source.GOODWILL,
        key=idempotency_key, fingerprint=fingerprint, now=now, points=points, reason=reason,
        ticket=ticket, by=by, activity=True,
    )  # fmt: skip
    account_tier_recalculate(account=account, now=now)
    return GoodwillResult(entry=entry)


def goodwill_can_decide(*, user: AbstractUser, request: GoodwillRequest) -> bool:
    if not is_lead(user):
        return False
    if request.requested_by_id == user.pk:
        return False
    return (
        request.ticket_id is None or ticket_scope(user=user).filter(pk=request.ticket_id).exists()
    )


@transaction.atomic
def goodwill_request_decide(
    *, request: GoodwillRequest, approve: bool, by: AbstractUser, now: datetime | None = None
) -> GoodwillRequest:
    """A lead approves (points are booked) or rejects a request. Deciding twice changes
    nothing the second time."""
    now = now or timezone.now()
    request = GoodwillRequest.objects.select_for_update().get(pk=request.pk)
    if request.status != GoodwillRequest.Status.PENDING:
        return request
    if not goodwill_can_decide(user=by, request=request):
        raise GoodwillNotAllowedError("Only another team lead can decide on this request.")
    if approve:
        account = _lock(request.account_id)
        request.entry = _append(
            account=account, kind=LedgerEntry.Kind.EARN, source=LedgerEntry.Source.GOODWILL,
            key=f"goodwill-request:{request.pk}",
            fingerprint=request_fingerprint(op="goodwill_request", request=request.pk),
            now=now, points=request.points, reason=request.reason, ticket=request.ticket, by=by,
            activity=True,
        )  # fmt: skip
        account_tier_recalculate(account=account, now=now)
    request.status = GoodwillRequest.Status.APPROVED if approve else GoodwillRequest.Status.REJECTED
    request.decided_by = by
    request.decided_at = now
    request.save(update_fields=["status", "decided_by", "decided_at", "entry"])
    event_record(
        kind=f"loyalty.goodwill_{request.status}", actor=by, ticket=request.ticket,
        customer=request.account.customer, data={"request": request.pk},
    )  # fmt: skip
    return request
