"""The pipeline from raw email to ticket: every fixture lands somewhere, with a reason."""

from __future__ import annotations

import pytest

from customers.models import ContactIdentity
from customers.tests.factories import ContactIdentityFactory, CustomerFactory
from messaging.models import InboundPayload, OutboxMessage
from messaging.outbox import outbox_enqueue
from tickets.models import Message, Ticket
from tickets.services import ticket_reply
from tickets.tests.email_helpers import compose, deliver, eml
from tickets.tests.factories import make_agent
from tickets.workflow import ticket_merge, ticket_update

pytestmark = pytest.mark.django_db


def acks(address: str) -> list[OutboxMessage]:
    return list(OutboxMessage.objects.filter(to=address, kind="ack"))


def test_plain_email_opens_a_ticket_for_a_new_customer_and_acknowledges_it():
    row = deliver(eml("plain.eml"))

    assert row.state == InboundPayload.State.INGESTED
    ticket = Ticket.objects.get()
    assert ticket.subject == "Order ORD-1042: the kettle arrived broken"
    assert ticket.channel == "email"
    identity = ContactIdentity.objects.get(address="anna.schmidt@example.de")
    assert identity.display_name == "Anna Schmidt"
    assert ticket.customer.first_name == "Anna"
    message = ticket.messages.get()
    assert message.sender == identity
    assert message.author is None
    assert message.inbound_payload == row
    assert "Sent from my phone" in message.body_original
    [ack] = acks("anna.schmidt@example.de")
    assert ack.automatic == "auto-replied"
    assert "Hello Anna," in ack.text
    assert f"#{ticket.pk}" in ack.text
    assert "at the latest" in ack.text
    assert ack.headers["In-Reply-To"] == "<CAF=kettle-1042@mail.example.de>"


@pytest.mark.parametrize(
    ("name", "language", "phrase"),
    [
        ("turkish_iso_8859_9.eml", "tr", "Merhaba Ayşe,"),
        ("multipart_attachments.eml", "de", "Hallo Jonas,"),
    ],
)
def test_acknowledgement_speaks_the_customers_language(name, language, phrase):
    deliver(eml(name))

    ack = OutboxMessage.objects.get(kind="ack")
    assert ack.language == language
    assert phrase in ack.text


def test_attachments_are_stored_under_server_generated_names():
    deliver(eml("multipart_attachments.eml"))

    message = Message.objects.get()
    attachments = list(message.attachments.order_by("pk"))
    assert [a.content_type for a in attachments] == ["application/pdf", "image/png"]
    assert attachments[0].filename.endswith("Rechnung 2026-11.pdf")
    assert "Rechnung" not in attachments[0].file.name
    assert attachments[0].file.read().startswith(b"%PDF")


@pytest.mark.parametrize(
    "name",
    ["html_only.eml", "german_windows_1252.eml", "unknown_charset_nul.eml", "broken_mime.eml"],
)
def test_awkward_but_readable_mail_becomes_a_ticket(name):
    row = deliver(eml(name))

    assert row.state == InboundPayload.State.INGESTED, row.reason
    assert Ticket.objects.count() == 1
    assert "\x00" not in Message.objects.get().body_text


@pytest.mark.parametrize(
    ("name", "reason"),
    [("nested_60.eml", "nesting deeper"), ("not_an_email.eml", "no usable sender")],
)
def test_unparseable_mail_is_quarantined_with_a_reason_and_nothing_else(name, reason):
    row = deliver(eml(name))

    assert row.state == InboundPayload.State.QUARANTINED
    assert reason in row.reason
    assert bytes(row.raw) == eml(name)  # the original is kept for an admin
    assert not Ticket.objects.exists()


def test_quarantined_mail_can_be_retried_after_a_fix(settings):
    settings.INBOUND_MAX_DEPTH = 20
    row = deliver(eml("nested_60.eml"))
    assert row.state == InboundPayload.State.QUARANTINED

    from messaging.inbound import inbound_process, inbound_retry

    settings.INBOUND_MAX_DEPTH = 80
    inbound_retry(inbound=row, by=None)
    inbound_process(inbound_id=row.pk)

    row.refresh_from_db()
    assert row.state == InboundPayload.State.INGESTED
    assert "deep inside" in Message.objects.get().body_text


def test_a_second_delivery_of_the_same_bytes_does_nothing():
    deliver(eml("plain.eml"))
    deliver(eml("plain.eml"))

    assert InboundPayload.objects.count() == 1
    assert Ticket.objects.count() == 1


def test_same_message_id_with_a_different_body_is_kept():
    first = compose(sender="kim@example.com", message_id="<same@example.com>", body="one")
    second = compose(sender="kim@example.com", message_id="<same@example.com>", body="two")

    deliver(first)
    deliver(second)

    assert InboundPayload.objects.count() == 2
    bodies = sorted(Message.objects.values_list("body_text", flat=True))
    assert bodies == ["one", "two"]


def _ticket_with_agent_reply(address: str = "kim@example.com"):
    deliver(compose(sender=f"Kim Lee <{address}>", subject="Broken zip", body="help"))
    ticket = Ticket.objects.get(customer__identities__address=address)
    agent = make_agent(username="agnes").user
    reply = ticket_reply(ticket=ticket, by=agent, text="We are on it.")
    return ticket, reply, agent


def test_agent_reply_writes_the_message_and_its_outbox_row_together():
    ticket, reply, _agent = _ticket_with_agent_reply()

    outbound = OutboxMessage.objects.get(kind="reply")
    assert outbound.message_id == reply.pk
    assert outbound.to == "kim@example.com"
    assert outbound.automatic == ""
    assert reply.external_id == outbound.message_id_header
    ticket.refresh_from_db()
    assert ticket.first_response_at is not None
    assert ticket.status == Ticket.Status.OPEN


def test_reply_naming_our_message_id_from_the_customer_threads_into_the_ticket():
    ticket, reply, _ = _ticket_with_agent_reply()

    deliver(compose(sender="kim@example.com", subject="Re: Broken zip", body="thanks",
                    in_reply_to=reply.external_id))  # fmt: skip

    assert Ticket.objects.count() == 1
    assert ticket.messages.filter(direction="in").count() == 2


def test_reply_to_a_solved_ticket_reopens_it():
    ticket, reply, agent = _ticket_with_agent_reply()
    ticket_update(ticket=ticket, by=agent, status="solved")

    deliver(compose(sender="kim@example.com", body="still broken", in_reply_to=reply.external_id))

    ticket.refresh_from_db()
    assert ticket.status == Ticket.Status.OPEN
    assert ticket.solved_at is None


def test_reply_to_a_closed_ticket_opens_a_linked_follow_up():
    ticket, reply, _ = _ticket_with_agent_reply()
    Ticket.objects.filter(pk=ticket.pk).update(status=Ticket.Status.CLOSED)

    deliver(compose(sender="kim@example.com", body="again", in_reply_to=reply.external_id))

    follow_up = Ticket.objects.exclude(pk=ticket.pk).get()
    assert follow_up.follow_up_of == ticket
    assert follow_up.customer == ticket.customer
    ticket.refresh_from_db()
    assert ticket.status == Ticket.Status.CLOSED


def test_reply_to_a_merged_ticket_lands_in_the_ticket_it_was_merged_into():
    ticket, reply, agent = _ticket_with_agent_reply()
    target = Ticket.objects.create(customer=ticket.customer, subject="Zip", channel="email")
    ticket_merge(source=ticket, target=target, by=agent)

    deliver(compose(sender="kim@example.com", body="any news?", in_reply_to=reply.external_id))

    assert Ticket.objects.count() == 2
    assert target.messages.filter(body_text="any news?").exists()
    ticket.refresh_from_db()
    assert ticket.status == Ticket.Status.CLOSED


def test_another_customers_message_id_never_attaches_to_their_ticket():
    ticket, reply, _ = _ticket_with_agent_reply("victim@example.com")

    deliver(compose(sender="attacker@example.net", body="let me in",
                    in_reply_to=reply.external_id))  # fmt: skip

    assert ticket.messages.filter(sender__address="attacker@example.net").count() == 0
    attacker_ticket = Ticket.objects.get(customer__identities__address="attacker@example.net")
    assert attacker_ticket != ticket


def test_a_forged_message_id_with_a_wrong_mac_opens_a_new_ticket():
    _ticket, reply, _ = _ticket_with_agent_reply()
    forged = reply.external_id[:-20] + "0" * 8 + reply.external_id[-12:]

    deliver(compose(sender="kim@example.com", body="forged", in_reply_to=forged))

    assert Ticket.objects.count() == 2


def test_a_spoofed_agent_from_is_just_a_customer():
    ticket, reply, agent = _ticket_with_agent_reply()

    deliver(compose(sender=f"Agnes <{agent.email}>", body="close it",
                    in_reply_to=reply.external_id))  # fmt: skip

    spoofed = Message.objects.get(body_text="close it")
    assert spoofed.author is None
    assert spoofed.direction == Message.Direction.INBOUND
    assert spoofed.ticket != ticket


def test_a_participant_on_cc_may_reply_into_the_ticket():
    ticket, reply, _ = _ticket_with_agent_reply()
    colleague = ContactIdentityFactory(address="colleague@example.com")
    Message.objects.create(ticket=ticket, direction="in", channel="email", sender=colleague,
                           body_text="cc'd")  # fmt: skip

    deliver(compose(sender="colleague@example.com", body="me too", in_reply_to=reply.external_id))

    assert Message.objects.get(body_text="me too").ticket == ticket


def test_out_of_office_is_stored_on_the_ticket_without_ack_or_reopen():
    ticket, reply, agent = _ticket_with_agent_reply("klaus.becker@example.de")
    ticket_update(ticket=ticket, by=agent, status="solved")

    deliver(eml("out_of_office.eml", IN_REPLY_TO=reply.external_id))

    ticket.refresh_from_db()
    assert ticket.status == Ticket.Status.SOLVED
    message = ticket.messages.get(external_id="<ooo-klaus-1@example.de>")
    assert message.automatic
    assert len(acks("klaus.becker@example.de")) == 1  # only the first ticket's


def test_bounce_of_our_reply_lands_on_the_ticket_as_an_internal_note():
    ticket, reply, _ = _ticket_with_agent_reply()

    deliver(eml("bounce_dsn.eml", OUR_MESSAGE_ID=reply.external_id))

    note = ticket.messages.get(sender__address="mailer-daemon@mx.shop.example")
    assert note.visibility == Message.Visibility.INTERNAL
    assert note.automatic
    assert not acks("mailer-daemon@mx.shop.example")
    assert Ticket.objects.count() == 1


def test_mail_from_our_own_address_is_never_acknowledged():
    deliver(compose(sender="support@shop.example", body="loop?"))

    assert not OutboxMessage.objects.filter(kind="ack").exists()


def test_one_acknowledgement_per_sender_per_day():
    for number in range(3):
        deliver(compose(sender="busy@example.com", subject=f"Question {number}", body=str(number)))

    assert Ticket.objects.count() == 3
    assert len(acks("busy@example.com")) == 1


def test_an_auto_responder_exchanging_mail_with_us_gets_at_most_one_ack():
    """A naive responder without RFC 3834 headers answers every mail it gets, quoting
    our Message-ID; our acks and its replies must stop after one round."""
    responder = "robot@example.org"
    deliver(compose(sender=responder, subject="Order status", body="where is it"))
    for _round in range(5):
        sent = OutboxMessage.objects.filter(to=responder).order_by("-pk").first()
        deliver(compose(sender=responder, subject="Re: auto", body=f"auto answer {_round}",
                        in_reply_to=sent.message_id_header))  # fmt: skip

    assert len(acks(responder)) == 1
    assert Ticket.objects.count() == 1  # the responder's replies thread into its ticket


def test_a_responder_that_says_it_is_automatic_never_gets_an_ack():
    deliver(compose(sender="noreply@example.org", body="auto",
                    extra_headers="Auto-Submitted: auto-generated"))  # fmt: skip

    assert Ticket.objects.count() == 1
    assert not OutboxMessage.objects.exists()


def test_known_customer_is_recognised_by_the_normalised_address():
    customer = CustomerFactory(first_name="Zeynep", language="tr")
    ContactIdentityFactory(customer=customer, address="zeynep@example.com.tr")

    deliver(compose(sender="Zeynep <ZEYNEP@Example.com.TR>", body="merhaba"))

    assert Ticket.objects.get().customer == customer
    assert "Merhaba Zeynep," in OutboxMessage.objects.get(kind="ack").text


def test_outbox_enqueue_has_the_signature_other_apps_use():
    customer = CustomerFactory()

    row = outbox_enqueue(to="x@example.com", subject="How did we do?", text="Rate us",
                         customer=customer, automatic="auto-generated", kind="csat",
                         language="de", headers={"X-Survey": "1"})  # fmt: skip

    assert row.state == OutboxMessage.State.QUEUED
    assert row.message_id_header.startswith("<t0.")


def test_data_the_database_refuses_quarantines_the_mail_instead_of_losing_it():
    from django.db import DataError

    from messaging.inbound import inbound_ingest

    def refuse(**kwargs):
        raise DataError("value too long for type character varying(255)")

    inbound_ingest.register(refuse)  # the last provider registered is the one called
    try:
        row = deliver(eml("plain.eml"))
    finally:
        inbound_ingest.unregister(refuse)

    assert row.state == InboundPayload.State.QUARANTINED
    assert "value too long" in row.reason
    assert not Ticket.objects.exists()
