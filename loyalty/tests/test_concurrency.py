"""Fifty real threads against PostgreSQL redeem from one account through the API."""

from __future__ import annotations

import json
import threading

import pytest
from django.db import connection
from rest_framework.test import APIClient

from core.api.keys import api_key_create
from loyalty.models import Coupon, LedgerEntry
from loyalty.selectors import ledger_mismatches
from loyalty.tests.factories import RewardFactory, make_member

THREADS = 50
COST = 100
AFFORDABLE = 10  # the balance pays for ten rewards; 26 different requests compete


@pytest.mark.django_db(transaction=True)
def test_fifty_threads_redeeming_never_overdraw_and_a_reused_key_answers_the_same():
    account = make_member(balance=COST * AFFORDABLE)
    reward = RewardFactory(points_cost=COST)
    _, key = api_key_create(name="shop")
    url = f"/api/v1/loyalty/accounts/{account.customer_id}/redeem/"
    barrier = threading.Barrier(THREADS)
    results: list[tuple[str, int, dict]] = []
    lock = threading.Lock()

    def redeem(idempotency_key: str) -> None:
        client = APIClient()
        try:
            barrier.wait(timeout=30)
            response = client.post(
                url, {"reward": reward.pk}, format="json",
                HTTP_AUTHORIZATION=f"Api-Key {key}", HTTP_IDEMPOTENCY_KEY=idempotency_key,
            )  # fmt: skip
            with lock:
                results.append((idempotency_key, response.status_code, response.json()))
        finally:
            connection.close()

    keys = [f"unique-{n}" for n in range(THREADS // 2)] + ["shared"] * (THREADS // 2)
    threads = [threading.Thread(target=redeem, args=(k,)) for k in keys]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert len(results) == THREADS
    assert {status for _, status, _ in results} <= {201, 422}
    shared = [(status, body) for k, status, body in results if k == "shared"]
    first = json.dumps(shared[0], sort_keys=True)
    assert all(json.dumps(s, sort_keys=True) == first for s in shared)
    shared_won = shared[0][0] == 201
    unique_successes = sum(1 for k, status, _ in results if k != "shared" and status == 201)
    assert unique_successes + shared_won == AFFORDABLE

    account.refresh_from_db()
    assert account.balance == 0
    assert LedgerEntry.objects.filter(account=account, kind="redeem").count() == AFFORDABLE
    assert Coupon.objects.filter(account=account).count() == AFFORDABLE
    balances = LedgerEntry.objects.filter(account=account).values_list("balance_after", flat=True)
    assert min(balances) >= 0
    assert not ledger_mismatches()
