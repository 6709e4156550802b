"""Every API error is a problem+json document (RFC 9457) with a stable code."""

from __future__ import annotations

import pytest
from django.urls import reverse

from core.api.keys import api_key_create
from customers.tests.factories import CustomerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(client):
    _row, key = api_key_create(name="shop")
    client.defaults["HTTP_AUTHORIZATION"] = f"Api-Key {key}"
    return client


def _problem(response, status: int, code: str) -> dict:
    assert response.status_code == status
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert (body["status"], body["code"]) == (status, code)
    assert body["type"].endswith(code)
    assert body["title"]
    assert "detail" in body
    return body


def test_no_key_a_wrong_key_and_a_malformed_header_are_problems(client):
    url = reverse("loyalty-api:account", kwargs={"customer_id": 1})

    _problem(client.get(url), 401, "not_authenticated")
    _problem(client.get(url, HTTP_AUTHORIZATION="Api-Key nope"), 401, "authentication_failed")
    _problem(client.get(url, HTTP_AUTHORIZATION="Api-Key a b"), 401, "authentication_failed")


def test_unknown_rows_invalid_fields_and_domain_refusals_are_problems(api):
    missing = reverse("loyalty-api:account", kwargs={"customer_id": 999999})
    _problem(api.get(missing), 404, "not_found")

    customer = CustomerFactory()
    redeem = reverse("loyalty-api:redeem", kwargs={"customer_id": customer.pk})
    invalid = _problem(
        api.post(redeem, {"reward": "x"}, content_type="application/json",
                 HTTP_IDEMPOTENCY_KEY="k1"),
        400, "invalid",
    )  # fmt: skip
    assert "reward" in invalid["errors"]
    refused = _problem(
        api.post(redeem, {"reward": 1}, content_type="application/json",
                 HTTP_IDEMPOTENCY_KEY="k2"),
        422, "not_a_member",
    )  # fmt: skip
    assert refused["detail"] == "This customer has not joined."


def test_a_method_the_endpoint_does_not_take_is_a_problem(api):
    rewards = reverse("loyalty-api:rewards")

    _problem(api.delete(rewards), 405, "method_not_allowed")
