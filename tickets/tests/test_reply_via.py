"""A reply leaves on the ticket's channel when it can; a ticket of a phone call or a visit
(nothing to send on) is answered on a channel the customer can be reached on, by email,
and the composer says which. Hostile channel values change nothing."""

from __future__ import annotations

import pytest
from django.urls import reverse

from customers.models import ContactIdentity
from customers.tests.factories import ContactIdentityFactory, CustomerFactory
from messaging.adapters import adapter_register, adapter_unregister
from messaging.models import OutboxMessage
from tickets.models import Message
from tickets.services import (
    ReplyRefusedError,
    reply_channel_default,
    reply_channels,
    ticket_open,
    ticket_reply,
)
from tickets.tests.factories import PASSWORD, TeamFactory, TicketFactory, make_agent
from tickets.tests.test_reply_channels import SmsAdapter

pytestmark = pytest.mark.django_db


@pytest.fixture
def team():
    return TeamFactory(slug="returns")


@pytest.fixture
def ali(client, team):
    user = make_agent(username="ali", teams=[team]).user
    client.login(username="ali", password=PASSWORD)
    return user


@pytest.fixture
def sms():
    adapter = adapter_register(SmsAdapter())
    yield adapter
    adapter_unregister("sms")


def _customer(*, email: bool = True, phone: bool = True):
    customer = CustomerFactory(first_name="Kim")
    if email:
        ContactIdentityFactory(customer=customer, address="kim@example.com")
    if phone:
        ContactIdentityFactory(customer=customer, kind=ContactIdentity.Kind.PHONE,
                               address="+4915112345678")  # fmt: skip
    return customer


def _reply(client, ticket, body="We found your parcel.", **extra):
    return client.post(reverse("tickets:reply", args=[ticket.pk]), {"body": body, **extra},
                       HTTP_HX_REQUEST="true")  # fmt: skip


def test_a_phone_ticket_is_answered_by_email(client, team, ali):
    ticket = TicketFactory(team=team, channel="phone", customer=_customer())

    assert reply_channels(ticket=ticket) == ["email"]
    assert _reply(client, ticket).status_code == 200

    row = OutboxMessage.objects.get()
    assert (row.channel, row.to) == ("email", "kim@example.com")
    assert row.subject == f"{ticket.subject} [#{ticket.pk}]"  # nothing to answer: no "Re:"
    assert "In-Reply-To" not in row.headers
    message = Message.objects.get(direction="out")
    assert message.channel == "email"
    page = client.get(reverse("tickets:detail", args=[ticket.pk])).text
    header = page.split(f'id="message-{message.pk}"')[1].split("</header>")[0]
    assert "sent via" in header
    assert 'class="channel channel-email"' in header


def test_the_composer_of_a_phone_ticket_says_the_reply_goes_by_email(client, team, ali):
    ticket = TicketFactory(team=team, channel="in_person", customer=_customer())

    page = client.get(reverse("tickets:detail", args=[ticket.pk])).text

    select = page.split('id="reply-channel"')[1].split("</select>")[0]
    assert '<option value="email" selected>Email</option>' in select
    assert select.count("<option") == 1


def test_an_email_ticket_shows_no_choice(client, team, ali):
    ticket = TicketFactory(team=team, channel="email", customer=_customer())

    page = client.get(reverse("tickets:detail", args=[ticket.pk])).text

    assert 'id="reply-channel"' not in page


def test_a_phone_ticket_of_a_customer_without_email_is_refused_naming_the_channel(
    client, team, ali
):
    ticket = TicketFactory(team=team, channel="phone", customer=_customer(email=False))

    assert reply_channels(ticket=ticket) == []
    assert reply_channel_default(ticket=ticket) == "phone"
    response = _reply(client, ticket)

    assert response.status_code == 422
    assert "no Phone connection is set up" in response.text
    assert "We found your parcel." in response.text
    assert not OutboxMessage.objects.exists()


def test_with_two_channels_the_tickets_own_comes_first_and_the_agent_may_pick(
    client, team, ali, sms
):
    customer = _customer()
    ticket = ticket_open(customer=customer, subject="Parcel?", body_text="Where is it?",
                         channel="sms", team=team,
                         sender=customer.identities.get(kind="phone"))  # fmt: skip
    Message.objects.filter(ticket=ticket).update(external_id="SM-inbound-1")

    assert reply_channels(ticket=ticket) == ["sms", "email"]
    page = client.get(reverse("tickets:detail", args=[ticket.pk])).text
    assert '<option value="sms" selected>SMS</option>' in page
    assert _reply(client, ticket, reply_channel="email").status_code == 200

    row = OutboxMessage.objects.get()
    assert (row.channel, row.to) == ("email", "kim@example.com")
    assert row.subject == f"Re: Parcel? [#{ticket.pk}]"
    assert "In-Reply-To" not in row.headers  # an SMS id is no Message-ID
    assert sms.sent == []


@pytest.mark.parametrize("value", ["web", "api", "in_person", "phone", "sms", "<script>",
                                   "e-mail", "EMAIL", "x" * 500])  # fmt: skip
def test_a_channel_not_on_offer_is_refused_with_the_text_kept(client, team, ali, value):
    ticket = TicketFactory(team=team, channel="phone", customer=_customer())

    response = _reply(client, ticket, reply_channel=value)

    assert response.status_code == 422
    assert "Choose a channel from the list" in response.text
    assert "We found your parcel." in response.text
    assert not Message.objects.filter(direction="out").exists()
    assert not OutboxMessage.objects.exists()


def test_a_note_ignores_the_reply_channel(client, team, ali):
    ticket = TicketFactory(team=team, channel="phone", customer=_customer())

    response = _reply(client, ticket, body="Called back, no answer.", visibility="internal",
                      reply_channel="<script>")  # fmt: skip

    assert response.status_code == 200
    assert Message.objects.get(visibility="internal").channel == "phone"
    assert not OutboxMessage.objects.exists()


def test_the_service_refuses_a_channel_that_cannot_deliver(team, ali):
    ticket = TicketFactory(team=team, channel="phone", customer=_customer())

    with pytest.raises(ReplyRefusedError, match="no SMS connection"):
        ticket_reply(ticket=ticket, by=ali, text="Hello", channel="sms")
    # The web form answers by email on a ticket of its own; it has no address to reply to.
    with pytest.raises(ReplyRefusedError, match="no address on this channel"):
        ticket_reply(ticket=ticket, by=ali, text="Hello", channel="web")
    with pytest.raises(ReplyRefusedError, match="cannot be sent from here"):
        ticket_reply(ticket=ticket, by=ali, text="Hello", channel="sms\x00")

    assert not Message.objects.exists()


def test_a_macro_keeps_the_chosen_channel(client, team, ali, sms):
    from tickets.models import Macro

    ticket = TicketFactory(team=team, channel="sms", customer=_customer())
    macro = Macro.objects.create(name="Hi", body="Hello {{ customer.first_name }}")

    response = client.get(reverse("tickets:macro", args=[ticket.pk]),
                          {"macro": macro.pk, "reply_channel": "email"})  # fmt: skip

    assert '<option value="email" selected>Email</option>' in response.text
    response = client.get(reverse("tickets:macro", args=[ticket.pk]),
                          {"macro": macro.pk, "reply_channel": "<b>"})  # fmt: skip
    assert '<option value="sms" selected>SMS</option>' in response.text


def test_the_customers_answer_to_the_email_of_a_phone_ticket_comes_back_to_it(team, ali):
    from tickets.services import NewCustomer, ticket_open_by_agent
    from tickets.tests.email_helpers import compose, deliver

    ticket = ticket_open_by_agent(
        by=ali, channel="phone", subject="Kettle", text="Called: kettle dead.", team=team,
        new_customer=NewCustomer(first_name="Ben", email="ben@example.com"),
    )  # fmt: skip
    reply = ticket_reply(ticket=ticket, by=ali, text="Here is your return label.")

    deliver(compose(sender="Ben <ben@example.com>", subject=f"Re: Kettle [#{ticket.pk}]",
                    body="Thanks, sent it off.", in_reply_to=reply.external_id))  # fmt: skip

    answer = Message.objects.get(direction="in")
    assert answer.ticket_id == ticket.pk
    assert answer.visibility == "public"
    assert reply_channel_default(ticket=ticket) == "email"
