"""The web-form adapter: a contact-form payload in (anything unreadable is quarantined
with the reason), answers out by email with our own Message-IDs."""

from __future__ import annotations

import json

import pytest
from django.core import mail

from messaging.adapters import ParseError, adapter_for
from messaging.channels.email.message_ids import message_id_ticket
from messaging.channels.webform.adapter import payload_make
from messaging.inbound import inbound_process, inbound_store
from messaging.models import InboundPayload
from messaging.types import FileData, OutboundMessage


def _payload(**changes) -> bytes:
    data = json.loads(payload_make(
        name="Ayşe Yılmaz", email="Ayse@Example.com", topic="order", subject="Kargo\r\nBcc: x",
        message="Siparişim nerede?", order_number="A-1", language="tr",
        attachments=[FileData("../fatura.pdf", "application/pdf; x=1", b"%PDF")],
    ))  # fmt: skip
    data.update(changes)
    return json.dumps(data).encode()


def test_a_payload_becomes_an_inbound_message():
    inbound = adapter_for("web").parse(_payload())
    assert inbound.channel == "web"
    assert inbound.sender_address == "ayse@example.com"
    assert inbound.sender_name == "Ayşe Yılmaz"
    assert inbound.subject == "Kargo Bcc: x"  # one line: no header injection
    assert inbound.text == "Siparişim nerede?\n\n[A-1]"
    assert inbound.language == "tr"
    [attachment] = inbound.attachments
    assert (attachment.filename, attachment.content_type, attachment.content) == (
        "fatura.pdf", "application/pdf", b"%PDF",
    )  # fmt: skip


@pytest.mark.parametrize(
    "raw",
    [
        b"",
        b"\xff\xfe",
        b"[]",
        b"null",
        b'{"v": 2}',
        b"not json",
        _payload(email=""),
        _payload(email="no-at-sign"),
        _payload(message="   "),
        _payload(message=["a list"]),
        _payload(attachments="x"),
        _payload(attachments=[{"filename": "a", "content_type": "b", "content_b64": "!!"}]),
        _payload(attachments=[{"filename": "a"}]),
    ],
)
def test_an_unreadable_payload_is_refused(raw):
    with pytest.raises(ParseError):
        adapter_for("web").parse(raw)


def test_a_hostile_language_is_ignored():
    assert adapter_for("web").parse(_payload(language="../../etc")).language == ""


@pytest.mark.django_db
def test_an_unreadable_stored_payload_is_quarantined_with_the_reason():
    row, created = inbound_store(raw=b'{"v": 1, "email": "x@y.z"}', source="form",
                                 channel="web", origin="webform", event_id="n1")  # fmt: skip
    assert created
    inbound_process(inbound_id=row.pk)
    row.refresh_from_db()
    assert row.state == InboundPayload.State.QUARANTINED
    assert "message is missing" in row.reason


def test_answers_go_by_email_with_our_message_ids():
    adapter = adapter_for("web")
    reference = adapter.reference_new(ticket_id=42)
    assert message_id_ticket(reference) == 42
    adapter.send(OutboundMessage(to="ayse@example.com", text="Merhaba", subject="Re: Kargo",
                                 reference=reference, language="tr"))  # fmt: skip
    sent = mail.outbox[-1]
    assert sent.to == ["ayse@example.com"]
    assert sent.extra_headers["Message-ID"] == reference
    assert adapter.capabilities.attachments
