"""The contact form: every refusal keeps what was typed and stores nothing; a proper
post becomes one web-form ticket in the routed team and one acknowledgement in the
customer's language."""

from __future__ import annotations

import time
import uuid

import pytest
from django.core import signing
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse

from customers.tests.factories import ContactIdentityFactory, CustomerFactory, OrderFactory
from helpcenter.models import ContactSubmission
from helpcenter.visitor import FORM_SALT
from messaging.inbound import inbound_process
from messaging.models import InboundPayload, OutboxMessage
from tickets.models import RoutingRule, Ticket
from tickets.tests.factories import TeamFactory

pytestmark = pytest.mark.django_db
URL = reverse("helpcenter:contact", args=["de"])
EMAIL = "kunde@example.de"


@pytest.fixture(autouse=True)
def _rates():
    keys = ["help:contact:ip:127.0.0.1", f"help:contact:address:{EMAIL}"]
    cache.delete_many(keys)
    yield
    cache.delete_many(keys)


@pytest.fixture
def teams():
    default = TeamFactory(slug="general", name="General", is_default=True)
    returns = TeamFactory(slug="returns", name="Returns")
    RoutingRule.objects.create(channel="web", address="web:return", team=returns)
    return default, returns


def started(seconds_ago: float = 10, nonce: str | None = None) -> str:
    return signing.dumps({"t": int(time.time() - seconds_ago), "n": nonce or uuid.uuid4().hex},
                         salt=FORM_SALT)  # fmt: skip


def post(client, **fields):
    data = {
        "name": "Anna Schmidt", "email": EMAIL, "order_number": "", "topic": "return",
        "subject": "Rücksendung", "message": "Ich möchte meinen Wasserkocher zurückschicken.",
        "website": "", "started": started(),
    }  # fmt: skip
    data.update(fields)
    return client.post(URL, data)


def assert_nothing_stored():
    assert not InboundPayload.objects.exists()
    assert not ContactSubmission.objects.exists()
    assert not Ticket.objects.exists()


def test_the_page_speaks_its_language(client):
    response = client.get(URL)
    assert response.status_code == 200
    assert 'lang="de"' in response.content.decode()
    assert 'hreflang="tr"' in response.content.decode()


def test_a_proper_post_makes_one_ticket_and_one_acknowledgement(client, teams):
    response = post(client)
    assert response.status_code == 302
    assert response["Location"] == reverse("helpcenter:contact_sent", args=["de"])
    payload = InboundPayload.objects.get()
    assert (payload.channel, payload.source) == ("web", "form")
    inbound_process(inbound_id=payload.pk)
    ticket = Ticket.objects.get()
    assert ticket.channel == "web"
    assert ticket.team == teams[1]  # routed by topic
    assert ticket.subject == "Rücksendung"
    assert ticket.customer.language == "de"
    message = ticket.messages.get()
    assert "Wasserkocher" in message.body_text
    ack = OutboxMessage.objects.get(kind="ack")
    assert ack.to == EMAIL
    assert ack.language == "de"
    assert ack.subject.startswith("Ihre Nachricht ist bei uns: Rücksendung")


def test_the_same_form_sent_twice_makes_one_ticket(client, teams):
    token = started(nonce="same")
    post(client, started=token)
    post(client, started=token)
    assert InboundPayload.objects.count() == 1
    assert ContactSubmission.objects.count() == 1


def test_the_honeypot_refuses_and_keeps_the_text(client):
    response = post(client, website="http://spam.example")
    assert response.status_code == 400
    body = response.content.decode()
    assert "Wasserkocher zurückschicken" in body
    assert 'class="alert alert-danger errors"' in body
    assert_nothing_stored()


def test_a_post_faster_than_a_person_is_refused(client):
    response = post(client, started=started(seconds_ago=0))
    assert response.status_code == 400
    assert "Wasserkocher zurückschicken" in response.content.decode()
    assert_nothing_stored()


def test_a_forged_or_expired_start_token_is_refused(client):
    for token in ["forged", started(seconds_ago=3 * 24 * 3600), "x" * 5000]:
        response = post(client, started=token)
        assert response.status_code == 400
    assert_nothing_stored()


@override_settings(HELPCENTER_CONTACT_PER_IP_HOUR=3)
def test_the_rate_limit_per_ip(client, teams):
    for index in range(3):
        assert post(client, email=f"k{index}@example.de").status_code == 302
    cache.delete("help:contact:address:k3@example.de")
    response = post(client, email="k3@example.de")
    assert response.status_code == 429
    assert "Wasserkocher zurückschicken" in response.content.decode()
    assert ContactSubmission.objects.count() == 3


@override_settings(HELPCENTER_CONTACT_PER_ADDRESS_HOUR=2)
def test_the_rate_limit_per_address(client, teams):
    assert post(client, message="Die erste Nachricht zum Paket.").status_code == 302
    assert post(client, message="Die zweite Nachricht zum Paket.").status_code == 302
    response = post(client, REMOTE_ADDR="10.0.0.9")
    assert response.status_code == 429
    assert ContactSubmission.objects.count() == 2


def test_an_order_of_another_customer_is_refused_like_an_unknown_one(client):
    me = CustomerFactory(language="de")
    ContactIdentityFactory(customer=me, address=EMAIL)
    OrderFactory(customer=me, number="A-1001")
    OrderFactory(number="B-2002")  # someone else's
    other = post(client, order_number="B-2002")
    unknown = post(client, order_number="Z-9999")
    assert other.status_code == unknown.status_code == 400
    assert other.content.decode().count("alert-danger") == 1
    # The same words for both: nothing tells that B-2002 exists.
    assert _errors(other) == _errors(unknown)
    assert "B-2002" in other.content.decode()  # kept as typed
    assert_nothing_stored()
    assert post(client, order_number="a-1001").status_code == 302


def _errors(response) -> str:
    body = response.content.decode()
    start = body.index('class="alert alert-danger errors"')
    return body[start : body.index("</div>", start)]


@override_settings(REPLY_MAX_ATTACHMENT_BYTES=1000)
def test_an_oversized_attachment_is_refused(client):
    big = SimpleUploadedFile("foto.jpg", b"x" * 1001, content_type="image/jpeg")
    response = post(client, attachments=[big])
    assert response.status_code == 400
    assert "foto.jpg" in response.content.decode()
    assert "Wasserkocher zurückschicken" in response.content.decode()
    assert_nothing_stored()


def test_an_attachment_within_the_limits_reaches_the_ticket(client, teams):
    photo = SimpleUploadedFile("../../etc/foto.jpg", b"\xff\xd8\xffdata", content_type="image/jpeg")
    assert post(client, attachments=[photo]).status_code == 302
    inbound_process(inbound_id=InboundPayload.objects.get().pk)
    attachment = Ticket.objects.get().messages.get().attachments.get()
    assert "/" not in attachment.filename
    assert attachment.size == 7


def test_hostile_html_is_kept_as_text_and_never_rendered(client, teams):
    hostile = '<script>alert("x")</script><img src=x onerror=alert(1)> Bitte helfen'
    refused = post(client, message=hostile, website="robot")
    assert "<script>alert" not in refused.content.decode()
    assert "&lt;script&gt;" in refused.content.decode()
    assert post(client, message=hostile, name="<b>Anna</b>").status_code == 302
    inbound_process(inbound_id=InboundPayload.objects.get().pk)
    message = Ticket.objects.get().messages.get()
    assert message.body_html == ""
    assert message.body_text.startswith("<script>")  # text, escaped wherever it is shown


@pytest.mark.parametrize(
    "fields",
    [
        {"email": "not-an-address"},
        {"message": "kurz"},
        {"message": "x" * 10_001},
        {"name": "x" * 201},
        {"topic": "nonsense"},
        {"order_number": "x" * 65},
        {"name": ""},
    ],
)
def test_malformed_and_oversized_fields_are_refused(client, fields):
    response = post(client, **fields)
    assert response.status_code == 400
    assert_nothing_stored()


def test_a_get_or_a_bad_language_stores_nothing(client):
    assert client.get(URL, {"message": "x"}).status_code == 200
    assert client.post(reverse("helpcenter:contact", args=["xx"]), {}).status_code == 404
    assert_nothing_stored()
