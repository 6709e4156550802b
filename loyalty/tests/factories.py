from __future__ import annotations

from datetime import timedelta

import factory
from django.utils import timezone

from customers.tests.factories import ContactIdentityFactory, CustomerFactory, OrderFactory
from loyalty.models import Reward
from loyalty.services import account_join, points_adjust


class RewardFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Reward

    name = factory.Sequence(lambda n: f"Voucher {n}")
    points_cost = 100


def make_member(*, balance: int = 0, email: str | None = None, language: str = "en", **kwargs):
    """A customer who joined the program, optionally with points (booked as an entry so
    the ledger stays the truth) and an email address."""
    customer = CustomerFactory(language=language, **kwargs)
    if email:
        ContactIdentityFactory(customer=customer, address=email, verified=True)
    account = account_join(customer=customer, consent_source="test")
    if balance:
        from tickets.tests.factories import make_agent

        admin = make_agent(username=f"admin-{customer.pk}", role="admin").user
        points_adjust(
            account=account, points=balance, reason="start", by=admin, idempotency_key="start"
        )
        account.refresh_from_db()
    return account


def make_order(*, account, total_cents: int = 10_000, window_ends_in: timedelta | None = None):
    now = timezone.now()
    window = window_ends_in if window_ends_in is not None else timedelta(days=14)
    return OrderFactory(
        customer=account.customer, total_cents=total_cents, delivered_at=now,
        return_window_ends_at=now + window,
    )  # fmt: skip
