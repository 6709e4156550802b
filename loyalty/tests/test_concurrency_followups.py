"""Races on the follow-up features, with real threads against PostgreSQL."""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest
from django.db import connection

from loyalty import services
from loyalty.models import Coupon, LoyaltyNotice
from loyalty.tests.factories import RewardFactory, make_member
from messaging.models import OutboxMessage
from tickets.tests.factories import TeamFactory, TicketFactory, make_agent

THREADS = 8


def race(work: Callable[[int], object]) -> list[object]:
    """Run ``work(i)`` in THREADS threads released at the same moment; the outcomes."""
    barrier = threading.Barrier(THREADS)
    outcomes: list[object] = []
    lock = threading.Lock()

    def run(i: int) -> None:
        try:
            barrier.wait(timeout=30)
            try:
                outcome: object = work(i)
            except services.LoyaltyError as error:
                outcome = error
            with lock:
                outcomes.append(outcome)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcomes


@pytest.mark.django_db(transaction=True)
def test_agents_clicking_send_link_at_once_send_one_email():
    team = TeamFactory(slug="care", name="Care")
    agents = [make_agent(username=f"a{i}", teams=[team]).user for i in range(THREADS)]
    account = make_member(email="race@example.com")
    ticket = TicketFactory(team=team, customer=account.customer)

    outcomes = race(lambda i: services.account_link_send(ticket=ticket, by=agents[i]))

    assert len(outcomes) == THREADS
    assert sum(isinstance(o, LoyaltyNotice) for o in outcomes) == 1
    assert all(isinstance(o, (LoyaltyNotice, services.LinkRateLimitedError)) for o in outcomes)
    assert OutboxMessage.objects.filter(kind="loyalty.link").count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_checkouts_racing_for_one_coupon_one_wins():
    account = make_member(balance=100)
    entry = services.points_redeem(account=account, reward=RewardFactory(), idempotency_key="r")
    code = entry.coupon.code

    outcomes = race(lambda i: services.coupon_use(code=code, order_number=f"SHOP-{i % 2}"))

    coupon = Coupon.objects.get()
    winners = [o for o in outcomes if isinstance(o, Coupon)]
    losers = [o for o in outcomes if isinstance(o, services.CouponUsedError)]
    assert len(winners) + len(losers) == THREADS
    assert {w.used_for_order for w in winners} == {coupon.used_for_order}
