"""Answers that look automated (link scanners) neither reward nor open the closed loop,
until the customer's own browser answers the same invitation."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from core.models import AgentProfile, Event
from loyalty.models import LedgerEntry
from loyalty.services import rules_get
from loyalty.tests.factories import make_member
from surveys import selectors, services
from surveys.models import RecoveryCase, SurveyInvitation, SurveyResponse
from surveys.tests.helpers import (
    BROWSER,
    answer_as_customer,
    links_in,
    path_of,
    react_all,
    send_csat,
    solved_ticket,
)
from tickets.tests.factories import TeamFactory, make_agent

SCANNER = "Mozilla/5.0 (compatible; SafeLinks URL scanner; +https://scanner.example)"

pytestmark = pytest.mark.django_db


@pytest.fixture
def member():
    team = TeamFactory(slug="returns", name="Returns")
    make_agent(username="lena", role=AgentProfile.Role.LEAD, teams=[team])
    account = make_member(email="member@example.com")
    invitation, message = send_csat(solved_ticket(account.customer, team=team))
    return account, invitation, message


def test_a_scanners_detractor_score_opens_no_recovery_and_earns_no_bonus(member):
    _account, invitation, _ = member

    services.survey_answer(invitation=invitation, score=1, user_agent=SCANNER)
    assert react_all() == 1

    assert SurveyResponse.objects.get().looks_automated
    assert not RecoveryCase.objects.exists()
    assert not LedgerEntry.objects.filter(source="survey").exists()


def test_a_scanners_good_score_does_not_close_the_customers_open_recovery_case(member):
    account, invitation, _ = member
    answer_as_customer(invitation, 1)
    SurveyInvitation.objects.filter(pk=invitation.pk).update(
        sent_at=timezone.now() - timedelta(days=40)
    )
    second, _ = send_csat(solved_ticket(account.customer))

    services.survey_answer(invitation=second, score=5, user_agent=SCANNER)
    assert react_all() == 1

    assert RecoveryCase.objects.get().state == RecoveryCase.State.OPEN


def test_the_customers_later_answer_clears_the_flag_earns_the_bonus_once_and_opens_recovery(
    member,
):
    account, invitation, message = member
    link = path_of(links_in(message)[0])
    Client(HTTP_USER_AGENT=SCANNER).post(link, {"score": 1})
    react_all()
    assert SurveyResponse.objects.get().looks_automated

    SurveyInvitation.objects.filter(pk=invitation.pk).update(
        sent_at=timezone.now() - timedelta(minutes=5)
    )
    customer = Client(HTTP_USER_AGENT=BROWSER)
    customer.post(link, {"score": 1, "comment": "The kettle still leaks."})
    react_all()
    customer.post(path_of(links_in(message)[1]), {"score": 2})
    react_all()

    answer = SurveyResponse.objects.get()
    assert (answer.score, answer.comment, answer.looks_automated) == (
        2, "The kettle still leaks.", False,
    )  # fmt: skip
    cleared = Event.objects.get(kind="survey.automated_cleared")
    assert cleared.data["invitation"] == invitation.pk
    assert cleared.data["user_agent"] == BROWSER
    account.refresh_from_db()
    assert account.balance == rules_get().survey_bonus_points
    assert LedgerEntry.objects.filter(account=account, source="survey").count() == 1
    case = RecoveryCase.objects.get()
    assert case.invitation == invitation
    assert "> The kettle still leaks." in case.recovery_ticket.messages.get().body_text
    day = timedelta(days=1)
    stats = selectors.survey_stats(since=timezone.now() - day, until=timezone.now() + day)
    assert stats["answered"] == 1


def test_the_customer_repeating_the_scanners_score_confirms_it(member):
    account, invitation, _ = member
    services.survey_answer(invitation=invitation, score=2, user_agent=SCANNER)
    react_all()

    answer_as_customer(invitation, 2)
    answer_as_customer(invitation, 2)

    answer = SurveyResponse.objects.get()
    assert (answer.looks_automated, answer.changes) == (False, 0)
    assert Event.objects.filter(kind="survey.automated_cleared").count() == 1
    assert LedgerEntry.objects.filter(account=account, source="survey").count() == 1
    assert RecoveryCase.objects.get().invitation == invitation


def test_a_scanner_after_the_customer_does_not_flag_the_answer_again(member):
    account, invitation, _ = member
    answer_as_customer(invitation, 4)

    services.survey_answer(invitation=invitation, score=4, user_agent=SCANNER)
    react_all()

    assert not SurveyResponse.objects.get().looks_automated
    assert LedgerEntry.objects.filter(account=account, source="survey").count() == 1
