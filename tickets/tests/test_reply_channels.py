"""Replies leave on the ticket's channel through its adapter; a reply nothing can deliver
is refused in the composer with the text kept, and never recorded as sent."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest
from django.urls import reverse

from customers.models import ContactIdentity
from customers.tests.factories import ContactIdentityFactory, CustomerFactory
from messaging.adapters import ChannelAdapter, adapter_register, adapter_unregister
from messaging.models import OutboxMessage
from messaging.outbox import outbox_dispatch
from messaging.types import Capabilities, InboundMessage, OutboundMessage
from tickets.models import Message, Ticket
from tickets.tests.factories import PASSWORD, TeamFactory, TicketFactory, make_agent

pytestmark = pytest.mark.django_db


@dataclass
class SmsAdapter(ChannelAdapter):
    """An SMS provider that keeps what it was asked to send (the product's adapter
    interface, with a provider that lives in this test)."""

    channel = "sms"
    capabilities = Capabilities(max_length=160)
    sent: list[OutboundMessage] = field(default_factory=list)

    def parse(self, raw: bytes) -> InboundMessage:
        raise NotImplementedError

    def send(self, message: OutboundMessage) -> str:
        self.sent.append(message)
        return f"SM{len(self.sent):032d}"


@pytest.fixture
def sms_ticket(client):
    team = TeamFactory(slug="returns")
    make_agent(username="ayse", teams=[team])
    client.login(username="ayse", password=PASSWORD)
    customer = CustomerFactory(first_name="Kim")
    ContactIdentityFactory(customer=customer, kind=ContactIdentity.Kind.PHONE,
                           address="+4915112345678")  # fmt: skip
    ticket = TicketFactory(team=team, customer=customer, channel="sms")
    Message.objects.create(
        ticket=ticket, direction=Message.Direction.INBOUND, channel="sms",
        sender=customer.identities.get(), body_text="Where is my parcel?",
    )  # fmt: skip
    return ticket


def _reply(client, ticket: Ticket, body: str):
    return client.post(reverse("tickets:reply", args=[ticket.pk]), {"body": body},
                       HTTP_HX_REQUEST="true")  # fmt: skip


def test_a_reply_on_a_channel_without_an_adapter_is_refused_in_the_composer(client, sms_ticket):
    response = _reply(client, sms_ticket, "Your parcel leaves today, Kim.")

    assert response.status_code == 422
    assert "no SMS connection is set up" in response.text
    assert "Your parcel leaves today, Kim." in response.text  # the text is kept
    assert not Message.objects.filter(direction=Message.Direction.OUTBOUND).exists()
    assert not OutboxMessage.objects.exists()
    sms_ticket.refresh_from_db()
    assert sms_ticket.first_response_at is None  # nothing counts as answered


def test_with_an_adapter_the_reply_goes_out_on_the_tickets_channel(client, sms_ticket):
    adapter = adapter_register(SmsAdapter())
    try:
        assert _reply(client, sms_ticket, "Your parcel leaves today, Kim.").status_code == 200
        row = OutboxMessage.objects.get()
        assert (row.channel, row.to, row.subject) == ("sms", "+4915112345678", "")
        assert outbox_dispatch(outbox_id=row.pk) == "sent"
    finally:
        adapter_unregister("sms")
    row.refresh_from_db()
    assert [m.text for m in adapter.sent] == ["Your parcel leaves today, Kim."]
    assert row.state == OutboxMessage.State.SENT
    assert row.provider_message_id == f"SM{1:032d}"


def test_a_reply_longer_than_the_channel_carries_is_refused_not_cut(client, sms_ticket):
    adapter_register(SmsAdapter())
    try:
        response = _reply(client, sms_ticket, "x" * 161)
    finally:
        adapter_unregister("sms")

    assert response.status_code == 422
    assert "at most 160 characters" in response.text
    assert not OutboxMessage.objects.exists()


def test_an_email_reply_to_a_customer_without_an_address_is_refused(client):
    team = TeamFactory(slug="returns")
    make_agent(username="ayse", teams=[team])
    client.login(username="ayse", password=PASSWORD)
    ticket = TicketFactory(team=team, reachable=False)

    response = _reply(client, ticket, "Hello!")

    assert response.status_code == 422
    assert "no address on this channel" in response.text
    assert not Message.objects.exists()
    assert not OutboxMessage.objects.exists()


def test_files_on_a_channel_that_cannot_carry_them_are_refused(client, sms_ticket):
    from django.core.files.uploadedfile import SimpleUploadedFile

    adapter_register(SmsAdapter())
    try:
        response = client.post(
            reverse("tickets:reply", args=[sms_ticket.pk]),
            {"body": "See the label", "attachments": SimpleUploadedFile("label.pdf", b"%PDF-1")},
            HTTP_HX_REQUEST="true",
        )
    finally:
        adapter_unregister("sms")

    assert response.status_code == 422
    assert "Files cannot be sent on this channel" in response.text
    assert "See the label" in response.text
    assert not OutboxMessage.objects.exists()
