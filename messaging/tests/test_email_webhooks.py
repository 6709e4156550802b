"""Recorded ESP payloads through anymail's real webhook views."""

from __future__ import annotations

import json
import threading

import pytest
from django.db import connection
from django.test import Client

from messaging.inbound import inbound_process
from messaging.models import InboundPayload, OutboxMessage, Suppression
from messaging.outbox import outbox_enqueue
from messaging.tests.webhook_helpers import (
    ANYMAIL_SETTINGS,
    AUTH,
    BAD_AUTH,
    payload,
    post_mailgun,
    post_postmark,
    post_sendgrid,
    process_all,
)
from tickets.models import Message, Ticket
from tickets.tests.email_helpers import compose


@pytest.fixture(autouse=True)
def _anymail_secrets(settings):
    settings.ANYMAIL = ANYMAIL_SETTINGS


@pytest.mark.django_db
def test_mailgun_inbound_with_a_valid_signature_becomes_a_ticket(client):
    response = post_mailgun(client, payload("mailgun_inbound_mime.json"), **AUTH)

    assert response.status_code == 200
    row = InboundPayload.objects.get()
    assert row.origin == "mailgun"
    assert row.dedupe_key.startswith("mailgun:8f1c6a0e")
    process_all()
    ticket = Ticket.objects.get()
    assert ticket.customer.identities.get().address == "lukas.braun@example.de"
    assert OutboxMessage.objects.filter(kind="ack", to="lukas.braun@example.de").count() == 1


@pytest.mark.django_db
def test_postmark_inbound_keeps_text_html_and_attachment(client):
    response = post_postmark(client, payload("postmark_inbound.json"), **AUTH)

    assert response.status_code == 200
    assert (
        InboundPayload.objects.get().dedupe_key == "postmark:73e6d360-66eb-11e1-8e72-a8904824019b"
    )
    process_all()
    message = Message.objects.get()
    assert message.ticket.subject == "Kargo hasarlı geldi"
    assert "fotoğraf ekte" in message.body_text
    assert message.attachments.get().filename == "fatura.pdf"
    assert OutboxMessage.objects.get(kind="ack").language == "tr"


@pytest.mark.django_db
def test_sendgrid_raw_inbound_decodes_windows_1252(client):
    response = post_sendgrid(client, payload("sendgrid_inbound_raw.json"), **AUTH)

    assert response.status_code == 200
    assert InboundPayload.objects.get().dedupe_key.startswith("sha256:")
    process_all()
    assert "Größe paßt nicht" in Ticket.objects.get().subject


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("post", "name", "extra"),
    [
        (post_mailgun, "mailgun_inbound_mime.json", BAD_AUTH),
        (post_mailgun, "mailgun_inbound_mime.json", {}),
        (post_postmark, "postmark_inbound.json", BAD_AUTH),
        (post_postmark, "postmark_inbound.json", {}),
        (post_sendgrid, "sendgrid_inbound_raw.json", BAD_AUTH),
    ],
)
def test_a_request_failing_authentication_writes_nothing(client, post, name, extra):
    response = post(client, payload(name), **extra)

    assert response.status_code in (400, 403)
    assert not InboundPayload.objects.exists()
    assert not Ticket.objects.exists()


@pytest.mark.django_db
def test_mailgun_with_a_wrong_signature_writes_nothing(client):
    data = payload("mailgun_inbound_mime.json") | {"signature": "0" * 64}

    response = post_mailgun(client, data, **AUTH)

    assert response.status_code == 400
    assert not InboundPayload.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("url", "body", "content_type"),
    [
        ("/anymail/postmark/inbound/", b"{not json", "application/json"),
        ("/anymail/postmark/inbound/", b'{"Headers": "not a list"}', "application/json"),
        ("/anymail/postmark/inbound/", b"[1, 2, 3]", "application/json"),
        ("/anymail/sendgrid/inbound/", b"nothing=here", "application/x-www-form-urlencoded"),
        ("/anymail/sendgrid/inbound/", b"email=%00%FF%FE", "application/x-www-form-urlencoded"),
        ("/anymail/postmark/tracking/", b'{"RecordType": 7}', "application/json"),
    ],
)
def test_hostile_authenticated_payloads_never_answer_500(url, body, content_type):
    client = Client(raise_request_exception=False)

    response = client.post(url, body, content_type=content_type, **AUTH)

    assert response.status_code < 500
    for row in InboundPayload.objects.all():  # whatever was stored is parseable or quarantined
        inbound_process(inbound_id=row.pk)
        row.refresh_from_db()
        assert row.state in ("ingested", "quarantined")


@pytest.mark.django_db
def test_hostile_unauthenticated_payload_is_a_400_and_writes_nothing():
    client = Client(raise_request_exception=False)

    response = client.post("/anymail/postmark/inbound/", b"{not json",
                           content_type="application/json", **BAD_AUTH)  # fmt: skip

    assert response.status_code == 400
    assert not InboundPayload.objects.exists()


@pytest.mark.django_db
def test_oversized_message_is_stored_and_quarantined_not_500(client, settings):
    settings.INBOUND_MAX_BYTES = 50_000
    raw = compose(sender="big@example.com", body="x" * 60_000).decode()

    response = post_sendgrid(client, {"email": raw}, **AUTH)

    assert response.status_code == 200
    process_all()
    row = InboundPayload.objects.get()
    assert row.state == "quarantined"
    assert "larger" in row.reason


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("url", "name", "address"),
    [
        ("/anymail/mailgun/tracking/", "mailgun_tracking_bounce.json", "gone@example.com"),
        ("/anymail/postmark/tracking/", "postmark_tracking_bounce.json", "bounced@example.org"),
    ],
)
def test_bounce_tracking_suppresses_the_address_and_later_sends(client, url, name, address):
    response = client.post(url, json.dumps(payload(name)), content_type="application/json",
                           **AUTH)  # fmt: skip

    assert response.status_code == 200
    assert Suppression.objects.filter(address=address).exists()
    row = outbox_enqueue(to=address, subject="Hello", text="again")
    assert row.state == OutboxMessage.State.SUPPRESSED


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    ("post", "name"),
    [(post_postmark, "postmark_inbound.json"), (post_sendgrid, "sendgrid_inbound_raw.json")],
)
def test_the_same_webhook_posted_twice_concurrently_makes_one_ticket(post, name, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    data = payload(name)
    barrier = threading.Barrier(4)
    statuses: list[int] = []

    def deliver_and_process() -> None:
        try:
            barrier.wait()
            statuses.append(post(Client(), data, **AUTH).status_code)
            barrier.wait()
            process_all()
        finally:
            connection.close()

    threads = [threading.Thread(target=deliver_and_process) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert statuses == [200, 200, 200, 200]
    assert InboundPayload.objects.count() == 1
    assert Ticket.objects.count() == 1
    assert Message.objects.count() == 1
    assert OutboxMessage.objects.filter(kind="ack").count() == 1
