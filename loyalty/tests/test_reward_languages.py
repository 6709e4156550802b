from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse

from loyalty import services
from loyalty.links import loyalty_link_token
from loyalty.models import LoyaltyNotice, Reward
from loyalty.tests.factories import RewardFactory, make_member
from messaging.models import OutboxMessage
from messaging.tests.outbox_helpers import outbox_deliver_queued

pytestmark = pytest.mark.django_db


@pytest.fixture
def reward():
    return RewardFactory(
        name="Free shipping", name_de="Kostenloser Versand", name_tr="",
        description="No shipping costs.", description_de="Keine Versandkosten.",
        points_cost=100,
    )  # fmt: skip


@pytest.mark.parametrize(
    ("language", "name", "description"),
    [
        ("en", "Free shipping", "No shipping costs."),
        ("de", "Kostenloser Versand", "Keine Versandkosten."),
        ("de-at", "Kostenloser Versand", "Keine Versandkosten."),
        ("tr", "Free shipping", "No shipping costs."),  # no Turkish yet: English
        ("fr", "Free shipping", "No shipping costs."),
        (None, "Free shipping", "No shipping costs."),
    ],
)
def test_names_fall_back_to_english(reward, language, name, description):
    assert (reward.name_in(language), reward.description_in(language)) == (name, description)


def test_a_blank_translation_counts_as_missing(reward):
    Reward.objects.filter(pk=reward.pk).update(name_tr="   ")
    reward.refresh_from_db()
    assert reward.name_in("tr") == "Free shipping"


def test_the_magic_link_page_names_rewards_and_coupons_in_the_customers_language(client, reward):
    german = make_member(balance=300, language="de")
    turkish = make_member(balance=300, language="tr")
    RewardFactory(name="Gift", name_tr="Hediye", points_cost=50)
    services.points_redeem(account=german, reward=reward, idempotency_key="r")

    page = client.get(
        reverse("loyalty:account", args=[loyalty_link_token(customer=german.customer)])
    )
    assert page.text.count("Kostenloser Versand") == 2  # the catalogue and the coupon
    assert "Keine Versandkosten." in page.text
    assert "Free shipping" not in page.text
    page = client.get(
        reverse("loyalty:account", args=[loyalty_link_token(customer=turkish.customer)])
    )
    assert "Hediye" in page.text
    assert "Free shipping" in page.text  # no Turkish name: English


def test_the_coupon_email_names_the_reward_in_the_customers_language(reward):
    account = make_member(balance=300, language="de", email="kunde@example.com", first_name="Jo")

    entry = services.points_redeem(account=account, reward=reward, idempotency_key="r")
    services.points_redeem(account=account, reward=reward, idempotency_key="r")  # replay

    assert LoyaltyNotice.objects.filter(kind="coupon").count() == 1
    assert OutboxMessage.objects.get().kind == "loyalty.coupon"
    outbox_deliver_queued()
    message = mail.outbox[0]
    assert message.subject == "Ihr Gutschein für Kostenloser Versand"
    assert entry.coupon.code in message.body
    assert "Keine Versandkosten." in message.body
    assert "Hallo Jo" in message.body


def test_a_coupon_email_falls_back_to_the_english_name(reward):
    account = make_member(balance=300, language="tr", email="musteri@example.com")
    services.points_redeem(account=account, reward=reward, idempotency_key="r")
    outbox_deliver_queued()
    assert mail.outbox[0].subject == "Free shipping kuponunuz"


def test_the_public_program_page_uses_the_visitors_language(client, reward):
    page = client.get(reverse("loyalty:program"), HTTP_ACCEPT_LANGUAGE="de")
    assert "Kostenloser Versand" in page.text
