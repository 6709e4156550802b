"""A new customer whose mail carries no Content-Language is answered in the language
they wrote in."""

from __future__ import annotations

import pytest

from customers.models import ContactIdentity
from customers.tests.factories import ContactIdentityFactory, CustomerFactory
from messaging.models import OutboxMessage
from tickets.models import Ticket
from tickets.tests.email_helpers import compose, deliver, eml

pytestmark = pytest.mark.django_db

GERMAN = ("Guten Tag,\n\nmein Paket ist heute angekommen, aber der Toaster darin ist "
          "zerbrochen. Bitte schicken Sie mir Ersatz.\n\nViele Grüße\nJana")  # fmt: skip


def customer_of(address: str):
    return ContactIdentity.objects.get(address=address).customer


@pytest.mark.parametrize(
    ("name", "address", "language", "phrases"),
    [
        ("german_damaged_delivery.eml", "sabine.krueger@example.de", "de",
         ["Hallo Sabine,", "vielen Dank für Ihre Nachricht", "Ihre Nachricht ist bei uns"]),
        ("turkish_damaged_delivery.eml", "emre.demir@example.com.tr", "tr",
         ["Merhaba Emre,", "bize yazdığınız için teşekkür ederiz", "Mesajınız bize ulaştı"]),
        ("plain.eml", "anna.schmidt@example.de", "en",
         ["Hello Anna,", "thank you for writing to us", "We have your message"]),
    ],
)  # fmt: skip
def test_a_new_customer_is_answered_in_their_language(name, address, language, phrases):
    deliver(eml(name))

    assert customer_of(address).language == language
    ack = OutboxMessage.objects.get(kind="ack", to=address)
    assert ack.language == language
    for phrase in phrases:
        assert phrase in ack.subject + ack.text


def test_a_two_word_mail_falls_back_to_english():
    deliver(compose(sender="Jana Wolf <jana.wolf@example.de>", subject="Hallo", body="Danke!"))

    assert customer_of("jana.wolf@example.de").language == "en"
    assert OutboxMessage.objects.get(kind="ack").language == "en"


def test_the_content_language_header_wins_over_the_text():
    deliver(compose(sender="jana.wolf@example.de", subject="Toaster", body=GERMAN,
                    extra_headers="Content-Language: en"))  # fmt: skip

    assert customer_of("jana.wolf@example.de").language == "en"


def test_a_known_customer_keeps_their_language():
    customer = CustomerFactory(first_name="Jana", language="tr")
    ContactIdentityFactory(customer=customer, address="jana.wolf@example.de")

    deliver(compose(sender="jana.wolf@example.de", subject="Toaster kaputt", body=GERMAN))

    customer.refresh_from_db()
    assert customer.language == "tr"
    assert Ticket.objects.get().customer == customer
    assert "Merhaba Jana," in OutboxMessage.objects.get(kind="ack").text
