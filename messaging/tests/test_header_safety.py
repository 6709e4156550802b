"""No header value that reaches a sender carries CR or LF, whatever the inbound mail had
in its Subject or Message-ID: through anymail's test backend and through Django's own
SMTP backend to a real SMTP server on 127.0.0.1."""

from __future__ import annotations

from email import policy
from email.parser import BytesParser

import pytest
from django.core import mail

from messaging.models import OutboxMessage
from messaging.outbox import outbox_dispatch
from messaging.tests.outbox_helpers import outbox_deliver_queued
from messaging.tests.smtp_server import smtp_server
from messaging.types import InboundMessage
from tickets.ingest import message_ingest
from tickets.models import Message, Ticket
from tickets.services import ticket_reply
from tickets.tests.email_helpers import deliver
from tickets.tests.factories import make_agent

pytestmark = pytest.mark.django_db

BARE_CR_SUBJECT = (
    b"From: Kim Lee <kim@example.com>\r\n"
    b"To: support@shop.example\r\n"
    b"Subject: Broken\rkettle\r\n"
    b"Message-ID: <kettle-1@mail.example.com>\r\n"
    b"MIME-Version: 1.0\r\n"
    b"Content-Type: text/plain; charset=utf-8\r\n"
    b"\r\n"
    b"The lid cracked.\r\n"
)
# A Message-ID that tries to end its line with a bare CR and start a header of its own.
INJECTING_MESSAGE_ID = BARE_CR_SUBJECT.replace(b"Broken\rkettle", b"Broken kettle").replace(
    b"<kettle-1@mail.example.com>", b"<kettle-2@mail.example.com>\rBcc: victim@example.net"
)


@pytest.fixture
def smtp(settings):
    """Django's SMTP backend, pointed at a recording SMTP server on 127.0.0.1."""
    with smtp_server() as (host, port, handler):
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = host, port
        settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
        settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
        yield handler


def is_one_line(value: str) -> bool:
    return not {"\r", "\n"} & set(value)


def assert_one_line_headers(raw: bytes) -> None:
    """Every header is one logical line: CR appears only in CRLF line ends, and every
    physical line is a header or the folded continuation of one."""
    head = raw.split(b"\r\n\r\n", 1)[0]
    assert b"\r" not in head.replace(b"\r\n", b"")
    for line in head.split(b"\r\n"):
        assert line[:1] in (b" ", b"\t") or b":" in line, line
    for name, value in BytesParser(policy=policy.default).parsebytes(raw).items():
        assert is_one_line(value), (name, value)


def reply_on(ticket: Ticket) -> OutboxMessage:
    ticket_reply(
        ticket=ticket, by=make_agent(username="agnes").user, text="A new lid is on its way."
    )
    return OutboxMessage.objects.get(kind="reply")


def test_a_bare_cr_in_the_subject_is_a_space_and_the_headers_after_it_are_kept():
    row = deliver(BARE_CR_SUBJECT)

    assert row.state == "ingested"
    ticket = Ticket.objects.get()
    assert ticket.subject == "Broken kettle"
    message = ticket.messages.get()
    assert message.external_id == "<kettle-1@mail.example.com>"
    assert message.body_text == "The lid cracked."  # no header text fell into the body


def test_a_reply_on_it_reaches_the_backend_with_one_line_headers():
    deliver(BARE_CR_SUBJECT)
    reply_on(Ticket.objects.get())

    outbox_deliver_queued()

    assert [row.state for row in OutboxMessage.objects.order_by("pk")] == ["sent", "sent"]
    assert len(mail.outbox) == 2  # the acknowledgement and the reply
    for email in mail.outbox:
        assert is_one_line(email.subject)
        for name, value in email.extra_headers.items():
            assert is_one_line(value), name
        assert_one_line_headers(email.message().as_bytes(linesep="\r\n"))
    reply = mail.outbox[1]
    assert reply.subject.startswith("Re: Broken kettle [#")
    assert reply.extra_headers["In-Reply-To"] == "<kettle-1@mail.example.com>"


def test_the_smtp_backend_sends_the_reply_with_a_one_line_subject(smtp):
    deliver(BARE_CR_SUBJECT)
    ticket = Ticket.objects.get()
    row = reply_on(ticket)

    assert outbox_dispatch(outbox_id=row.pk) == "sent"

    row.refresh_from_db()
    assert row.state == OutboxMessage.State.SENT
    [received] = smtp.messages
    assert received.rcpt_tos == ["kim@example.com"]
    assert_one_line_headers(received.content)
    sent = BytesParser(policy=policy.default).parsebytes(received.content)
    assert sent["Subject"] == f"Re: Broken kettle [#{ticket.pk}]"
    assert sent["In-Reply-To"] == "<kettle-1@mail.example.com>"


def test_a_message_id_that_tries_to_add_a_header_stays_one_in_reply_to_line(smtp):
    deliver(INJECTING_MESSAGE_ID)
    ticket = Ticket.objects.get()
    assert "\r" not in ticket.messages.get().external_id
    ack = OutboxMessage.objects.get(kind="ack")
    row = reply_on(ticket)

    for outgoing in (ack, row):
        assert outbox_dispatch(outbox_id=outgoing.pk) == "sent"

    assert len(smtp.messages) == 2
    for received in smtp.messages:
        assert received.rcpt_tos == ["kim@example.com"]
        assert_one_line_headers(received.content)
        sent = BytesParser(policy=policy.default).parsebytes(received.content)
        assert sent["Bcc"] is None
        assert sent.get_all("In-Reply-To") == [
            "<kettle-2@mail.example.com> Bcc: victim@example.net"
        ]


def test_crlf_in_a_message_id_from_any_channel_never_reaches_the_smtp_server(smtp):
    # The inbound hook is channel-neutral: whatever an adapter hands over is untrusted.
    message_ingest(
        inbound=InboundMessage(
            channel="email", sender_address="kim@example.com", subject="Lid\r\nBcc: x@evil.example",
            text="The lid cracked.", message_id="<lid@example.com>\r\nBcc: victim@example.net",
        )
    )  # fmt: skip
    ticket = Ticket.objects.get()
    assert ticket.subject == "Lid Bcc: x@evil.example"
    reply_on(ticket)
    assert Message.objects.filter(direction="in").get().external_id.startswith("<lid@")

    sent_rows = outbox_deliver_queued()

    assert [r.kind for r in sent_rows] == ["ack", "reply"]
    assert set(OutboxMessage.objects.values_list("state", flat=True)) == {"sent"}
    assert len(smtp.messages) == 2
    for received in smtp.messages:
        assert received.rcpt_tos == ["kim@example.com"]
        assert_one_line_headers(received.content)
        sent = BytesParser(policy=policy.default).parsebytes(received.content)
        assert sent["Bcc"] is None
        assert is_one_line(sent["Subject"])
        assert sent["In-Reply-To"] == "<lid@example.com> Bcc: victim@example.net"


def test_a_ticket_subject_with_a_line_break_goes_out_on_one_line(smtp):
    # However it got there (an admin's edit, a row from before the ingest cleaned it).
    deliver(BARE_CR_SUBJECT)
    ticket = Ticket.objects.get()
    Ticket.objects.filter(pk=ticket.pk).update(subject="Broken\r\nBcc: victim@example.net")
    row = reply_on(ticket)

    assert outbox_dispatch(outbox_id=row.pk) == "sent"

    [received] = smtp.messages
    assert received.rcpt_tos == ["kim@example.com"]
    assert_one_line_headers(received.content)
    sent = BytesParser(policy=policy.default).parsebytes(received.content)
    assert sent["Bcc"] is None
    assert sent["Subject"] == f"Re: Broken Bcc: victim@example.net [#{ticket.pk}]"
