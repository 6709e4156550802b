from __future__ import annotations

import pytest
from django.core import signing
from django.urls import reverse

from loyalty.links import loyalty_link_token, loyalty_link_url
from loyalty.models import Coupon
from loyalty.tests.factories import RewardFactory, make_member

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", "How you earn points"),
        ("de", "So sammeln Sie Punkte"),
        ("tr", "Nasıl puan"),
    ],
)
def test_the_public_program_page_explains_the_rules_in_three_languages(client, language, expected):
    client.cookies["django_language"] = language
    response = client.get(reverse("loyalty:program"))
    assert response.status_code == 200
    assert expected in response.text
    assert "<script>" not in response.text


def test_the_magic_link_shows_balance_history_and_coupons_in_the_customers_language(client):
    account = make_member(balance=120, language="de")
    response = client.get(
        reverse("loyalty:account", args=[loyalty_link_token(customer=account.customer)])
    )
    assert response.status_code == 200
    assert "120" in response.text
    assert "Ihre Punkte" in response.text
    assert "no-cache" in response["Cache-Control"] or "no-store" in response["Cache-Control"]
    assert loyalty_link_url(customer=account.customer).startswith("http://testserver/loyalty/me/")


def test_forged_foreign_and_expired_links_open_nothing(client, settings):
    account = make_member(balance=120)
    token = loyalty_link_token(customer=account.customer)
    foreign = signing.dumps({"customer": account.customer_id}, salt="surveys.answer")
    for bad in (token[:-2] + "xx", foreign, "x" * 600, "%00"):
        assert client.get(reverse("loyalty:account", args=[bad])).status_code == 404
    settings.LOYALTY_LINK_MAX_AGE = -1
    assert client.get(reverse("loyalty:account", args=[token])).status_code == 404


def test_redeeming_from_the_magic_link_needs_csrf_and_books_once(client):
    from django.test import Client

    account = make_member(balance=250)
    reward = RewardFactory(points_cost=100, name="Free shipping")
    token = loyalty_link_token(customer=account.customer)
    url = reverse("loyalty:redeem", args=[token])
    form = {"reward": reward.pk, "idempotency_key": "page-1"}

    assert Client(enforce_csrf_checks=True).post(url, form).status_code == 403
    client.post(url, form)
    client.post(url, form)  # the same form submitted twice
    page = client.get(reverse("loyalty:account", args=[token]))
    coupon = Coupon.objects.get()
    assert coupon.code in page.text
    account.refresh_from_db()
    assert account.balance == 150
    client.post(url, {"reward": "nonsense", "idempotency_key": "page-2"})
    assert Coupon.objects.count() == 1


def test_a_customer_joins_from_their_link_with_one_click():
    from django.test import Client

    from customers.tests.factories import CustomerFactory

    customer = CustomerFactory(language="tr")
    token = loyalty_link_token(customer=customer)
    client = Client()
    page = client.get(reverse("loyalty:account", args=[token]))
    assert "Sadakat programına katıl" in page.text
    client.post(reverse("loyalty:join", args=[token]))
    customer.refresh_from_db()
    assert customer.loyalty_account.consent_source == "web"
    assert "Bakiye" in client.get(reverse("loyalty:account", args=[token])).text
