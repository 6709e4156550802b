"""Scope matrix: an agent or lead of team A gets 404 for every page, partial, download
and bulk action on team B's tickets; an admin reaches them all."""

from __future__ import annotations

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from core.models import AgentProfile
from messaging.models import OutboxMessage
from messaging.outbox import outbox_enqueue
from tickets.models import Attachment, Macro, Ticket
from tickets.tests.factories import PASSWORD, MessageFactory, TeamFactory, TicketFactory, make_agent

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    team_a, team_b = TeamFactory(slug="a", name="A"), TeamFactory(slug="b", name="B")
    own = MessageFactory(ticket=TicketFactory(team=team_a, status=Ticket.Status.OPEN)).ticket
    foreign_message = MessageFactory(
        ticket=TicketFactory(team=team_b, status=Ticket.Status.OPEN), body_html="<p>secret</p>"
    )
    foreign = foreign_message.ticket
    attachment = Attachment.objects.create(
        message=foreign_message, file=ContentFile(b"secret", name="s.txt"), filename="s.txt",
        content_type="text/plain", size=6, sha256="0" * 64,
    )  # fmt: skip
    macro = Macro.objects.create(name="Hi", body="Hi")
    email = outbox_enqueue(to="kim@example.com", subject="Re", text="x", ticket_id=foreign.pk)
    OutboxMessage.objects.filter(pk=email.pk).update(state=OutboxMessage.State.FAILED)
    return {"own": own, "foreign": foreign, "attachment": attachment, "macro": macro,
            "message": foreign_message,
            "email": email, "team_a": team_a, "team_b": team_b}  # fmt: skip


def requests_for(world):
    foreign, own = world["foreign"], world["own"]
    pk = foreign.pk
    return [
        ("get", reverse("tickets:detail", args=[pk]), {}),
        ("get", reverse("tickets:timeline", args=[pk]), {}),
        ("get", reverse("tickets:macro", args=[pk]), {"macro": world["macro"].pk}),
        ("get", reverse("tickets:next", args=[pk]), {}),
        ("post", reverse("tickets:reply", args=[pk]), {"body": "x", "visibility": "public"}),
        ("post", reverse("tickets:reply", args=[pk]), {"body": "x", "visibility": "internal"}),
        ("post", reverse("tickets:update", args=[pk]), {"status": "solved"}),
        ("post", reverse("tickets:merge", args=[pk]), {"target": own.pk}),
        ("post", reverse("tickets:merge", args=[own.pk]), {"target": pk}),
        ("post", reverse("tickets:presence", args=[pk]), {"typing": "1"}),
        ("get", reverse("tickets:attachment", args=[world["attachment"].pk]), {}),
        ("get", reverse("tickets:message_html", args=[world["message"].pk]), {}),
        ("post", reverse("tickets:email-retry", args=[pk, world["email"].pk]), {}),
        (
            "post",
            reverse("tickets:bulk"),
            {"ticket": [own.pk, pk], "action": "status", "status": "solved"},
        ),
        ("post", reverse("tickets:bulk"), {"ticket": [pk], "action": "assign", "assignee": "me"}),
        ("post", reverse("tickets:bulk"), {"ticket": [pk], "action": "tag", "tag": "x"}),
        ("post", reverse("tickets:bulk"), {"ticket": [own.pk, pk], "action": "merge"}),
    ]


REQUESTS = 17


@pytest.mark.parametrize("role", [AgentProfile.Role.AGENT, AgentProfile.Role.LEAD])
@pytest.mark.parametrize("index", range(REQUESTS))
def test_other_teams_tickets_answer_404_everywhere(client, world, role, index):
    make_agent(username="member", role=role, teams=[world["team_a"]])
    client.login(username="member", password=PASSWORD)
    method, url, data = requests_for(world)[index]
    response = getattr(client, method)(url, data)
    assert response.status_code == 404, (method, url)
    foreign = Ticket.objects.get(pk=world["foreign"].pk)
    assert foreign.status == Ticket.Status.OPEN
    assert foreign.merged_into_id is None
    assert foreign.messages.count() == 1
    assert not foreign.tags.exists()
    assert Ticket.objects.get(pk=world["own"].pk).status == Ticket.Status.OPEN


def test_inbox_and_search_never_list_other_teams_tickets(client, world):
    make_agent(username="member", teams=[world["team_a"]])
    client.login(username="member", password=PASSWORD)
    foreign = world["foreign"]
    for params in ({}, {"view": "all_open"}, {"team": world["team_b"].pk}, {"q": foreign.subject}):
        listed = [t.pk for t in client.get(reverse("tickets:list"), params).context["page"].tickets]
        assert foreign.pk not in listed


@pytest.mark.parametrize("index", range(REQUESTS))
def test_admins_reach_every_ticket(client, world, index):
    make_agent(username="boss", role=AgentProfile.Role.ADMIN)
    client.login(username="boss", password=PASSWORD)
    method, url, data = requests_for(world)[index]
    response = getattr(client, method)(url, data)
    assert response.status_code in (200, 302), (method, url)
