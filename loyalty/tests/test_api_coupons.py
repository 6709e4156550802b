from __future__ import annotations

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from core.api.keys import api_key_create
from core.models import Event
from loyalty import services
from loyalty.models import Coupon
from loyalty.tests.factories import RewardFactory, make_member

pytestmark = pytest.mark.django_db


@pytest.fixture
def api():
    _, key = api_key_create(name="shop")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Api-Key {key}")
    return client


@pytest.fixture
def coupon():
    account = make_member(balance=500)
    entry = services.points_redeem(account=account, reward=RewardFactory(), idempotency_key="r")
    return entry.coupon


def use(api, code, order="SHOP-1", **extra):
    url = reverse("loyalty-api:coupon_use", args=[code])
    return api.post(url, {"order": order}, format="json", **extra)


def test_checkout_marks_a_coupon_used_once_and_a_retry_answers_the_same(api, coupon):
    first = use(api, coupon.code)
    again = use(api, coupon.code.lower())  # codes are read case-insensitively

    assert (first.status_code, again.status_code) == (200, 200)
    assert first.json() == again.json()
    assert first.json()["order"] == "SHOP-1"
    assert first.json()["customer"] == coupon.account.customer_id
    coupon.refresh_from_db()
    assert (coupon.used_for_order, coupon.used_at is not None) == ("SHOP-1", True)
    assert Event.objects.filter(kind="loyalty.coupon_used").count() == 1


def test_a_coupon_used_by_another_order_is_a_conflict(api, coupon):
    use(api, coupon.code)
    response = use(api, coupon.code, order="SHOP-2")

    assert response.status_code == 409
    assert response.json()["code"] == "coupon_used"
    assert Coupon.objects.get().used_for_order == "SHOP-1"


def test_an_unknown_coupon_is_404(api, coupon):
    response = use(api, "AAAA-BBBB-CCCC-DDDD")
    assert response.status_code == 404
    assert response.json()["code"] == "coupon_unknown"


def test_an_expired_coupon_is_refused(api, coupon):
    Coupon.objects.filter(pk=coupon.pk).update(valid_until=coupon.created_at)
    response = use(api, coupon.code)
    assert response.status_code == 422
    assert Coupon.objects.get().used_at is None


@pytest.mark.parametrize(
    "code",
    ["x" * 33, "AAAA%20BBBB", "../../etc", "' OR 1=1 --", "AAAA_BBBB", "%00", "ÄÖÜ-1234"],
)
def test_hostile_codes_are_not_found(api, coupon, code):
    url = f"/api/v1/loyalty/coupons/{code}/use/"
    response = api.post(url, {"order": "SHOP-1"}, format="json")
    assert response.status_code == 404
    assert Coupon.objects.get().used_at is None


@pytest.mark.parametrize(
    "body",
    [{}, {"order": ""}, {"order": "a b"}, {"order": "x" * 65}, {"order": ["a"]}, {"order": None}],
)
def test_malformed_bodies_are_400_and_change_nothing(api, coupon, body):
    url = reverse("loyalty-api:coupon_use", args=[coupon.code])
    response = api.post(url, body, format="json")
    assert response.status_code == 400
    assert Coupon.objects.get().used_at is None


def test_a_non_json_body_is_refused(api, coupon):
    url = reverse("loyalty-api:coupon_use", args=[coupon.code])
    response = api.post(url, "{not json", content_type="application/json")
    assert response.status_code == 400
    assert Coupon.objects.get().used_at is None


def test_without_credentials_nothing_happens(coupon):
    response = use(APIClient(), coupon.code)
    assert response.status_code in (401, 403)
    assert Coupon.objects.get().used_at is None


def test_get_is_not_allowed(api, coupon):
    url = reverse("loyalty-api:coupon_use", args=[coupon.code])
    assert api.get(url).status_code == 405
