from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse

from core.models import Event
from customers.models import Order, OrderRefund
from customers.services import RefundError, order_refund
from customers.tests.factories import OrderFactory
from loyalty import services as loyalty
from loyalty.models import LedgerEntry
from loyalty.selectors import ledger_mismatches
from loyalty.tests.factories import make_member, make_order
from tickets.tests.factories import make_agent

pytestmark = pytest.mark.django_db


def test_a_full_refund_marks_the_order_returned_and_takes_back_pending_points():
    account = make_member()
    order = make_order(account=account, total_cents=10_000)
    loyalty.points_earn_for_order(order=order)

    refund = order_refund(order=order, full=True)

    order.refresh_from_db()
    account.refresh_from_db()
    assert (order.status, refund.amount_cents, refund.full) == ("returned", 10_000, True)
    assert (account.pending_balance, account.balance) == (0, 0)
    assert Event.objects.filter(kind="order.refunded", customer_id=order.customer.pk).count() == 1
    assert order_refund(order=order, full=True) == refund  # idempotent
    assert LedgerEntry.objects.filter(kind="reverse").count() == 1


def test_partial_refunds_take_back_their_share_and_the_last_one_returns_the_order():
    account = make_member()
    order = make_order(account=account, total_cents=10_000, window_ends_in=timedelta(0))
    loyalty.points_earn_for_order(order=order)  # window over: confirmed at once
    account.refresh_from_db()
    assert account.balance == 100

    first = order_refund(order=order, amount_cents=2_500, reference="R-1")
    assert order_refund(order=order, amount_cents=2_500, reference="R-1") == first  # retry
    with pytest.raises(RefundError):
        order_refund(order=order, amount_cents=999, reference="R-1")  # same ref, other amount
    with pytest.raises(RefundError):
        order_refund(order=order, amount_cents=7_501, reference="R-2")  # more than is left
    account.refresh_from_db()
    order.refresh_from_db()
    assert (account.balance, order.status) == (75, "placed")

    order_refund(order=order, amount_cents=7_500, reference="R-2")
    account.refresh_from_db()
    order.refresh_from_db()
    assert (account.balance, order.status) == (0, "returned")
    assert ledger_mismatches() == []


def test_partial_refunds_that_settle_the_order_leave_no_points_behind():
    account = make_member()
    order = make_order(account=account, total_cents=199, window_ends_in=timedelta(0))
    loyalty.points_earn_for_order(order=order)  # 1 point
    order_refund(order=order, amount_cents=99, reference="A")  # 0.99 → no point yet
    order_refund(order=order, amount_cents=100, reference="B")  # settles: the rest goes
    account.refresh_from_db()
    assert account.balance == 0


@pytest.mark.parametrize(
    "kwargs",
    [
        {},
        {"full": True, "amount_cents": 10},
        {"amount_cents": 0, "reference": "R"},
        {"amount_cents": -5, "reference": "R"},
        {"amount_cents": 10},  # a partial refund needs a reference
        {"amount_cents": 10, "reference": "   "},
    ],
)
def test_malformed_refunds_are_refused_and_change_nothing(kwargs):
    order = OrderFactory(total_cents=1_000)
    with pytest.raises(RefundError):
        order_refund(order=order, **kwargs)
    assert not OrderRefund.objects.exists()
    assert Order.objects.get(pk=order.pk).status == "placed"


def test_a_refund_for_a_customer_outside_the_program_books_no_points():
    order = OrderFactory(total_cents=1_000)
    refund = order_refund(order=order, full=True)
    assert refund.amount_cents == 1_000
    assert not LedgerEntry.objects.exists()


def test_a_refund_failing_in_loyalty_rolls_back_the_refund():
    from customers.services import order_refunded

    account = make_member()
    order = make_order(account=account)
    loyalty.points_earn_for_order(order=order)

    def broken(**kwargs):
        raise RuntimeError("ledger down")

    order_refunded.register(broken)  # a reaction in the refund's transaction that fails
    try:
        with pytest.raises(RuntimeError):
            order_refund(order=order, full=True)
    finally:
        order_refunded.unregister(broken)
    assert not OrderRefund.objects.exists()
    assert Order.objects.get(pk=order.pk).status == "placed"


def test_the_admin_action_refunds_in_full(client):
    admin_user = make_agent(username="boss", role="admin").user
    admin_user.is_staff = admin_user.is_superuser = True
    admin_user.save()
    account = make_member()
    order = make_order(account=account)
    loyalty.points_earn_for_order(order=order)
    client.force_login(admin_user)

    response = client.post(
        reverse("admin:customers_order_changelist"),
        {"action": "refund_in_full", "_selected_action": [order.pk]},
        follow=True,
    )

    assert "1 order refunded." in response.text
    order.refresh_from_db()
    account.refresh_from_db()
    assert (order.status, account.pending_balance) == ("returned", 0)
    assert OrderRefund.objects.get().created_by == admin_user
