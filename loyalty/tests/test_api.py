from __future__ import annotations

import json

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from core.api.keys import api_key_create
from core.models import AgentProfile
from customers.tests.factories import CustomerFactory
from loyalty.models import LedgerEntry
from loyalty.tests.factories import RewardFactory, make_member, make_order
from tickets.tests.factories import PASSWORD, make_agent

pytestmark = pytest.mark.django_db


@pytest.fixture
def api():
    _, key = api_key_create(name="shop")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Api-Key {key}")
    return client


@pytest.fixture
def member():
    return make_member(balance=500)


def redeem_url(account) -> str:
    return reverse("loyalty-api:redeem", args=[account.customer_id])


def test_balance_and_entries_with_an_api_key(api, member):
    response = api.get(reverse("loyalty-api:account", args=[member.customer_id]), {"limit": 1})

    assert response.status_code == 200
    body = response.json()
    assert (body["balance"], body["tier"], len(body["entries"])) == (500, "bronze", 1)


def test_redeem_replays_the_same_response_and_refuses_a_different_request(api, member):
    reward, other = RewardFactory(points_cost=100), RewardFactory(points_cost=50)
    first = api.post(redeem_url(member), {"reward": reward.pk}, HTTP_IDEMPOTENCY_KEY="k-1")
    again = api.post(redeem_url(member), {"reward": reward.pk}, HTTP_IDEMPOTENCY_KEY="k-1")
    different = api.post(redeem_url(member), {"reward": other.pk}, HTTP_IDEMPOTENCY_KEY="k-1")

    assert (first.status_code, again.status_code) == (201, 201)
    assert first.json() == again.json()
    assert first.json()["coupon"]["code"]
    assert different.status_code == 409
    assert different.json()["code"] == "idempotency_key_reused"
    assert LedgerEntry.objects.filter(kind="redeem").count() == 1


def test_redeem_without_enough_points_is_refused_clearly(api):
    account = make_member(balance=10)
    response = api.post(
        redeem_url(account), {"reward": RewardFactory(points_cost=100).pk}, HTTP_IDEMPOTENCY_KEY="x"
    )
    assert response.status_code == 422
    assert response.json()["code"] == "insufficient_points"


def test_earn_for_an_order_is_idempotent(api, member):
    order = make_order(account=member, total_cents=4_999)
    url = reverse("loyalty-api:earn")

    first = api.post(url, {"order": order.number}, format="json", HTTP_IDEMPOTENCY_KEY="o1")
    again = api.post(url, {"order": order.number}, format="json", HTTP_IDEMPOTENCY_KEY="o1")
    other_key = api.post(url, {"order": order.number}, format="json", HTTP_IDEMPOTENCY_KEY="o2")

    assert first.status_code == 201
    assert first.json() == again.json()
    assert first.json()["pending_points"] == 49
    assert other_key.status_code == 409
    assert other_key.json()["code"] == "already_earned"


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        ("{not json", "application/json"),
        ('{"reward": ' + "9" * 5000 + "}", "application/json"),
        ('{"reward": "' + "9" * 5000 + '"}', "application/json"),
        ('{"reward": -1}', "application/json"),
        ('{"reward": 1e400}', "application/json"),
        ('{"reward": "1; DROP TABLE loyalty_ledgerentry"}', "application/json"),
        ('{"reward": {"$gt": 0}}', "application/json"),
        ('[{"reward": 1}]', "application/json"),
        ('{"reward": null}', "application/json"),
        ("", "application/json"),
        ("reward=1", "text/plain"),
        ('{"reward": "' + "x" * 2_000_000 + '"}', "application/json"),
        ("\x00\xff" * 100, "application/json"),
    ],
)
def test_malformed_oversized_and_hostile_bodies_get_a_clear_4xx(api, member, body, content_type):
    response = api.generic(
        "POST", redeem_url(member), body, content_type=content_type, HTTP_IDEMPOTENCY_KEY="h"
    )
    assert 400 <= response.status_code < 500
    assert LedgerEntry.objects.filter(kind="redeem").count() == 0


@pytest.mark.parametrize("key", [None, "", " ", "a" * 151, "ключ", "line\nbreak", "tab\tkey"])
def test_a_missing_or_malformed_idempotency_key_is_refused(api, member, key):
    reward = RewardFactory()
    headers = {} if key is None else {"HTTP_IDEMPOTENCY_KEY": key}
    response = api.post(redeem_url(member), {"reward": reward.pk}, format="json", **headers)
    assert response.status_code == 400
    assert "Idempotency-Key" in response.json()["errors"]


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/loyalty/accounts/99999999999999999999999/",
        "/api/v1/loyalty/accounts/0/",
        "/api/v1/loyalty/accounts/abc/",
        "/api/v1/loyalty/accounts/1/?limit=abc",
        "/api/v1/loyalty/accounts/1/?limit=-5",
        "/api/v1/loyalty/accounts/1/?limit=99999999999999999999",
    ],
)
def test_hostile_paths_and_query_strings_never_500(api, path):
    assert api.get(path).status_code in (400, 404, 422)


def test_non_members_and_unknown_rewards_are_refused(api, member):
    stranger = CustomerFactory()
    assert api.get(reverse("loyalty-api:account", args=[stranger.pk])).status_code == 422
    response = api.post(redeem_url(member), {"reward": 987654}, HTTP_IDEMPOTENCY_KEY="z")
    assert response.status_code == 422


def test_authentication_api_key_or_staff_session_only(client, member):
    url = reverse("loyalty-api:account", args=[member.customer_id])
    assert APIClient().get(url).status_code in (401, 403)
    assert APIClient().get(url, HTTP_AUTHORIZATION="Api-Key wrong").status_code == 401
    assert APIClient().get(url, HTTP_AUTHORIZATION="Api-Key a b c").status_code == 401
    key, plain = api_key_create(name="revoked")
    key.active = False
    key.save()
    assert APIClient().get(url, HTTP_AUTHORIZATION=f"Api-Key {plain}").status_code == 401

    make_agent(username="agent")
    client.login(username="agent", password=PASSWORD)
    assert client.get(url).status_code == 403  # agents are not staff
    make_agent(username="lead", role=AgentProfile.Role.LEAD)
    client.login(username="lead", password=PASSWORD)
    assert client.get(url).status_code == 200


def test_the_rewards_list_and_the_openapi_schema(api, client):
    RewardFactory(name="Free shipping")
    assert api.get(reverse("loyalty-api:rewards")).json()[0]["name"] == "Free shipping"
    make_agent(username="admin", role=AgentProfile.Role.ADMIN)
    client.login(username="admin", password=PASSWORD)
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json")
    assert schema.status_code == 200
    paths = json.loads(schema.content)["paths"]
    assert "/api/v1/loyalty/accounts/{customer_id}/redeem/" in paths
    redeem = paths["/api/v1/loyalty/accounts/{customer_id}/redeem/"]["post"]
    assert any(p["name"] == "Idempotency-Key" for p in redeem["parameters"])


def test_join_records_consent_once(api):
    customer = CustomerFactory()
    url = reverse("loyalty-api:join", args=[customer.pk])
    first, again = api.post(url), api.post(url)
    assert (first.status_code, again.status_code) == (201, 201)
    assert first.json() == again.json()
    assert customer.loyalty_account.consent_source == "api"
