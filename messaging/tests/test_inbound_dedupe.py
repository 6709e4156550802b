"""One message is stored once, however many ways and times it arrives: under the
provider's event id, or the SHA-256 of its bytes whatever the line endings."""

from __future__ import annotations

import threading

import pytest
from django.db import connection
from django.test import Client

from messaging.models import InboundPayload, OutboxMessage
from messaging.tests.webhook_helpers import (
    ANYMAIL_SETTINGS,
    AUTH,
    mailgun_signed,
    payload,
    post_mailgun,
    post_postmark,
    post_sendgrid,
    process_all,
)
from tickets.models import Message, Ticket
from tickets.tests.email_helpers import compose, deliver, eml


@pytest.fixture(autouse=True)
def _anymail_secrets(settings):
    settings.ANYMAIL = ANYMAIL_SETTINGS


def mailgun_twice() -> list[dict]:
    data = payload("mailgun_inbound_mime.json")
    return [mailgun_signed(data, token="a" * 50), mailgun_signed(data, token="b" * 50)]


def postmark_twice() -> list[dict]:
    # Postmark sends no raw MIME by default: anymail builds the message from the parsed
    # fields (multipart, with an attachment), and the event id is Postmark's MessageID.
    data = payload("postmark_inbound.json")
    return [data | {"MessageID": f"73e6d360-66eb-11e1-8e72-a8904824019{n}"} for n in (1, 2)]


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    ("post", "payloads"), [(post_mailgun, mailgun_twice), (post_postmark, postmark_twice)]
)
def test_one_mail_posted_concurrently_under_two_event_ids_makes_one_ticket(
    post, payloads, settings
):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    barrier = threading.Barrier(2)
    statuses: list[int] = []

    def deliver_and_process(data: dict) -> None:
        try:
            barrier.wait()
            statuses.append(post(Client(), data, **AUTH).status_code)
            barrier.wait()
            process_all()
        finally:
            connection.close()

    threads = [threading.Thread(target=deliver_and_process, args=(d,)) for d in payloads()]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert statuses == [200, 200]
    assert InboundPayload.objects.count() == 1
    assert Ticket.objects.count() == 1
    assert Message.objects.count() == 1
    assert OutboxMessage.objects.filter(kind="ack").count() == 1


# The same mail as an MTA or IMAP hands it over: CRLF line endings, an 8-bit UTF-8 body
# and a header longer than a re-serialising library would leave unfolded.
RAW = compose(
    sender="Jürgen Müller <juergen@example.de>",
    subject="Rücksendung: die Jacke ist zu groß",
    message_id="<CAF=jacke-77@mail.example.de>",
    body="Guten Tag,\r\n\r\ndie Jacke ist zu groß. Bitte um ein Rücksendeetikett.",
    extra_headers="References: " + " ".join(f"<older-{n}@mail.example.de>" for n in range(6)),
).replace(b"charset=utf-8", b"charset=utf-8\r\nContent-Transfer-Encoding: 8bit")


def _mailgun_raw(raw: bytes) -> dict:
    data = payload("mailgun_inbound_mime.json") | {"body-mime": raw.decode()}
    return mailgun_signed(data, token="c" * 50)


def _sendgrid_raw(raw: bytes) -> dict:
    return payload("sendgrid_inbound_raw.json") | {"email": raw.decode()}


@pytest.mark.django_db
@pytest.mark.parametrize("source", [InboundPayload.Source.PIPE, InboundPayload.Source.IMAP])
@pytest.mark.parametrize(
    ("post", "as_posted"),
    [(post_mailgun, _mailgun_raw), (post_sendgrid, _sendgrid_raw)],
    ids=["mailgun", "sendgrid"],
)
@pytest.mark.parametrize("line_end", [b"\r\n", b"\n"], ids=["crlf", "lf"])
def test_a_mail_already_in_through_a_mailbox_is_not_stored_again_by_a_webhook(
    client, source, post, as_posted, line_end
):
    deliver(RAW, source=source)

    # The ESP may hand the same message over with other line endings.
    response = post(client, as_posted(RAW.replace(b"\r\n", line_end)), **AUTH)
    process_all()

    assert response.status_code == 200
    assert InboundPayload.objects.count() == 1
    assert InboundPayload.objects.get().source == source
    assert Ticket.objects.count() == 1
    assert Message.objects.count() == 1


@pytest.mark.django_db
def test_a_webhook_first_and_the_mailbox_copy_later_is_stored_once(client):
    post_mailgun(client, _mailgun_raw(RAW), **AUTH)
    process_all()

    deliver(RAW, source=InboundPayload.Source.IMAP)

    assert InboundPayload.objects.get().source == InboundPayload.Source.WEBHOOK
    assert Message.objects.count() == 1


def _received(host: str) -> bytes:
    return f"Received: from {host} by mx.shop.example; Mon, 23 Nov 2026 09:14:03 +0100\r\n".encode()


@pytest.mark.django_db
def test_the_same_mail_by_two_routes_with_their_own_trace_headers_is_one_message(client):
    deliver(_received("imap-relay.shop.example") + RAW, source=InboundPayload.Source.IMAP)
    post_mailgun(client, _mailgun_raw(_received("mxa.mailgun.example") + RAW), **AUTH)
    process_all()

    # Both raw copies are kept (their bytes differ), the conversation has the mail once.
    assert InboundPayload.objects.filter(state="ingested").count() == 2
    assert Ticket.objects.count() == 1
    assert Message.objects.count() == 1
    assert Message.objects.get().flags == []


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("old", "new"),
    [
        (b"iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA==", b"AAAA"),
        (b"<p>Guten Tag,</p>", b"<p>Hallo,</p>"),
    ],
    ids=["other-file", "other-html"],
)
def test_the_same_text_under_the_same_message_id_with_other_content_is_kept(old, new):
    raw = eml("multipart_attachments.eml")
    deliver(raw)

    deliver(_received("mx2.shop.example") + raw.replace(old, new))

    assert Message.objects.count() == 2


@pytest.mark.django_db
def test_the_webhook_stores_the_raw_mime_the_esp_sent_not_a_re_serialisation(client):
    post_sendgrid(client, _sendgrid_raw(RAW), **AUTH)

    assert bytes(InboundPayload.objects.get().raw) == RAW


@pytest.mark.django_db
def test_a_new_text_under_a_reused_message_id_is_kept_and_flagged_a_possible_duplicate():
    first = compose(sender="kim@example.com", message_id="<same@example.com>", body="one")
    second = compose(sender="kim@example.com", message_id="<same@example.com>", body="two")

    deliver(first)
    deliver(second)

    assert InboundPayload.objects.count() == 2
    flags = dict(Message.objects.values_list("body_text", "flags"))
    assert flags == {"one": [], "two": [Message.Flag.POSSIBLE_DUPLICATE]}


@pytest.mark.django_db
def test_another_sender_reusing_a_message_id_is_not_a_duplicate():
    deliver(compose(sender="kim@example.com", message_id="<same@example.com>", body="one"))
    deliver(compose(sender="lee@example.com", message_id="<same@example.com>", body="two"))

    assert list(Message.objects.values_list("flags", flat=True)) == [[], []]


@pytest.mark.django_db
@pytest.mark.parametrize("line_end", [b"\r\n", b"\n"], ids=["same-bytes", "other-line-endings"])
def test_an_identical_redelivery_is_not_stored_twice(line_end):
    raw = compose(sender="kim@example.com", message_id="<once@example.com>", body="one")

    deliver(raw)
    again = deliver(raw.replace(b"\r\n", line_end))

    assert InboundPayload.objects.count() == 1
    assert again.state == InboundPayload.State.INGESTED
    assert Message.objects.count() == 1
    assert OutboxMessage.objects.filter(kind="ack").count() == 1
