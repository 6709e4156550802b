"""Loyalty sweeps run by beat. Each finds the rows due and calls one service per row;
the services are idempotent, so a sweep that runs twice changes nothing the second time."""

from __future__ import annotations

from datetime import timedelta

from celery import shared_task
from django.db.models import Sum
from django.utils import timezone

from customers.models import Order
from loyalty import services
from loyalty.models import LedgerEntry, LoyaltyAccount, Tier


@shared_task(acks_late=True)
def loyalty_approve_pending_due() -> int:
    """Confirm pending points of orders whose return window has ended."""
    now = timezone.now()
    order_ids = (
        LedgerEntry.objects.filter(order__return_window_ends_at__lte=now)
        .values("order_id")
        .annotate(pending=Sum("pending_points"))
        .filter(pending__gt=0)
        .values_list("order_id", flat=True)
    )
    done = 0
    for order in Order.objects.filter(pk__in=list(order_ids)):
        done += services.points_approve_pending(order=order, now=now) is not None
    return done


@shared_task(acks_late=True)
def loyalty_expiry_warn_due() -> int:
    now = timezone.now()
    rules = services.rules_get()
    quiet_since = now - timedelta(days=rules.expiry_inactivity_days - rules.expiry_warning_days)
    done = 0
    for account in LoyaltyAccount.objects.filter(last_activity_at__lte=quiet_since, balance__gt=0):
        done += services.points_expiry_warn(account=account, now=now) is not None
    return done


@shared_task(acks_late=True)
def loyalty_expire_due() -> int:
    now = timezone.now()
    quiet_since = now - timedelta(days=services.rules_get().expiry_inactivity_days)
    done = 0
    for account in LoyaltyAccount.objects.filter(last_activity_at__lte=quiet_since, balance__gt=0):
        done += services.points_expire(account=account, now=now) is not None
    return done


@shared_task(acks_late=True)
def loyalty_tiers_recalculate_due() -> int:
    """Tiers fall as old points leave the trailing twelve months; only non-Bronze
    accounts can fall."""
    now = timezone.now()
    changed = 0
    for account in LoyaltyAccount.objects.exclude(tier=Tier.BRONZE):
        changed += services.account_tier_refresh(account=account, now=now) != account.tier
    return changed
