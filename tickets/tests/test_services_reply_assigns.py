"""A public reply to an unassigned ticket makes it the replying agent's, so every solved
ticket has an agent and counts in that agent's satisfaction score."""

from __future__ import annotations

import uuid

import pytest
from django.urls import reverse

from core.models import Event
from surveys.models import SurveyInvitation
from surveys.services import survey_schedule_csat
from tickets import workflow
from tickets.models import Ticket
from tickets.services import ticket_note_add, ticket_reply
from tickets.tests.factories import PASSWORD, TeamFactory, TicketFactory, make_agent
from tickets.timeline import ticket_timeline

pytestmark = pytest.mark.django_db


@pytest.fixture
def team():
    return TeamFactory(slug="returns", name="Returns")


@pytest.fixture
def ali(team):
    return make_agent(username="ali", teams=[team]).user


def test_a_reply_to_an_unassigned_ticket_assigns_it_to_the_agent_with_an_event(team, ali):
    ticket = TicketFactory(team=team)

    ticket_reply(ticket=ticket, by=ali, text="On its way.")

    ticket.refresh_from_db()
    assert ticket.assignee == ali
    event = Event.objects.get(kind="ticket.assignee_changed", ticket_id=ticket.pk)
    assert event.actor == ali
    assert event.data == {"from": None, "to": ali.pk, "reason": "reply"}
    lines = [e["text"] for e in ticket_timeline(ticket=ticket).entries if e["kind"] == "event"]
    assert lines == ["changed the assignee: – → Ali"]


def test_a_reply_leaves_a_colleagues_ticket_with_the_colleague(team, ali):
    colleague = make_agent(username="bea", teams=[team]).user
    ticket = TicketFactory(team=team, assignee=colleague)

    ticket_reply(ticket=ticket, by=ali, text="Covering for Bea.")

    ticket.refresh_from_db()
    assert ticket.assignee == colleague
    assert not Event.objects.filter(kind="ticket.assignee_changed").exists()


def test_an_internal_note_assigns_nobody(team, ali):
    ticket = TicketFactory(team=team)

    ticket_note_add(ticket=ticket, by=ali, text="Looked at it, not mine.")

    ticket.refresh_from_db()
    assert ticket.assignee is None


def test_the_setting_turns_it_off(team, ali, settings):
    settings.REPLY_ASSIGNS_UNASSIGNED = False
    ticket = TicketFactory(team=team)

    ticket_reply(ticket=ticket, by=ali, text="On its way.")

    ticket.refresh_from_db()
    assert ticket.assignee is None


def test_a_double_submitted_reply_assigns_once(team, ali):
    ticket = TicketFactory(team=team)
    token = uuid.uuid4()

    for _attempt in range(2):
        ticket_reply(ticket=ticket, by=ali, text="On its way.", composer_token=token)

    assert Event.objects.filter(kind="ticket.assignee_changed").count() == 1


def test_someone_without_an_agent_profile_is_never_assigned(team, django_user_model):
    ticket = TicketFactory(team=team)
    outsider = django_user_model.objects.create_user(username="script")

    ticket_reply(ticket=ticket, by=outsider, text="Automated notice.")

    ticket.refresh_from_db()
    assert ticket.assignee is None


def test_a_refused_reply_assigns_nobody(team, ali):
    ticket = TicketFactory(team=team, reachable=False)

    with pytest.raises(ValueError, match="no address"):
        ticket_reply(ticket=ticket, by=ali, text="Hello")

    ticket.refresh_from_db()
    assert ticket.assignee is None


def test_the_solved_ticket_counts_in_the_replying_agents_satisfaction_survey(client, team, ali):
    ticket = TicketFactory(team=team)
    client.login(username="ali", password=PASSWORD)

    response = client.post(reverse("tickets:reply", args=[ticket.pk]),
                           {"body": "Replaced, sorry!"}, HTTP_HX_REQUEST="true")  # fmt: skip
    assert response.status_code == 200
    workflow.ticket_update(ticket=ticket, by=ali, status=Ticket.Status.SOLVED)
    survey_schedule_csat(ticket_id=ticket.pk)

    assert SurveyInvitation.objects.get(ticket=ticket).agent == ali
