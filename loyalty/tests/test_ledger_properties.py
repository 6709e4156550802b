"""Random sequences of ledger operations keep the cache equal to the sum of entries and
never let a balance go negative."""

from __future__ import annotations

import contextlib
import uuid
from datetime import timedelta

import pytest
from django.db.models import Sum
from django.utils import timezone
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    Bundle,
    RuleBasedStateMachine,
    consumes,
    invariant,
    rule,
    run_state_machine_as_test,
)

from customers.tests.factories import OrderFactory
from loyalty import services
from loyalty.models import LoyaltyAccount
from loyalty.tests.factories import RewardFactory, make_member


class LedgerMachine(RuleBasedStateMachine):
    orders = Bundle("orders")

    def __init__(self) -> None:
        super().__init__()
        self.account = make_member()
        self.now = timezone.now()
        self.rewards = [RewardFactory(points_cost=cost) for cost in (30, 120, 500)]

    @rule(target=orders, cents=st.integers(0, 200_000), window_days=st.integers(0, 30))
    def pending(self, cents: int, window_days: int):
        order = OrderFactory(
            customer=self.account.customer, total_cents=cents, placed_at=self.now,
            return_window_ends_at=self.now + timedelta(days=window_days),
        )  # fmt: skip
        services.points_earn_for_order(order=order, now=self.now)
        return order

    @rule(invitation=st.integers(1, 20))
    def earn(self, invitation: int):
        services.points_survey_bonus(
            customer=self.account.customer, invitation_id=invitation, now=self.now
        )

    @rule(order=orders)
    def approve(self, order):
        services.points_approve_pending(order=order, now=self.now)

    @rule(order=orders, cents=st.one_of(st.none(), st.integers(0, 300_000)))
    def reverse(self, order, cents):
        services.points_reverse_for_refund(
            order=order, refund_reference=uuid.uuid4().hex, refund_cents=cents, now=self.now
        )

    @rule(order=consumes(orders))
    def reverse_in_full_twice(self, order):
        for _ in range(2):
            services.points_reverse_for_refund(
                order=order, refund_reference=f"full-{order.pk}", now=self.now
            )

    @rule(which=st.integers(0, 2), key=st.sampled_from(["a", "b", "c", "fresh"]))
    def redeem(self, which: int, key: str):
        reward = self.rewards[which]
        key = uuid.uuid4().hex if key == "fresh" else key
        with contextlib.suppress(
            services.InsufficientPointsError, services.IdempotencyConflictError
        ):
            services.points_redeem(
                account=self.account, reward=reward, idempotency_key=key, now=self.now
            )

    @rule(days=st.integers(1, 400))
    def time_passes(self, days: int):
        self.now += timedelta(days=days)

    @rule()
    def expire(self):
        services.points_expire(account=self.account, now=self.now)

    @invariant()
    def cache_equals_sum_and_never_negative(self):
        account = LoyaltyAccount.objects.get(pk=self.account.pk)
        sums = account.entries.aggregate(points=Sum("points"), pending=Sum("pending_points"))
        assert account.balance == (sums["points"] or 0)
        assert account.pending_balance == (sums["pending"] or 0)
        assert account.balance >= 0
        assert account.pending_balance >= 0
        assert not account.entries.filter(balance_after__lt=0).exists()


@pytest.mark.django_db
def test_random_sequences_of_ledger_operations_keep_the_books_right():
    run_state_machine_as_test(
        LedgerMachine,
        settings=settings(
            max_examples=40,
            stateful_step_count=25,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow],
        ),
    )
