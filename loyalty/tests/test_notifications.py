from __future__ import annotations

import sys
import types

import pytest
from django.core import mail

from loyalty import notifications
from loyalty.models import LoyaltyNotice
from loyalty.tests.factories import make_member

pytestmark = pytest.mark.django_db


def test_notices_go_to_the_outbox_when_it_exists(monkeypatch):
    calls = []
    outbox = types.ModuleType("tickets.outbox")
    outbox.outbox_enqueue = lambda **kwargs: calls.append(kwargs)
    monkeypatch.setitem(sys.modules, "tickets.outbox", outbox)
    account = make_member(email="ece@example.com", language="tr", first_name="Ece")

    notice = notifications.notice_tier_milestone(
        account=account, tier="gold", now=account.joined_at
    )

    assert notice.sent
    assert len(calls) == 1
    call = calls[0]
    assert (call["to"], call["language"], call["customer"]) == (
        "ece@example.com", "tr", account.customer,
    )  # fmt: skip
    assert call["kind"] == "loyalty.tier"
    assert "Tebrikler" in call["subject"]
    assert "Merhaba Ece" in call["text"]
    assert "/loyalty/me/" in call["text"]
    assert mail.outbox == []


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
