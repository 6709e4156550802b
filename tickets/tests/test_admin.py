"""The admin site writes tickets and messages through the services."""

from __future__ import annotations

from unittest import mock

import pytest

from core.models import Event
from tests.admin_forms import admin_form_data
from tickets.models import Message, Ticket
from tickets.tests.factories import MessageFactory, TeamFactory, TicketFactory, make_agent

pytestmark = pytest.mark.django_db


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
    with mock.patch.object(survey_schedule_csat, "apply_async") as publish:
        for callback in callbacks:
            callback()

    assert response.status_code == 302
    ticket.refresh_from_db()
    assert (ticket.status, ticket.priority, ticket.team, ticket.assignee, ticket.subject) == (
        "solved", Ticket.Priority.HIGH, team, ali, "Kettle leaks",
    )  # fmt: skip
    assert ticket.solved_at is not None
    events = Event.objects.filter(ticket_id=ticket.pk, actor=boss)
    assert sorted(events.values_list("kind", flat=True)) == [
        "ticket.assignee_changed", "ticket.priority_changed", "ticket.status_changed",
        "ticket.team_changed",
    ]  # fmt: skip
    publish.assert_called_once()
    assert publish.call_args.kwargs["kwargs"] == {"ticket_id": ticket.pk}


def test_the_admin_cannot_merge_a_ticket_by_hand_or_add_one(client, boss):
    ticket, other = TicketFactory(), TicketFactory()
    url = f"/admin/tickets/ticket/{ticket.pk}/change/"
    data = admin_form_data(client, url)
    assert "merged_into" not in data
    assert "solved_at_0" not in data

    client.post(url, {**data, "merged_into": other.pk, "status": "new"})

    ticket.refresh_from_db()
    assert ticket.merged_into_id is None
    assert not Event.objects.filter(ticket_id=ticket.pk).exists()  # nothing changed
    assert client.get("/admin/tickets/ticket/add/").status_code == 403


def test_messages_are_read_in_the_admin_not_written(client, boss):
    message = MessageFactory(body_text="The kettle leaks.")
    url = f"/admin/tickets/message/{message.pk}/change/"

    assert client.get(url).status_code == 200
    response = client.post(url, {"ticket": message.ticket_id, "body_text": "Edited"})

    assert response.status_code == 403
    assert Message.objects.get().body_text == "The kettle leaks."
    assert client.get("/admin/tickets/message/add/").status_code == 403
