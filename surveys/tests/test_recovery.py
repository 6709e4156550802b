"""The closed loop: unhappy answers open one recovery ticket for a lead."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from core.access import agent_profile
from core.models import AgentProfile
from surveys import selectors, services
from surveys.models import RecoveryCase, SurveyInvitation
from surveys.tests.helpers import (
    answer_as_customer,
    customer_with_email,
    send_csat,
    send_nps,
    solved_ticket,
)
from tickets.models import Message
from tickets.tests.factories import TeamFactory, make_agent


@pytest.fixture
def team():
    team = TeamFactory(slug="returns", name="Returns")
    make_agent(username="lena", role=AgentProfile.Role.LEAD, teams=[team])
    return team


@pytest.mark.django_db
def test_a_low_csat_opens_one_recovery_ticket_for_the_teams_lead_even_when_changed_twice(team):
    invitation, _ = send_csat(solved_ticket(team=team, subject="Kettle leaks"))

    answer_as_customer(invitation, 1, "Nobody called me back.")
    answer_as_customer(invitation, 2)
    answer_as_customer(invitation, 1, "Still nothing.")

    case = RecoveryCase.objects.get()
    ticket = case.recovery_ticket
    assert ticket.assignee.username == "lena"
    assert ticket.team == team
    assert ticket.customer == invitation.customer
    note = ticket.messages.get()
    assert note.visibility == Message.Visibility.INTERNAL
    assert f"#{invitation.ticket_id} Kettle leaks" in note.body_text
    assert "> Nobody called me back." in note.body_text


@pytest.mark.django_db
def test_a_lead_marks_the_customer_recovered_and_the_dashboard_counts_it(team):
    invitation, _ = send_csat(solved_ticket(team=team))
    answer_as_customer(invitation, 2)
    lead = AgentProfile.objects.get(user__username="lena").user

    services.recovery_mark_recovered(case=RecoveryCase.objects.get(), by=lead)

    case = RecoveryCase.objects.get()
    assert (case.state, case.recovered_by) == ("recovered", lead)
    now = timezone.now()
    numbers = selectors.detractors_recovered(since=now - timedelta(days=1), until=now)
    assert numbers == {"detractors": 1, "recovered": 1, "recovered_percent": 100.0}


@pytest.mark.django_db
def test_a_later_better_score_from_the_same_customer_marks_the_case_recovered(team):
    customer = customer_with_email()
    first, _ = send_csat(solved_ticket(customer, team=team))
    answer_as_customer(first, 1)
    SurveyInvitation.objects.filter(pk=first.pk).update(sent_at=timezone.now() - timedelta(days=40))

    second, _ = send_nps()
    second.customer = customer
    second.save()
    answer_as_customer(second, 10)

    case = RecoveryCase.objects.get()
    assert case.state == "recovered"
    assert case.recovered_note == "later score 10"


@pytest.mark.django_db
def test_nps_detractors_open_recovery_and_passives_do_not(team):
    low, _ = send_nps()
    answer_as_customer(low, 6)
    passive, _ = send_nps()
    answer_as_customer(passive, 7)

    assert RecoveryCase.objects.get().invitation == low


@pytest.mark.django_db
def test_stats_per_team_and_agent(team):
    agent = make_agent(username="ali", teams=[team]).user
    answers = [5, 4, 2]
    for score in answers:
        invitation, _ = send_csat(solved_ticket(team=team, assignee=agent))
        SurveyInvitation.objects.update(sent_at=timezone.now() - timedelta(minutes=5))
        invitation.refresh_from_db()
        services.survey_answer(invitation=invitation, score=score, user_agent="Mozilla/5.0")
    send_csat(solved_ticket(team=team, assignee=agent))  # sent, not answered

    now = timezone.now()
    window = {"since": now - timedelta(days=1), "until": now + timedelta(days=1)}
    stats = selectors.survey_stats(**window, agent=agent)
    assert stats["sent"] == 4
    assert stats["answered"] == 3
    assert stats["response_rate"] == 75.0
    assert stats["csat_percent"] == 66.7
    by_team = selectors.survey_stats_by(**window, field="team")
    assert by_team == [{"team": team.pk, **selectors.survey_stats(**window, team=team)}]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("username", "status", "state"),
    [("lena", 302, "recovered"), ("ali", 403, "open"), ("otherlead", 404, "open")],
)
def test_only_a_lead_in_scope_marks_recovered_from_the_workspace(
    client, team, username, status, state
):
    from tickets.tests.factories import PASSWORD

    make_agent(username="ali", teams=[team])
    make_agent(username="otherlead", role=AgentProfile.Role.LEAD, teams=[TeamFactory(slug="x")])
    invitation, _ = send_csat(solved_ticket(team=team))
    answer_as_customer(invitation, 1)
    case = RecoveryCase.objects.get()
    client.login(username=username, password=PASSWORD)

    response = client.post(f"/s/recovery/{case.pk}/recovered/")

    assert response.status_code == status
    case.refresh_from_db()
    assert case.state == state
    assert client.get(f"/s/recovery/{case.pk}/recovered/").status_code == 405


@pytest.mark.django_db
def test_the_customer_panel_shows_answers_and_the_recover_button_for_leads(team):
    from surveys.selectors import survey_customer_panel

    invitation, _ = send_csat(solved_ticket(team=team))
    answer_as_customer(invitation, 2, "Too slow")
    lead = AgentProfile.objects.get(user__username="lena").user
    agent = make_agent(username="ali", teams=[team]).user

    panel = survey_customer_panel(invitation.customer, lead)
    assert panel["template"] == "surveys/_customer_panel.html"
    assert [i.response.comment for i in panel["context"]["invitations"]] == ["Too slow"]
    assert panel["context"]["can_recover"]
    assert not survey_customer_panel(invitation.customer, agent)["context"]["can_recover"]


@pytest.mark.django_db
def test_the_customer_panel_reads_surveys_and_cases_at_once(team, django_assert_num_queries):
    """One statement for the surveys and the open cases; an unanswered survey is known to
    have no answer, so the page never asks again for each one."""
    from surveys.selectors import survey_customer_panel

    answered, _ = send_csat(solved_ticket(team=team))
    answer_as_customer(answered, 1, "Broken <again>")
    waiting, _ = send_csat(solved_ticket(customer=answered.customer, team=team))
    lead = AgentProfile.objects.get(user__username="lena").user
    agent_profile(lead)  # the lead's profile is read once per request, elsewhere
    with django_assert_num_queries(1):
        panel = survey_customer_panel(answered.customer, lead)
        shown = panel["context"]["invitations"]
        assert [i.pk for i in shown] == [waiting.pk, answered.pk]
        assert not hasattr_response(shown[0])
        assert shown[1].response.comment == "Broken <again>"
        assert [c.invitation_id for c in panel["context"]["open_cases"]] == [answered.pk]


def hasattr_response(invitation) -> bool:
    try:
        return invitation.response is not None
    except SurveyInvitation.response.RelatedObjectDoesNotExist:
        return False


@pytest.mark.django_db
def test_the_recovery_ticket_is_the_systems_not_the_customers(client, team):
    from tickets.tests.factories import PASSWORD

    make_agent(username="lead-elsewhere", role="lead", teams=[TeamFactory(slug="elsewhere")])
    invitation, _ = send_csat(solved_ticket(team=team, subject="Kettle leaks"))
    answer_as_customer(invitation, 1, "Nobody called me back.")
    ticket = RecoveryCase.objects.get().recovery_ticket
    client.login(username="lena", password=PASSWORD)

    page = client.get(f"/tickets/{ticket.pk}/").text

    assert (ticket.team, ticket.assignee.username) == (team, "lena")  # not another team's lead
    assert "<strong>System</strong>" in page
    assert f"<strong>{invitation.customer}</strong>" not in page
    assert ticket.messages.get().author is None
