"""An answer does only what the answer needs in the request; its audit events, the
loyalty thank-you and the closed loop follow as a reaction after commit, which happens
once however often it runs, and which the beat sweep performs when the broker was down."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from core.models import AgentProfile, Event
from helpdesk.celery import app
from loyalty.models import LedgerEntry
from loyalty.tests.factories import make_member
from surveys import services, tasks
from surveys.models import RecoveryCase, SurveyInvitation, SurveyResponse
from surveys.tests.helpers import BROWSER, links_in, path_of, react_all, send_csat, solved_ticket
from tests.test_broker_outage import celery_app_through
from tickets.tests.factories import TeamFactory, make_agent

# The answer POST: the link lifetime from the survey settings (a server reads it once per
# process; here the test's uncommitted configuration makes it read each time), the
# invitation behind the link, the locked invitation, the response so far, and its insert;
# a repeat of the recorded answer reads the settings and the invitation only. A
# regression that does more in the request fails.
ANSWER_STATEMENTS = 5
REPEAT_STATEMENTS = 2
CLOSED_PORT = "redis://127.0.0.1:1/0"


def member_invited():
    team = TeamFactory(slug="returns", name="Returns")
    make_agent(username="lena", role=AgentProfile.Role.LEAD, teams=[team])
    account = make_member(email="member@example.com")
    invitation, message = send_csat(solved_ticket(account.customer, team=team))
    SurveyInvitation.objects.filter(pk=invitation.pk).update(
        sent_at=timezone.now() - timedelta(minutes=5)
    )
    return account, invitation, message


def answer(message, score: int, **data):
    """Post the score from the invitation email as the customer's browser."""
    link = path_of(links_in(message)[score - 1])
    return Client(HTTP_USER_AGENT=BROWSER).post(link, {"score": score, **data})


@pytest.mark.django_db
def test_the_answer_post_runs_a_bounded_number_of_statements_and_defers_its_reactions(
    django_capture_on_commit_callbacks,
):
    _account, _invitation, message = member_invited()

    with (
        CaptureQueriesContext(connection) as queries,
        django_capture_on_commit_callbacks() as callbacks,
    ):
        assert answer(message, 1).status_code == 302

    # The test's own transaction turns the request's BEGIN and COMMIT into savepoints.
    statements = [q["sql"] for q in queries.captured_queries
                  if not q["sql"].startswith(("SAVEPOINT", "RELEASE SAVEPOINT"))]  # fmt: skip
    assert len(statements) <= ANSWER_STATEMENTS, "\n".join(statements)
    assert len(callbacks) == 1  # the reaction's task, queued after commit
    response = SurveyResponse.objects.get()
    assert response.reactions_pending_since is not None
    assert not Event.objects.filter(kind="survey.answered").exists()
    assert not RecoveryCase.objects.exists()
    assert not LedgerEntry.objects.filter(source="survey").exists()

    with (
        CaptureQueriesContext(connection) as queries,
        django_capture_on_commit_callbacks() as callbacks,
    ):
        assert answer(message, 1).status_code == 302  # the page's automatic re-post
    assert len(queries.captured_queries) == REPEAT_STATEMENTS
    assert callbacks == []


@pytest.mark.django_db
def test_the_reaction_is_idempotent_and_a_changed_score_reruns_what_changes():
    account, invitation, message = member_invited()
    answer(message, 5)

    assert react_all() == 1
    assert react_all() == 0
    response = SurveyResponse.objects.get()
    assert services.survey_react(response_id=response.pk) is False  # a second task: nothing
    assert Event.objects.filter(kind="survey.answered").count() == 1
    assert Event.objects.get(kind="survey.answered").data == {
        "invitation": invitation.pk, "score": 5,
    }  # fmt: skip
    assert LedgerEntry.objects.filter(account=account, source="survey").count() == 1
    assert not RecoveryCase.objects.exists()

    answer(message, 1, comment="It broke again.")  # the 5 becomes a 1: recovery opens
    assert react_all() == 1
    assert react_all() == 0
    changed = Event.objects.get(kind="survey.changed")
    assert changed.data == {"invitation": invitation.pk, "from": 5, "to": 1}
    assert RecoveryCase.objects.get().state == RecoveryCase.State.OPEN
    assert LedgerEntry.objects.filter(account=account, source="survey").count() == 1

    answer(message, 4)  # and better again: the case is recovered
    react_all()
    assert RecoveryCase.objects.get().state == RecoveryCase.State.RECOVERED
    assert Event.objects.filter(kind="survey.recovery_opened").count() == 1
    assert Event.objects.filter(kind="survey.recovered").count() == 1
    assert SurveyResponse.objects.get().reactions_pending == []


@pytest.mark.django_db
def test_with_the_broker_down_the_answer_succeeds_and_the_sweep_reacts_later(
    django_capture_on_commit_callbacks,
):
    account, invitation, message = member_invited()

    with celery_app_through(CLOSED_PORT), django_capture_on_commit_callbacks(execute=True):
        started = time.monotonic()
        assert answer(message, 1).status_code == 302
        assert time.monotonic() - started < 5
    response = SurveyResponse.objects.get()
    assert response.reactions_pending_since is not None
    assert not RecoveryCase.objects.exists()

    assert services.survey_reactions_missed_ids() == []  # within the minute: the task's turn
    later = timezone.now() + timedelta(minutes=2)
    missed = services.survey_reactions_missed_ids(now=later)
    assert missed == [response.pk]
    for response_id in missed:  # what the sweep queues, run here in place of a worker
        tasks.survey_react(response_id=response_id)
        tasks.survey_react(response_id=response_id)
    assert services.survey_reactions_missed_ids(now=later) == []
    assert Event.objects.filter(kind="survey.answered").count() == 1
    assert LedgerEntry.objects.filter(account=account, source="survey").count() == 1
    assert RecoveryCase.objects.get().invitation == invitation


def test_the_sweep_is_in_the_beat_schedule(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["surveys-reactions-missed"]
    assert entry["task"] == tasks.survey_reactions_missed.name
    assert tasks.survey_reactions_missed.name in app.tasks


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_an_answer_earns_the_bonus_and_opens_recovery_through_a_real_worker(
    celery_worker_process,
):
    account, invitation, message = member_invited()

    assert answer(message, 1, comment="Nobody called.").status_code == 302

    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and not RecoveryCase.objects.exists():
        time.sleep(0.2)
    case = RecoveryCase.objects.get()
    assert case.invitation == invitation
    assert "> Nobody called." in case.recovery_ticket.messages.get().body_text
    assert LedgerEntry.objects.filter(account=account, source="survey").count() == 1
    assert SurveyResponse.objects.get().reactions_pending_since is None
