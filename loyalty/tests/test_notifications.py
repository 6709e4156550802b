from __future__ import annotations

import pytest
from django.core import mail

from loyalty import notifications
from loyalty.models import LoyaltyNotice
from loyalty.tests.factories import make_member
from messaging.models import OutboxMessage
from messaging.tests.outbox_helpers import outbox_deliver_queued

pytestmark = pytest.mark.django_db


def test_notices_go_through_the_outbox_in_the_customers_language():
    account = make_member(email="ece@example.com", language="tr", first_name="Ece")

    notice = notifications.notice_tier_milestone(
        account=account, tier="gold", now=account.joined_at
    )

    assert notice.sent
    row = OutboxMessage.objects.get()
    assert (row.to, row.language, row.customer, row.kind) == (
        "ece@example.com", "tr", account.customer, "loyalty.tier",
    )  # fmt: skip
    assert row.automatic == "auto-generated"
    outbox_deliver_queued()
    assert "Tebrikler" in mail.outbox[0].subject
    assert "Merhaba Ece" in mail.outbox[0].body
    assert "/loyalty/me/" in mail.outbox[0].body


def test_a_notice_is_recorded_once_and_kept_unsent_without_an_address():
    account = make_member()
    first = notifications.notice_tier_milestone(
        account=account, tier="silver", now=account.joined_at
    )
    again = notifications.notice_tier_milestone(
        account=account, tier="silver", now=account.joined_at
    )

    assert again is None
    assert (first.sent, first.note) == (False, "No email address on file.")
    assert LoyaltyNotice.objects.count() == 1


def test_plain_text_notices_keep_names_as_written_not_html_escaped():
    from loyalty import services
    from loyalty.tests.factories import RewardFactory

    account = make_member(balance=300, email="oneil@example.com", first_name="O'Neil & Sons")
    reward = RewardFactory(name='Tea & "Biscuits" <deluxe>', points_cost=100)

    services.points_redeem(account=account, reward=reward, idempotency_key="r")

    row = OutboxMessage.objects.get(kind="loyalty.coupon")
    assert row.subject == 'Your coupon for Tea & "Biscuits" <deluxe>'
    assert "Hello O'Neil & Sons," in row.text
    assert 'Here is your coupon for Tea & "Biscuits" <deluxe>:' in row.text
    assert "&amp;" not in row.text + row.subject
    assert "&#x27;" not in row.text
