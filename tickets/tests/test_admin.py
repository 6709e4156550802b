"""The admin site writes tickets, messages and suppressions through the services."""

from __future__ import annotations

from unittest import mock

import pytest

from helpdesk.models import Event
from tests.admin_forms import admin_form_data
from tickets.models import Message, SuppressedAddress, Ticket
from tickets.outbox import address_is_suppressed
from tickets.tests.factories import MessageFactory, TeamFactory, TicketFactory, make_agent

pytestmark = pytest.mark.django_db


@pytest.fixture
def boss(client):
    user = make_agent(username="boss", role="admin").user
    client.force_login(user)
    return user


def test_solving_and_reassigning_in_the_admin_audits_each_change_and_schedules_the_csat(
    client, boss, django_capture_on_commit_callbacks
):
    from surveys.tasks import survey_schedule_csat

    ticket = TicketFactory(status=Ticket.Status.OPEN)
    MessageFactory(ticket=ticket)
    team = TeamFactory(slug="returns")
    ali = make_agent(username="ali", teams=[team]).user
    url = f"/admin/tickets/ticket/{ticket.pk}/change/"
    data = admin_form_data(client, url)
    data |= {"status": "solved", "priority": Ticket.Priority.HIGH, "team": team.pk,
             "assignee": ali.pk, "subject": "Kettle leaks"}  # fmt: skip

    with django_capture_on_commit_callbacks() as callbacks:
        response = client.post(url, data)
    with mock.patch.object(survey_schedule_csat, "delay") as delay:
        for callback in callbacks:
            callback()

    assert response.status_code == 302
    ticket.refresh_from_db()
    assert (ticket.status, ticket.priority, ticket.team, ticket.assignee, ticket.subject) == (
        "solved", Ticket.Priority.HIGH, team, ali, "Kettle leaks",
    )  # fmt: skip
    assert ticket.solved_at is not None
    events = Event.objects.filter(ticket=ticket, actor=boss)
    assert sorted(events.values_list("kind", flat=True)) == [
        "ticket.assignee_changed", "ticket.priority_changed", "ticket.status_changed",
        "ticket.team_changed",
    ]  # fmt: skip
    delay.assert_called_once_with(ticket_id=ticket.pk)


def test_the_admin_cannot_merge_a_ticket_by_hand_or_add_one(client, boss):
    ticket, other = TicketFactory(), TicketFactory()
    url = f"/admin/tickets/ticket/{ticket.pk}/change/"
    data = admin_form_data(client, url)
    assert "merged_into" not in data
    assert "solved_at_0" not in data

    client.post(url, {**data, "merged_into": other.pk, "status": "new"})

    ticket.refresh_from_db()
    assert ticket.merged_into_id is None
    assert not Event.objects.filter(ticket=ticket).exists()  # nothing changed
    assert client.get("/admin/tickets/ticket/add/").status_code == 403


def test_messages_are_read_in_the_admin_not_written(client, boss):
    message = MessageFactory(body_text="The kettle leaks.")
    url = f"/admin/tickets/message/{message.pk}/change/"

    assert client.get(url).status_code == 200
    response = client.post(url, {"ticket": message.ticket_id, "body_text": "Edited"})

    assert response.status_code == 403
    assert Message.objects.get().body_text == "The kettle leaks."
    assert client.get("/admin/tickets/message/add/").status_code == 403


def test_an_address_suppressed_in_the_admin_is_stored_as_the_outbox_looks_it_up(client, boss):
    response = client.post(
        "/admin/tickets/suppressedaddress/add/",
        {"address": "Kim@Example.COM", "reason": "complaint", "detail": "asked on the phone"},
    )

    assert response.status_code == 302
    row = SuppressedAddress.objects.get()
    assert (row.address, row.reason) == ("kim@example.com", "complaint")
    assert address_is_suppressed("kim@example.com")
    event = Event.objects.get(kind="email.address_suppressed")
    assert event.data["address"] == "kim@example.com"
