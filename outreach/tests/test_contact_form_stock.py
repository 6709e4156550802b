"""Back-in-stock asked on the help center's contact form: the form fires its hook, and
proactive care records the wish of the customer behind the address (once)."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from customers.tests.factories import ProductFactory
from messaging.inbound import inbound_process
from messaging.models import InboundPayload
from outreach.models import Outreach, StockRequest
from tickets.models import Ticket
from tickets.tests.factories import TeamFactory

pytestmark = pytest.mark.django_db
EMAIL = "kunde@example.de"


@pytest.fixture(autouse=True)
def _rates():
    keys = ["help:contact:ip:127.0.0.1", f"help:contact:address:{EMAIL}"]
    cache.delete_many(keys)
    yield
    cache.delete_many(keys)


@pytest.fixture
def url():
    from django.urls import reverse

    return reverse("helpcenter:contact", args=["de"])


def test_the_form_records_the_wish_and_the_ticket_reaches_the_same_customer(client, url):
    TeamFactory(slug="general", is_default=True)
    kettle = ProductFactory(sku="KET-1", stock_quantity=0)
    from helpcenter.tests.test_contact import started

    data = {"name": "Anna Schmidt", "email": EMAIL, "order_number": "", "topic": "return",
            "subject": "Wasserkocher", "message": "Wann ist der Wasserkocher wieder da?",
            "website": "", "started": started(), "stock_sku": "KET-1"}  # fmt: skip
    assert 'name="stock_sku"' in client.get(url).text
    assert client.post(url, data).status_code == 302
    wish = StockRequest.objects.get()
    assert (wish.product, wish.source) == (kettle, StockRequest.Source.WEB)
    assert wish.customer.language == "de"
    inbound_process(inbound_id=InboundPayload.objects.get().pk)
    assert Ticket.objects.get().customer == wish.customer  # one customer, not two
    # Asked again on the form: still one wish.
    cache.clear()
    client.post(url, {**data, "started": started()})
    assert StockRequest.objects.count() == 1


@pytest.mark.parametrize("sku", ["KET 1", "x" * 65, "ğ", "KET\x7f1", "a\tb"])
def test_a_malformed_product_number_keeps_the_form_and_stores_nothing(client, url, sku):
    from helpcenter.tests.test_contact import started

    ProductFactory(sku="KET-1", stock_quantity=0)
    data = {"name": "Anna Schmidt", "email": EMAIL, "order_number": "", "topic": "return",
            "subject": "Wasserkocher", "message": "Wann ist der Wasserkocher wieder da?",
            "website": "", "started": started(), "stock_sku": sku}  # fmt: skip
    answer = client.post(url, data)
    assert answer.status_code == 400
    assert not StockRequest.objects.exists()
    assert not InboundPayload.objects.exists()


@pytest.mark.parametrize("sku", ["NOPE-1", "<b>x</b>", "'OR'1'='1"])
def test_an_unknown_product_is_left_to_the_agent(client, url, sku):
    from helpcenter.tests.test_contact import started

    TeamFactory(slug="general", is_default=True)
    data = {"name": "Anna Schmidt", "email": EMAIL, "order_number": "", "topic": "return",
            "subject": "Wasserkocher", "message": "Wann ist der Wasserkocher wieder da?",
            "website": "", "started": started(), "stock_sku": sku}  # fmt: skip
    assert client.post(url, data).status_code == 302
    assert not StockRequest.objects.exists()
    assert not Outreach.objects.exists()
    assert InboundPayload.objects.count() == 1  # the message itself still reaches us
