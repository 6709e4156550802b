"""Every write to loyalty goes through here.

The rule that keeps balances right: lock the account row (``select_for_update``), look up
the idempotency key, then append one entry and move the cached balances by exactly the
entry's amounts, all in one transaction. CHECK constraints on the account refuse a
negative balance even if this code had a bug; a trigger refuses edits to entries.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import secrets
from datetime import datetime, timedelta
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from core.api.errors import DomainError
from core.events import event_record
from customers.models import Customer, Order
from loyalty import notifications
from loyalty.models import (
    TIER_ORDER,
    Coupon,
    LedgerEntry,
    LoyaltyAccount,
    LoyaltyNotice,
    LoyaltyRules,
    Reward,
    Tier,
)

Kind = LedgerEntry.Kind
Source = LedgerEntry.Source

# Unambiguous upper-case letters and digits (no 0/O, 1/I/L): 16 of them are 80 bits.
COUPON_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
TRAILING_YEAR = timedelta(days=365)


class LoyaltyError(DomainError):
    """A refusal the caller can show to a person; ``code`` is stable for APIs."""

    code = "loyalty_error"


class IdempotencyConflictError(LoyaltyError):
    code = "idempotency_key_reused"
    status = 409


class InsufficientPointsError(LoyaltyError):
    code = "insufficient_points"


class NotAMemberError(LoyaltyError):
    code = "not_a_member"


class AlreadyEarnedError(LoyaltyError):
    code = "already_earned"
    status = 409


class NotEligibleError(LoyaltyError):
    code = "not_eligible"


class CouponNotFoundError(NotEligibleError):
    code = "coupon_unknown"
    status = 404


class CouponUsedError(NotEligibleError):
    code = "coupon_used"
    status = 409


def rules_get() -> LoyaltyRules:
    rules, _created = LoyaltyRules.objects.get_or_create(pk=1)
    return rules


def request_fingerprint(**parts: Any) -> str:
    """A stable hash of what a request asked for, stored beside its idempotency key."""
    canonical = json.dumps(parts, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


def coupon_code_new() -> str:
    raw = "".join(secrets.choice(COUPON_ALPHABET) for _ in range(16))
    return "-".join(raw[i : i + 4] for i in range(0, 16, 4))


def points_for_cents(*, cents: int, rules: LoyaltyRules) -> int:
    return cents * rules.points_per_currency_unit // 100


def _lock(account_id: int) -> LoyaltyAccount:
    return (
        LoyaltyAccount.objects.select_for_update(of=("self",))
        .select_related("customer")
        .get(pk=account_id)
    )


def _lock_for_customer(customer_id: int) -> LoyaltyAccount:
    account = (
        LoyaltyAccount.objects.select_for_update(of=("self",))
        .select_related("customer")
        .filter(customer_id=customer_id)
        .first()
    )
    if account is None:
        raise NotAMemberError("This customer has not joined the loyalty program.")
    return account


def _replay(*, account: LoyaltyAccount, key: str, fingerprint: str) -> LedgerEntry | None:
    """The entry already written under this key (same request), or None. Called under
    the account lock, so a concurrent request with the same key waits and then sees it."""
    entry = LedgerEntry.objects.filter(account=account, idempotency_key=key).first()
    if entry is not None and entry.request_fingerprint != fingerprint:
        raise IdempotencyConflictError("This idempotency key was used for a different request.")
    return entry


def _append(
    *,
    account: LoyaltyAccount,
    kind: str,
    source: str,
    key: str,
    fingerprint: str,
    now: datetime,
    points: int = 0,
    pending_points: int = 0,
    reason: str = "",
    order: Order | None = None,
    ticket: Any = None,
    by: AbstractBaseUser | None = None,
    activity: bool = False,
) -> LedgerEntry:
    """Append one entry to a locked account and move its cached balances with it."""
    if account.balance + points < 0:
        raise InsufficientPointsError("Not enough points.")
    account.balance += points
    account.pending_balance += pending_points
    fields = ["balance", "pending_balance"]
    if activity:
        account.last_activity_at = now
        fields.append("last_activity_at")
    account.save(update_fields=fields)
    entry = LedgerEntry.objects.create(
        account=account, kind=kind, source=source, points=points, pending_points=pending_points,
        balance_after=account.balance, pending_after=account.pending_balance,
        idempotency_key=key, request_fingerprint=fingerprint, reason=reason[:500], order=order,
        ticket=ticket, actor=by if by is not None and by.is_authenticated else None, created_at=now,
    )  # fmt: skip
    event_record(
        kind=f"loyalty.{kind}",
        actor=by,
        ticket=ticket,
        customer=account.customer,
        data={"entry": entry.pk, "points": points, "pending": pending_points, "source": source},
    )
    return entry


def account_customer_merge(*, source: Customer, target: Customer) -> dict[str, int]:
    """Move a merged duplicate's loyalty account to the customer who stays. Two accounts
    cannot become one without rewriting history, so that merge is refused (nothing
    changes) and the accounts must be settled first."""
    if LoyaltyAccount.objects.filter(customer__in=[source.pk, target.pk]).count() == 2:
        raise ValueError(
            _("Both customers have a loyalty account; settle one of them before merging.")
        )
    return {
        "loyalty_accounts": LoyaltyAccount.objects.filter(customer=source).update(customer=target)
    }


@transaction.atomic
def account_join(
    *, customer: Customer, consent_source: str, by: AbstractBaseUser | None = None,
    now: datetime | None = None,
) -> LoyaltyAccount:  # fmt: skip
    """Enrol a customer who agreed to join (idempotent: joining twice changes nothing)."""
    now = now or timezone.now()
    existing = LoyaltyAccount.objects.filter(customer=customer).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            account = LoyaltyAccount.objects.create(
                customer=customer, joined_at=now, consent_at=now,
                consent_source=consent_source[:32], last_activity_at=now,
            )  # fmt: skip
    except IntegrityError:
        return LoyaltyAccount.objects.get(customer=customer)
    event_record(
        kind="loyalty.joined", actor=by, customer=customer, data={"consent": consent_source}
    )
    return account


@transaction.atomic
def points_earn_for_order(
    *, order: Order, idempotency_key: str | None = None, by: AbstractBaseUser | None = None,
    now: datetime | None = None,
) -> LedgerEntry:  # fmt: skip
    """Points for a purchase, pending until the order's return window has ended."""
    now = now or timezone.now()
    account = _lock_for_customer(order.customer_id)
    key = idempotency_key or f"order:{order.pk}:earn"
    fingerprint = request_fingerprint(op="earn_for_order", order=order.pk)
    if (entry := _replay(account=account, key=key, fingerprint=fingerprint)) is not None:
        return entry
    if LedgerEntry.objects.filter(order=order, kind=Kind.PENDING).exists():
        raise AlreadyEarnedError("Points for this order were already earned.")
    if order.status in (Order.Status.RETURNED, Order.Status.CANCELLED):
        raise NotEligibleError("A returned or cancelled order earns no points.")
    points = points_for_cents(cents=order.total_cents, rules=rules_get())
    entry = _append(
        account=account, kind=Kind.PENDING, source=Source.ORDER, key=key,
        fingerprint=fingerprint, now=now, pending_points=points, order=order, by=by,
        reason=order.number, activity=True,
    )  # fmt: skip
    if order.return_window_ends_at is not None and order.return_window_ends_at <= now:
        _approve(account=account, order=order, now=now)
    return entry


def _order_sums(order: Order) -> tuple[int, int]:
    """(pending points still waiting, approved points still standing) for one order."""
    sums = LedgerEntry.objects.filter(order=order).aggregate(
        pending=Sum("pending_points"), points=Sum("points")
    )
    return sums["pending"] or 0, sums["points"] or 0


def _approve(*, account: LoyaltyAccount, order: Order, now: datetime) -> LedgerEntry | None:
    pending, _approved = _order_sums(order)
    if pending <= 0:
        return None
    key = f"order:{order.pk}:approve"
    fingerprint = request_fingerprint(op="approve", order=order.pk)
    if (entry := _replay(account=account, key=key, fingerprint=fingerprint)) is not None:
        return entry
    entry = _append(
        account=account, kind=Kind.APPROVE, source=Source.ORDER, key=key,
        fingerprint=fingerprint, now=now, points=pending, pending_points=-pending, order=order,
        reason=order.number,
    )  # fmt: skip
    account_tier_recalculate(account=account, now=now)
    return entry


@transaction.atomic
def points_approve_pending(*, order: Order, now: datetime | None = None) -> LedgerEntry | None:
    """Confirm an order's pending points once its return window has ended (idempotent)."""
    now = now or timezone.now()
    account = _lock_for_customer(order.customer_id)
    order.refresh_from_db(fields=["return_window_ends_at", "status"])
    if order.return_window_ends_at is None or order.return_window_ends_at > now:
        return None
    return _approve(account=account, order=order, now=now)


@transaction.atomic
def on_order_refunded(
    *, order: Order, refund: object, settled: bool, by: AbstractBaseUser | None,
    now: datetime,
) -> None:  # fmt: skip
    """Take back the points an order earned when its money goes back, in the refund's
    transaction (``customers.services.order_refunded``): both commit or neither."""
    with contextlib.suppress(NotAMemberError):  # not a member: nothing to take back
        points_reverse_for_refund(
            order=order, refund_reference=f"order:{order.pk}:{refund.reference}",
            # The refund that settles the order takes back whatever is left, so points
            # rounded down on earlier partial refunds do not linger.
            refund_cents=None if settled else refund.amount_cents, by=by, now=now,
        )  # fmt: skip


def points_reverse_for_refund(
    *, order: Order, refund_reference: str, refund_cents: int | None = None,
    by: AbstractBaseUser | None = None, now: datetime | None = None,
) -> LedgerEntry | None:  # fmt: skip
    """Take back an order's points for a refund (all of them, or the refunded share).
    Pending points go first; confirmed points only as far as the balance allows, because
    a balance never goes negative (points already spent on a reward stay spent)."""
    now = now or timezone.now()
    account = _lock_for_customer(order.customer_id)
    key = f"refund:{refund_reference}"
    fingerprint = request_fingerprint(op="refund", order=order.pk, cents=refund_cents)
    if (entry := _replay(account=account, key=key, fingerprint=fingerprint)) is not None:
        return entry
    pending, confirmed = _order_sums(order)
    standing = pending + confirmed
    wanted = standing
    if refund_cents is not None:
        wanted = min(points_for_cents(cents=refund_cents, rules=rules_get()), standing)
    if wanted <= 0:
        return None
    from_pending = min(wanted, pending)
    from_balance = min(wanted - from_pending, account.balance)
    entry = _append(
        account=account, kind=Kind.REVERSE, source=Source.ORDER, key=key,
        fingerprint=fingerprint, now=now, points=-from_balance, pending_points=-from_pending,
        order=order, by=by, reason=f"{order.number} refund {refund_reference}"[:500],
    )  # fmt: skip
    account_tier_recalculate(account=account, now=now)
    return entry


@transaction.atomic
def points_survey_bonus(
    *, customer: Customer, invitation_id: int | str, now: datetime | None = None
) -> LedgerEntry | None:
    """The thank-you for answering a survey: once per invitation, members only."""
    now = now or timezone.now()
    try:
        account = _lock_for_customer(customer.pk)
    except NotAMemberError:
        return None
    key = f"survey:{invitation_id}"
    fingerprint = request_fingerprint(op="survey_bonus", invitation=str(invitation_id))
    if (entry := _replay(account=account, key=key, fingerprint=fingerprint)) is not None:
        return entry
    entry = _append(
        account=account, kind=Kind.EARN, source=Source.SURVEY, key=key,
        fingerprint=fingerprint, now=now, points=rules_get().survey_bonus_points, activity=True,
    )  # fmt: skip
    account_tier_recalculate(account=account, now=now)
    return entry


@transaction.atomic
def points_redeem(
    *, account: LoyaltyAccount, reward: Reward, idempotency_key: str,
    by: AbstractBaseUser | None = None, now: datetime | None = None,
) -> LedgerEntry:  # fmt: skip
    """Exchange points for a reward: the redeem entry and its single-use coupon are
    written together. Replaying the key returns the same entry and coupon."""
    now = now or timezone.now()
    account = _lock(account.pk)
    fingerprint = request_fingerprint(op="redeem", reward=reward.pk)
    if (
        entry := _replay(account=account, key=idempotency_key, fingerprint=fingerprint)
    ) is not None:
        return entry
    reward = Reward.objects.get(pk=reward.pk)
    if not reward.active:
        raise NotEligibleError("This reward is no longer available.")
    entry = _append(
        account=account, kind=Kind.REDEEM, source=Source.REWARD, key=idempotency_key,
        fingerprint=fingerprint, now=now, points=-reward.points_cost, by=by,
        reason=reward.name, activity=True,
    )  # fmt: skip
    coupon = Coupon.objects.create(
        code=coupon_code_new(), account=account, reward=reward, entry=entry, created_at=now,
        valid_until=now + timedelta(days=reward.coupon_valid_days),
    )  # fmt: skip
    notifications.notice_coupon(coupon=coupon)
    return entry


@transaction.atomic
def coupon_use(*, code: str, order_number: str = "", now: datetime | None = None) -> Coupon:
    """Mark a coupon used at the shop's checkout. Using it again for the same order
    returns the coupon unchanged; for another order (or without one) it is refused."""
    now = now or timezone.now()
    order_number = order_number.strip()[:64]
    coupon = (
        Coupon.objects.select_for_update(of=("self",))
        .select_related("account__customer")
        .filter(code=code.strip().upper())
        .first()
    )
    if coupon is None:
        raise CouponNotFoundError("This coupon is unknown.")
    if coupon.used_at is not None:
        if order_number and coupon.used_for_order == order_number:
            return coupon
        raise CouponUsedError("This coupon was already used.")
    if coupon.valid_until <= now:
        raise NotEligibleError("This coupon has expired.")
    coupon.used_at = now
    coupon.used_for_order = order_number
    coupon.save(update_fields=["used_at", "used_for_order"])
    event_record(
        kind="loyalty.coupon_used", customer=coupon.account.customer,
        data={"coupon": coupon.pk, "order": order_number},
    )  # fmt: skip
    return coupon


def _expiry_moment(*, account: LoyaltyAccount, rules: LoyaltyRules) -> datetime:
    return account.last_activity_at + timedelta(days=rules.expiry_inactivity_days)


@transaction.atomic
def points_expire(*, account: LoyaltyAccount, now: datetime | None = None) -> LedgerEntry | None:
    """Expire the whole available balance after the configured time without activity.
    Pending points stay: they belong to a purchase still inside its return window."""
    now = now or timezone.now()
    account = _lock(account.pk)
    if account.balance <= 0 or _expiry_moment(account=account, rules=rules_get()) > now:
        return None
    streak = account.last_activity_at.isoformat()
    key = f"expire:{streak}"
    fingerprint = request_fingerprint(op="expire", since=streak)
    if (entry := _replay(account=account, key=key, fingerprint=fingerprint)) is not None:
        return entry
    return _append(
        account=account, kind=Kind.EXPIRE, source=Source.EXPIRY, key=key,
        fingerprint=fingerprint, now=now, points=-account.balance,
    )  # fmt: skip


@transaction.atomic
def points_expiry_warn(
    *, account: LoyaltyAccount, now: datetime | None = None
) -> LoyaltyNotice | None:
    """Tell the customer their points will expire, once per quiet spell."""
    now = now or timezone.now()
    account = _lock(account.pk)
    rules = rules_get()
    expires_at = _expiry_moment(account=account, rules=rules)
    if account.balance <= 0 or not (
        expires_at - timedelta(days=rules.expiry_warning_days) <= now < expires_at
    ):
        return None
    return notifications.notice_expiry_warning(account=account, expires_at=expires_at)


def points_earned_trailing_year(*, account: LoyaltyAccount, now: datetime) -> int:
    earned = LedgerEntry.objects.filter(
        account=account,
        kind__in=[Kind.EARN, Kind.APPROVE, Kind.REVERSE],
        created_at__gt=now - TRAILING_YEAR,
    ).aggregate(total=Sum("points"))["total"]
    return max(earned or 0, 0)


def tier_for(*, earned: int, rules: LoyaltyRules) -> str:
    if earned >= rules.gold_threshold:
        return Tier.GOLD
    if earned >= rules.silver_threshold:
        return Tier.SILVER
    return Tier.BRONZE


def account_tier_recalculate(*, account: LoyaltyAccount, now: datetime | None = None) -> str:
    """Set the tier from points earned in the trailing twelve months; reaching a higher
    tier sends a congratulation. Call it with the account locked, inside a transaction."""
    now = now or timezone.now()
    tier = tier_for(earned=points_earned_trailing_year(account=account, now=now), rules=rules_get())
    if tier == account.tier:
        return tier
    previous = account.tier
    account.tier = tier
    account.save(update_fields=["tier"])
    event_record(
        kind="loyalty.tier_changed", customer=account.customer, data={"from": previous, "to": tier}
    )
    if TIER_ORDER.index(tier) > TIER_ORDER.index(previous):
        notifications.notice_tier_milestone(account=account, tier=tier, now=now)
    return tier


@transaction.atomic
def account_tier_refresh(*, account: LoyaltyAccount, now: datetime | None = None) -> str:
    """The nightly recalculation: tiers also fall as old points leave the twelve months."""
    return account_tier_recalculate(account=_lock(account.pk), now=now)


@transaction.atomic
def points_adjust(
    *, account: LoyaltyAccount, points: int, reason: str, by: AbstractBaseUser,
    idempotency_key: str, now: datetime | None = None,
) -> LedgerEntry:  # fmt: skip
    """An admin's correction, as a new entry (entries are never edited)."""
    now = now or timezone.now()
    account = _lock(account.pk)
    fingerprint = request_fingerprint(op="adjust", points=points, reason=reason)
    if (
        entry := _replay(account=account, key=idempotency_key, fingerprint=fingerprint)
    ) is not None:
        return entry
    return _append(
        account=account, kind=Kind.ADJUST, source=Source.ADMIN, key=idempotency_key,
        fingerprint=fingerprint, now=now, points=points, reason=reason, by=by,
    )  # fmt: skip
