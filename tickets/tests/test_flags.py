"""Warnings about where a message came from: mail from a staff address (a possible
spoof) and a new text under a Message-ID the sender used before (a possible duplicate),
stored on the message and shown on the ticket page."""

from __future__ import annotations

import pytest
from django.urls import reverse

from core.staff import agent_create
from messaging.models import OutboxMessage
from tickets.models import Message, Ticket
from tickets.services import ticket_reply
from tickets.tests.email_helpers import compose, deliver
from tickets.tests.factories import PASSWORD, TeamFactory, make_agent

pytestmark = pytest.mark.django_db

SPOOF = Message.Flag.POSSIBLE_SPOOF
DUPLICATE = Message.Flag.POSSIBLE_DUPLICATE


@pytest.fixture
def team():
    return TeamFactory(slug="care", name="Care", is_default=True)


@pytest.fixture
def agent_client(client, team):
    make_agent(username="ayse", teams=[team])
    client.login(username="ayse", password=PASSWORD)
    return client


@pytest.mark.parametrize("sender", ["Ben <ben@shop.example>", "BEN@Shop.Example"])
def test_mail_from_a_staff_address_is_flagged_and_never_acknowledged(team, sender):
    make_agent(username="ben", teams=[team])

    deliver(compose(sender=sender, subject="Refund approved", body="Please refund order 7."))

    message = Message.objects.get()
    assert message.flags == [SPOOF]
    assert message.author is None
    assert message.direction == Message.Direction.INBOUND
    assert not OutboxMessage.objects.exists()


def test_a_staff_address_is_recognised_however_it_was_spelled_when_saved(team):
    agent_create(username="ben", email="Ben.Lee@Shop.Example", password=PASSWORD, teams=[team])

    deliver(compose(sender="ben.lee@shop.example"))

    assert Message.objects.get().flags == [SPOOF]


def test_mail_from_a_customer_address_is_not_flagged(team):
    make_agent(username="ben", teams=[team])

    deliver(compose(sender="ben@example.com"))

    assert Message.objects.get().flags == []
    assert OutboxMessage.objects.filter(kind="ack").count() == 1


def test_a_staff_address_never_threads_into_a_ticket_even_quoting_our_signed_message_id(team):
    # Ben wrote to us as a customer before he joined, so his address is a participant
    # of that ticket: without the spoof check his reply would thread into it.
    deliver(compose(sender="ben@shop.example", subject="Broken zip", body="help"))
    ticket = Ticket.objects.get()
    reply = ticket_reply(ticket=ticket, by=make_agent(username="agnes").user, text="On it.")
    Ticket.objects.filter(pk=ticket.pk).update(status=Ticket.Status.SOLVED)
    make_agent(username="ben", teams=[team])

    deliver(compose(sender="ben@shop.example", subject="Re: Broken zip", body="Close it.",
                    in_reply_to=reply.external_id))  # fmt: skip

    spoofed = Message.objects.get(body_text="Close it.")
    assert spoofed.flags == [SPOOF]
    assert spoofed.ticket != ticket
    assert spoofed.ticket.follow_up_of is None
    ticket.refresh_from_db()
    assert ticket.status == Ticket.Status.SOLVED  # not reopened
    assert ticket.messages.count() == 2
    assert not OutboxMessage.objects.filter(kind="ack", ticket_id=spoofed.ticket_id).exists()


def test_the_ticket_page_warns_of_a_possible_spoof(agent_client, team):
    make_agent(username="ben", teams=[team])
    deliver(compose(sender="ben@shop.example", subject="Refund approved"))
    ticket = Ticket.objects.get()

    response = agent_client.get(reverse("tickets:detail", args=[ticket.pk]))

    assert response.status_code == 200
    assert response.text.count('class="flag-warning"') == 1
    assert f'<p class="flag-warning">{SPOOF.label}</p>' in response.text
    assert str(DUPLICATE.label) not in response.text


def test_the_ticket_page_warns_of_a_possible_duplicate(agent_client):
    deliver(compose(sender="kim@example.com", message_id="<same@example.com>", body="one"))
    deliver(compose(sender="kim@example.com", message_id="<same@example.com>", body="two"))
    first, second = Message.objects.order_by("pk")

    page_of_first = agent_client.get(reverse("tickets:detail", args=[first.ticket_id]))
    page_of_second = agent_client.get(reverse("tickets:detail", args=[second.ticket_id]))

    assert 'class="flag-warning"' not in page_of_first.text
    assert f'<p class="flag-warning">{DUPLICATE.label}</p>' in page_of_second.text
    assert str(SPOOF.label) not in page_of_second.text


def test_a_message_with_both_flags_shows_both_warnings(agent_client, team):
    make_agent(username="ben", teams=[team])
    deliver(compose(sender="ben@shop.example", message_id="<b@shop.example>", body="one"))
    deliver(compose(sender="ben@shop.example", message_id="<b@shop.example>", body="two"))
    flagged = Message.objects.get(body_text="two")
    assert flagged.flags == [SPOOF, DUPLICATE]

    response = agent_client.get(reverse("tickets:detail", args=[flagged.ticket_id]))

    assert response.text.count('class="flag-warning"') == 2
    assert str(SPOOF.label) in response.text
    assert str(DUPLICATE.label) in response.text


@pytest.mark.parametrize(
    ("language", "warning"),
    [
        ("de", "Von einer Mitarbeiteradresse gesendet: möglicherweise gefälscht"),
        ("tr", "Bir personel adresinden gönderildi: sahte olabilir"),
    ],
)
def test_the_warning_is_in_the_agents_language(client, team, language, warning):
    make_agent(username="ben", teams=[team])
    make_agent(username="deniz", teams=[team], language=language)
    deliver(compose(sender="ben@shop.example", subject="Refund approved"))
    client.login(username="deniz", password=PASSWORD)

    response = client.get(reverse("tickets:detail", args=[Ticket.objects.get().pk]))

    assert f'<p class="flag-warning">{warning}</p>' in response.text
