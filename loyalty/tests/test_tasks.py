"""The beat sweeps: pending approval, expiry warnings and expiry, with a moved clock."""

from __future__ import annotations

from datetime import timedelta
from unittest import mock

import pytest
from django.core import mail
from django.utils import timezone

from helpdesk.celery import app
from loyalty import services, tasks
from loyalty.models import LedgerEntry, LoyaltyAccount, LoyaltyNotice
from loyalty.selectors import ledger_mismatches
from loyalty.tests.factories import make_member, make_order
from messaging.tests.outbox_helpers import outbox_deliver_queued

SWEEPS = {
    "loyalty-approve-pending": tasks.loyalty_approve_pending_due,
    "loyalty-expiry-warnings": tasks.loyalty_expiry_warn_due,
    "loyalty-expire": tasks.loyalty_expire_due,
    "loyalty-tiers": tasks.loyalty_tiers_recalculate_due,
}


def test_the_sweeps_are_in_the_beat_schedule(settings):
    for name, task in SWEEPS.items():
        assert settings.CELERY_BEAT_SCHEDULE[name]["task"] == task.name
        assert task.name in app.tasks


@pytest.mark.django_db
def test_a_year_on_a_moved_clock_approves_then_warns_then_expires(
    django_capture_on_commit_callbacks,
):
    account = make_member(email="kim@example.com")
    order = make_order(account=account, total_cents=20_000)
    services.points_earn_for_order(order=order)
    start = timezone.now()

    def at(days: int):
        return mock.patch("loyalty.tasks.timezone.now", return_value=start + timedelta(days=days))

    with at(13):
        assert tasks.loyalty_approve_pending_due() == 0  # return window still open
    with at(15):
        assert tasks.loyalty_approve_pending_due() == 1
        assert tasks.loyalty_approve_pending_due() == 0  # idempotent
    account.refresh_from_db()
    assert (account.balance, account.pending_balance) == (200, 0)

    with at(330), django_capture_on_commit_callbacks(execute=True):
        assert tasks.loyalty_expiry_warn_due() == 0
    with at(340), django_capture_on_commit_callbacks(execute=True):
        assert tasks.loyalty_expiry_warn_due() == 1
        assert tasks.loyalty_expiry_warn_due() == 0
        assert tasks.loyalty_expire_due() == 0
    outbox_deliver_queued()
    assert [m.to for m in mail.outbox] == [["kim@example.com"]]
    with at(366):
        assert tasks.loyalty_expire_due() == 1
        assert tasks.loyalty_expire_due() == 0
    account.refresh_from_db()
    assert account.balance == 0
    assert not ledger_mismatches()


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_the_sweeps_run_in_a_real_worker_on_rows_whose_time_has_come(celery_worker_process):
    rules = services.rules_get()
    due = make_member(email="due@example.com")
    order = make_order(account=due, total_cents=10_000)
    services.points_earn_for_order(order=order)
    type(order).objects.filter(pk=order.pk).update(
        return_window_ends_at=timezone.now() - timedelta(minutes=1)
    )
    warned = make_member(balance=70, email="warn@example.com")
    expired = make_member(balance=90)
    LoyaltyAccount.objects.filter(pk=warned.pk).update(
        last_activity_at=timezone.now() - timedelta(days=rules.expiry_inactivity_days - 5)
    )
    LoyaltyAccount.objects.filter(pk=expired.pk).update(
        last_activity_at=timezone.now() - timedelta(days=rules.expiry_inactivity_days + 1)
    )

    for task in (tasks.loyalty_approve_pending_due, tasks.loyalty_expiry_warn_due,
                 tasks.loyalty_expire_due):  # fmt: skip
        assert task.delay().get(timeout=60) == 1
        assert task.delay().get(timeout=60) == 0  # a second run changes nothing

    due.refresh_from_db()
    warned.refresh_from_db()
    expired.refresh_from_db()
    assert (due.balance, warned.balance, expired.balance) == (100, 70, 0)
    notice = LoyaltyNotice.objects.get(customer=warned.customer)
    assert notice.sent
    assert notice.to == "warn@example.com"
    assert LedgerEntry.objects.filter(kind="expire", account=expired).count() == 1
    assert not ledger_mismatches()
