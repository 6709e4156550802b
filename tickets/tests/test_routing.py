"""Routing: which team a new inbound ticket lands in, and who then sees it."""

from __future__ import annotations

import pytest
from django.urls import reverse

from messaging.types import InboundMessage
from tickets.ingest import message_ingest, team_route
from tickets.models import RoutingRule, Ticket
from tickets.services import ticket_reply
from tickets.tests.email_helpers import compose, deliver
from tickets.tests.factories import PASSWORD, TeamFactory, make_agent

pytestmark = pytest.mark.django_db


def mail_to(address: str, *, sender: str = "kim@example.com", subject: str = "Hello") -> bytes:
    """A customer's mail to one of our addresses (compose writes to support@)."""
    return compose(sender=sender, subject=subject).replace(
        b"To: support@shop.example", f"To: Shop <{address}>".encode()
    )


@pytest.fixture
def teams():
    sales = TeamFactory(slug="sales", name="Sales", is_default=True)
    returns = TeamFactory(slug="returns", name="Returns")
    RoutingRule.objects.create(position=10, address="returns@shop.example", team=returns)
    return sales, returns


def test_mail_to_a_routed_address_lands_in_that_team_and_only_its_agents_see_it(client, teams):
    sales, returns = teams
    make_agent(username="rita", teams=[returns])
    make_agent(username="sam", teams=[sales])

    deliver(mail_to("returns@shop.example", subject="Parcel for the return"))

    assert Ticket.objects.get().team == returns
    client.login(username="rita", password=PASSWORD)
    response = client.get(reverse("tickets:list"))
    assert response.status_code == 200
    assert "Parcel for the return" in response.text
    client.logout()
    client.login(username="sam", password=PASSWORD)
    response = client.get(reverse("tickets:list"))
    assert response.status_code == 200
    assert "Parcel for the return" not in response.text


def test_mail_no_rule_matches_lands_in_the_default_team(teams):
    sales, _returns = teams

    deliver(mail_to("support@shop.example"))

    assert Ticket.objects.get().team == sales


def test_without_a_default_team_an_unrouted_mail_has_no_team_and_only_admins_see_it(client):
    returns = TeamFactory(slug="returns", name="Returns")
    RoutingRule.objects.create(address="returns@shop.example", team=returns)
    make_agent(username="rita", teams=[returns])
    make_agent(username="ada", role="admin")

    deliver(mail_to("support@shop.example", subject="Nobody routed me"))

    # No rule and no default team: the ticket is kept, in no team, for an admin to place.
    assert Ticket.objects.get().team is None
    client.login(username="rita", password=PASSWORD)
    assert "Nobody routed me" not in client.get(reverse("tickets:list")).text
    client.login(username="ada", password=PASSWORD)
    assert "Nobody routed me" in client.get(reverse("tickets:list")).text


def test_address_rules_ignore_case_on_both_sides():
    returns = TeamFactory(slug="returns", name="Returns")
    RoutingRule.objects.create(address="Returns@Shop.Example", team=returns)

    deliver(mail_to("RETURNS@shop.EXAMPLE"))

    assert Ticket.objects.get().team == returns
    # Whatever spelling a channel's adapter hands over.
    assert team_route(channel="email", recipients=[" returns@SHOP.example "]) == returns


def test_rules_are_tried_by_position_and_a_channel_rule_matches_by_channel():
    sales = TeamFactory(slug="sales", name="Sales", is_default=True)
    chat = TeamFactory(slug="chat", name="Chat desk")
    returns = TeamFactory(slug="returns", name="Returns")
    RoutingRule.objects.create(position=20, channel="chat", team=chat)
    # A later, broader rule for the same channel never wins over the earlier one.
    RoutingRule.objects.create(position=30, channel="chat", team=returns)

    chatted = message_ingest(
        inbound=InboundMessage(
            channel="chat", identity_kind="chat", sender_address="visitor-7f3a", text="Hi?"
        )
    )
    deliver(mail_to("support@shop.example"))

    assert chatted.ticket.team == chat
    assert Ticket.objects.get(channel="email").team == sales


def test_an_email_channel_rule_does_not_take_chats():
    sales = TeamFactory(slug="sales", name="Sales", is_default=True)
    mail = TeamFactory(slug="mail", name="Mail desk")
    RoutingRule.objects.create(channel="email", team=mail)

    chatted = message_ingest(
        inbound=InboundMessage(
            channel="chat", identity_kind="chat", sender_address="visitor-9c1d", text="Hi?"
        )
    )
    deliver(mail_to("support@shop.example"))

    assert chatted.ticket.team == sales
    assert Ticket.objects.get(channel="email").team == mail


def test_a_follow_up_of_a_closed_ticket_keeps_its_team_over_the_routing_rules(teams):
    sales, returns = teams
    deliver(mail_to("returns@shop.example", subject="Broken zip"))
    ticket = Ticket.objects.get()
    assert ticket.team == returns
    reply = ticket_reply(ticket=ticket, by=make_agent(username="rita").user, text="On it.")
    Ticket.objects.filter(pk=ticket.pk).update(status=Ticket.Status.CLOSED)

    # The answer goes to the general address, which the rules send to Sales.
    assert team_route(channel="email", recipients=["support@shop.example"]) == sales
    deliver(compose(sender="kim@example.com", body="again", in_reply_to=reply.external_id))

    follow_up = Ticket.objects.exclude(pk=ticket.pk).get()
    assert follow_up.follow_up_of == ticket
    assert follow_up.team == returns


@pytest.mark.parametrize("page", ["", "add/"])
def test_the_routing_rule_admin_opens_for_an_admin(client, teams, page):
    client.force_login(make_agent(username="ada", role="admin").user)

    response = client.get(f"/admin/tickets/routingrule/{page}")

    assert response.status_code == 200
    if not page:
        assert "returns@shop.example" in response.text
