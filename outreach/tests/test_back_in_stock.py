"""Back-in-stock: asked through an agent or the API, told once when the shop reports
stock through the products API."""

from __future__ import annotations

import pytest

from core.models import Event
from customers.models import Consent
from customers.services import consent_record, product_stock_set
from customers.tests.factories import ProductFactory
from messaging.models import OutboxMessage
from outreach import services
from outreach.models import Outreach, StockRequest
from outreach.stock import back_in_stock_schedule, back_in_stock_sweep, stock_request_create
from tickets.tests.factories import PASSWORD, TeamFactory, make_agent

from .helpers import customer_with_email

pytestmark = pytest.mark.django_db
API = "/api/v1/outreach/stock-requests/"


def send_all() -> None:
    for pk in services.outreach_due_ids():
        services.outreach_send(outreach_id=pk)


def post(client, body, key="k1"):
    return client.post(API, body, format="json", HTTP_IDEMPOTENCY_KEY=key)


def test_told_once_when_the_shop_reports_stock():
    product = ProductFactory(stock_quantity=0)
    en, de = customer_with_email(), customer_with_email("de")
    stock_request_create(customer=en, product=product, source="agent")
    stock_request_create(customer=de, product=product, source="web")
    assert stock_request_create(customer=en, product=product, source="api")[1] is False
    product_stock_set(product=product, quantity=0, by=None)
    assert back_in_stock_sweep() == 0
    product_stock_set(product=product, quantity=5, by=None)
    assert back_in_stock_schedule(product_id=product.pk) == 2
    assert back_in_stock_schedule(product_id=product.pk) == 0
    product_stock_set(product=product, quantity=0, by=None)
    product_stock_set(product=product, quantity=3, by=None)
    assert back_in_stock_sweep() == 0
    send_all()
    send_all()
    notices = OutboxMessage.objects.filter(kind="outreach_back_in_stock")
    assert sorted(notices.values_list("language", flat=True)) == ["de", "en"]
    assert product.sku in notices.first().text
    assert Event.objects.filter(kind="outreach.sent", data__kind="back_in_stock").count() == 2
    # A new wish after being told is a new request, told at once while in stock.
    _wish, created = stock_request_create(customer=en, product=product, source="agent")
    assert created


def test_marketing_consent_withdrawn_stops_it():
    product = ProductFactory(stock_quantity=0)
    customer = customer_with_email()
    consent_record(customer=customer, purpose=Consent.Purpose.MARKETING, granted=False,
                   source="test", by=None)  # fmt: skip
    stock_request_create(customer=customer, product=product, source="agent")
    product_stock_set(product=product, quantity=1, by=None)
    back_in_stock_sweep()
    send_all()
    assert Outreach.objects.get().skip_reason == "consent"
    assert OutboxMessage.objects.count() == 0


def test_api_request_with_idempotency_and_hostile_input(api_client_for):
    shop = api_client_for(name="shop")
    product = ProductFactory(sku="KET-1", stock_quantity=0)
    customer = customer_with_email()
    first = post(shop, {"customer": customer.pk, "sku": "KET-1"})
    assert first.status_code == 201
    assert first.json()["sku"] == "KET-1"
    replay = post(shop, {"customer": customer.pk, "sku": "KET-1"})
    assert replay.status_code == 201
    assert replay.headers["Idempotent-Replayed"] == "true"
    assert post(shop, {"customer": customer.pk, "sku": "KET-1"}, key="k2").status_code == 200
    assert post(shop, {"customer": customer.pk, "sku": "OTHER"}, key="k1").status_code == 409
    for body in ({}, {"customer": "abc", "sku": "KET-1"}, {"customer": -1, "sku": "KET-1"},
                 {"customer": 2**70, "sku": "KET-1"}, {"customer": customer.pk, "sku": "x" * 65},
                 {"customer": customer.pk, "sku": ["KET-1"]}, [1, 2]):  # fmt: skip
        assert post(shop, body, key=f"bad-{body!r}"[:150]).status_code == 400, body
    assert post(shop, {"customer": 999999, "sku": "KET-1"}, key="k404").status_code == 404
    assert post(shop, {"customer": customer.pk, "sku": "NOPE"}, key="k405").status_code == 404
    no_key = shop.post(API, {"customer": customer.pk, "sku": "KET-1"}, format="json")
    assert no_key.status_code == 400
    reader = api_client_for(scopes=["products:read"])
    assert post(reader, {"customer": customer.pk, "sku": "KET-1"}).status_code == 403
    assert StockRequest.objects.count() == 1
    # The shop reports stock through its API: the customer is told.
    stock = shop.post(f"/api/v1/products/{product.sku}/stock/", {"quantity": 4}, format="json",
                      HTTP_IDEMPOTENCY_KEY="s1")  # fmt: skip
    assert stock.status_code == 200
    back_in_stock_sweep()  # what the after-commit task does on a worker
    send_all()
    assert OutboxMessage.objects.filter(kind="outreach_back_in_stock").count() == 1


def test_agent_notes_a_wish_from_the_customer_page(client):
    make_agent(username="ali", teams=[TeamFactory(slug="care")])
    client.login(username="ali", password=PASSWORD)
    customer = customer_with_email()
    ProductFactory(sku="KET-1", stock_quantity=0)
    url = f"/outreach/stock-request/{customer.pk}/"
    assert 'class="stock-request-form' in client.get(f"/customers/{customer.pk}/").text
    assert client.post(url, {"sku": "KET-1"}).status_code == 302
    client.post(url, {"sku": "KET-1"})  # twice
    for bad in ({}, {"sku": "NOPE"}, {"sku": "x" * 65}, {"sku": "<script>"}):
        assert client.post(url, bad).status_code == 302
    assert client.get(url).status_code == 405
    assert client.post("/outreach/stock-request/999999/", {"sku": "KET-1"}).status_code == 404
    assert StockRequest.objects.get().source == "agent"
