from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.utils import timezone

from core.models import Event
from loyalty import services
from loyalty.models import Coupon, LedgerEntry, LoyaltyAccount, LoyaltyNotice, Tier
from loyalty.selectors import ledger_mismatches
from loyalty.tests.factories import RewardFactory, make_member, make_order
from messaging.tests.outbox_helpers import outbox_deliver_queued

pytestmark = pytest.mark.django_db


def test_an_order_earns_pending_points_confirmed_when_the_return_window_ends():
    account = make_member()
    order = make_order(account=account, total_cents=12_345)

    entry = services.points_earn_for_order(order=order)
    account.refresh_from_db()
    assert (entry.kind, entry.pending_points, account.balance, account.pending_balance) == (
        "pending", 123, 0, 123,
    )  # fmt: skip

    assert services.points_approve_pending(order=order) is None  # window still open
    later = order.return_window_ends_at + timedelta(seconds=1)
    approved = services.points_approve_pending(order=order, now=later)
    assert approved.points == 123
    assert services.points_approve_pending(order=order, now=later) is None  # nothing left
    account.refresh_from_db()
    assert (account.balance, account.pending_balance) == (123, 0)
    assert not ledger_mismatches()


def test_earning_twice_for_one_order_replays_or_refuses():
    account = make_member()
    order = make_order(account=account)
    first = services.points_earn_for_order(order=order)

    assert services.points_earn_for_order(order=order) == first
    with pytest.raises(services.AlreadyEarnedError):
        services.points_earn_for_order(order=order, idempotency_key="another-key")
    assert LedgerEntry.objects.filter(order=order).count() == 1


def test_a_customer_who_has_not_joined_earns_nothing():
    from customers.tests.factories import OrderFactory

    with pytest.raises(services.NotAMemberError):
        services.points_earn_for_order(order=OrderFactory(total_cents=5000))


def test_a_refund_in_the_return_window_reverses_pending_points():
    account = make_member()
    order = make_order(account=account, total_cents=10_000)
    services.points_earn_for_order(order=order)

    partial = services.points_reverse_for_refund(
        order=order, refund_reference="R1", refund_cents=2500
    )
    again = services.points_reverse_for_refund(
        order=order, refund_reference="R1", refund_cents=2500
    )
    assert (partial, partial.pending_points) == (again, -25)
    with pytest.raises(services.IdempotencyConflictError):
        services.points_reverse_for_refund(order=order, refund_reference="R1", refund_cents=10)
    services.points_reverse_for_refund(order=order, refund_reference="R2")
    account.refresh_from_db()
    assert (account.balance, account.pending_balance) == (0, 0)
    later = order.return_window_ends_at + timedelta(days=1)
    assert services.points_approve_pending(order=order, now=later) is None


def test_a_refund_after_approval_takes_back_no_more_than_the_balance():
    account = make_member()
    order = make_order(account=account, total_cents=30_000, window_ends_in=timedelta(0))
    services.points_earn_for_order(order=order)  # window already ended: confirmed at once
    reward = RewardFactory(points_cost=250)
    services.points_redeem(account=account, reward=reward, idempotency_key="k")

    entry = services.points_reverse_for_refund(order=order, refund_reference="R")
    account.refresh_from_db()
    assert (entry.points, account.balance) == (-50, 0)
    assert not ledger_mismatches()


def test_survey_bonus_once_per_invitation_and_nothing_for_non_members():
    from customers.tests.factories import CustomerFactory

    account = make_member()
    first = services.points_survey_bonus(customer=account.customer, invitation_id=7)
    assert services.points_survey_bonus(customer=account.customer, invitation_id=7) == first
    services.points_survey_bonus(customer=account.customer, invitation_id=8)
    account.refresh_from_db()
    assert account.balance == 100
    assert services.points_survey_bonus(customer=CustomerFactory(), invitation_id=9) is None


def test_redeeming_makes_one_coupon_and_replays_the_same_result():
    account = make_member(balance=250)
    reward = RewardFactory(points_cost=100)

    entry = services.points_redeem(account=account, reward=reward, idempotency_key="abc")
    assert services.points_redeem(account=account, reward=reward, idempotency_key="abc") == entry
    other = RewardFactory(points_cost=100)
    with pytest.raises(services.IdempotencyConflictError):
        services.points_redeem(account=account, reward=other, idempotency_key="abc")
    services.points_redeem(account=account, reward=reward, idempotency_key="def")
    with pytest.raises(services.InsufficientPointsError):
        services.points_redeem(account=account, reward=reward, idempotency_key="ghi")
    account.refresh_from_db()
    assert account.balance == 50
    codes = list(Coupon.objects.values_list("code", flat=True))
    assert len(set(codes)) == len(codes) == 2
    assert all(len(c) == 19 for c in codes)
    services.coupon_use(code=codes[0])
    with pytest.raises(services.NotEligibleError):
        services.coupon_use(code=codes[0])


def test_points_expire_after_inactivity_once_and_warn_before(
    settings, django_capture_on_commit_callbacks
):
    account = make_member(balance=300, email="ada@example.com", language="de")
    rules = services.rules_get()
    quiet = account.last_activity_at

    assert services.points_expiry_warn(account=account) is None
    warn_at = quiet + timedelta(days=rules.expiry_inactivity_days - rules.expiry_warning_days)
    with django_capture_on_commit_callbacks(execute=True):
        notice = services.points_expiry_warn(account=account, now=warn_at)
        assert services.points_expiry_warn(account=account, now=warn_at + timedelta(days=1)) is None
    assert (notice.kind, notice.language) == (LoyaltyNotice.Kind.EXPIRY_WARNING, "de")
    outbox_deliver_queued()
    assert [m.to for m in mail.outbox] == [["ada@example.com"]]
    assert "300" in mail.outbox[0].subject
    notice.refresh_from_db()
    assert notice.sent

    assert services.points_expire(account=account, now=warn_at) is None
    expire_at = quiet + timedelta(days=rules.expiry_inactivity_days)
    entry = services.points_expire(account=account, now=expire_at)
    assert services.points_expire(account=account, now=expire_at + timedelta(days=1)) is None
    account.refresh_from_db()
    assert (entry.points, account.balance) == (-300, 0)


def test_tiers_follow_points_earned_in_twelve_months_with_a_congratulation(
    django_capture_on_commit_callbacks,
):
    account = make_member(email="tier@example.com")
    order = make_order(account=account, total_cents=150_000, window_ends_in=timedelta(0))
    with django_capture_on_commit_callbacks(execute=True):
        services.points_earn_for_order(order=order)
    account.refresh_from_db()
    assert account.tier == Tier.SILVER
    assert LoyaltyNotice.objects.get(kind="tier").sent
    outbox_deliver_queued()
    assert "Silver" in mail.outbox[0].subject

    next_year = timezone.now() + timedelta(days=366)
    assert services.account_tier_refresh(account=account, now=next_year) == Tier.BRONZE
    assert outbox_deliver_queued() == []  # no message for falling back


def test_every_change_writes_an_audit_event():
    account = make_member(balance=10)
    assert Event.objects.filter(kind="loyalty.adjust", customer_id=account.customer.pk).exists()


def test_ledger_rows_cannot_be_updated_or_deleted_through_the_orm_or_raw_sql():
    account = make_member(balance=10)
    entry = account.entries.get()

    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        LedgerEntry.objects.filter(pk=entry.pk).update(points=1_000)
    entry.points = 5
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        entry.save()
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        entry.delete()
    for sql in ("UPDATE loyalty_ledgerentry SET points = 0 WHERE id = %s",
                "DELETE FROM loyalty_ledgerentry WHERE id = %s"):  # fmt: skip
        with (
            pytest.raises(DatabaseError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(sql, [entry.pk])
    entry.refresh_from_db()
    assert entry.points == 10


def test_the_database_refuses_a_negative_balance_whatever_the_code_does():
    account = make_member()
    with pytest.raises(IntegrityError), transaction.atomic():
        LoyaltyAccount.objects.filter(pk=account.pk).update(balance=-1)


def test_reconcile_command_passes_and_fails_on_a_tampered_cache(capsys):
    account = make_member(balance=40)
    call_command("loyalty_reconcile")
    assert "reconcile" in capsys.readouterr().out

    LoyaltyAccount.objects.filter(pk=account.pk).update(balance=41)
    with pytest.raises(CommandError):
        call_command("loyalty_reconcile")
