"""Merging duplicate customers also moves their surveys and loyalty account."""

from __future__ import annotations

import pytest

from customers.services import customer_merge
from loyalty.models import LoyaltyAccount
from loyalty.services import rules_get
from loyalty.tests.factories import make_member
from surveys import services as surveys
from surveys.models import RecoveryCase, SurveyInvitation, SurveyOptOut
from surveys.tests.helpers import answer_as_customer, customer_with_email, send_csat, solved_ticket
from tickets.tests.factories import make_agent

pytestmark = pytest.mark.django_db


def test_surveys_recovery_cases_opt_outs_and_the_loyalty_account_move_to_the_target():
    make_agent(username="boss", role="admin")
    member = make_member(email="old@example.com", balance=120)
    source = member.customer
    invitation, _ = send_csat(solved_ticket(source))
    answer_as_customer(invitation, 1)
    surveys.survey_opt_out(customer=source)
    target = customer_with_email(email="new@example.com")

    customer_merge(source=source, target=target, by=None)

    assert SurveyInvitation.objects.get().customer == target
    assert RecoveryCase.objects.get().customer == target
    assert SurveyOptOut.objects.get().customer == target
    account = LoyaltyAccount.objects.get()
    # 120 points to start with and the thank-you for answering the survey.
    assert (account.customer, account.balance) == (target, 120 + rules_get().survey_bonus_points)


def test_two_loyalty_accounts_refuse_the_merge_and_nothing_moves():
    source = make_member(email="a@example.com").customer
    target = make_member(email="b@example.com").customer

    with pytest.raises(ValueError, match="Both customers have a loyalty account"):
        customer_merge(source=source, target=target, by=None)

    source.refresh_from_db()
    assert source.merged_into is None
    assert source.identities.get().address == "a@example.com"
