"""Shipment delays: told before the customer asks, once per shipment and estimate, from
the shop's report (the API) or from a parcel passing its expected delivery (the sweep)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from django.utils import timezone

from core.models import Event
from customers.models import Consent, Shipment
from customers.services import consent_record, shipment_delay_report, shipment_upsert
from customers.tests.factories import OrderFactory
from messaging.models import OutboxMessage
from outreach import services
from outreach.delays import promise_date, shipment_delays_sweep
from outreach.models import Outreach

from .helpers import customer_with_email

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 12, 2, 10, 0, tzinfo=UTC)  # a Wednesday


def send_all() -> None:
    for pk in services.outreach_due_ids():
        services.outreach_send(outreach_id=pk)


@pytest.fixture
def parcel():
    """A parcel on its way, expected tomorrow."""
    with time_machine.travel(NOW - timedelta(days=2), tick=False):
        order = OrderFactory(customer=customer_with_email("de", first_name="Jonas"), number="A-77")
        shipment, _created = shipment_upsert(
            order=order, reference="P-1", by=None, carrier="DHL", status="in_transit",
            estimated_delivery_at=NOW + timedelta(days=1),
        )  # fmt: skip
    return shipment


def notices():
    return OutboxMessage.objects.filter(kind="outreach_shipment_delay")


def test_a_new_estimate_is_told_once_and_a_later_one_again(parcel):
    with time_machine.travel(NOW, tick=False):
        _s, reported = shipment_delay_report(
            shipment=parcel, estimated_delivery_at=NOW + timedelta(days=4), by=None
        )
        assert reported
        # The same estimate again (the shop's retry): one delay.
        _s, again = shipment_delay_report(
            shipment=parcel, estimated_delivery_at=NOW + timedelta(days=4), by=None
        )
        assert not again
        send_all()
        send_all()
    assert notices().count() == 1
    notice = notices().get()
    assert notice.language == "de"
    assert "A-77" in notice.subject
    assert notice.headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    row = Outreach.objects.get(kind="shipment_delay")
    assert row.details["estimate"] == (NOW + timedelta(days=4)).isoformat()
    assert "6. Dez 2026" in row.text  # the new date, in the customer's language
    assert "/outreach/stop/" in row.text
    # A later estimate is a new cause.
    with time_machine.travel(NOW + timedelta(hours=3), tick=False):
        shipment_delay_report(shipment=parcel, estimated_delivery_at=NOW + timedelta(days=6),
                              by=None)  # fmt: skip
        send_all()
    assert notices().count() == 2


def test_a_later_estimate_in_a_shipment_update_is_a_delay_too(parcel):
    with time_machine.travel(NOW, tick=False):
        shipment_upsert(order=parcel.order, reference="P-1", by=None, carrier="DHL",
                        status="in_transit",
                        estimated_delivery_at=NOW + timedelta(days=3))  # fmt: skip
        # An earlier estimate is good news, not a delay.
        shipment_upsert(order=parcel.order, reference="P-1", by=None, carrier="DHL",
                        status="in_transit",
                        estimated_delivery_at=NOW + timedelta(days=2))  # fmt: skip
        send_all()
    assert notices().count() == 1


def test_nobody_knows_yet_promises_a_business_day_to_write_by(parcel):
    with time_machine.travel(NOW, tick=False):
        shipment_delay_report(shipment=parcel, estimated_delivery_at=None, by=None)
        shipment_delay_report(shipment=parcel, estimated_delivery_at=None, by=None)
        send_all()
    row = Outreach.objects.get(kind="shipment_delay")
    assert row.state == Outreach.State.SENT
    # Wednesday + two business days (the shop's default hours, Monday to Friday).
    assert row.details["promised_by"] == "2026-12-04"
    assert notices().count() == 1
    friday = promise_date(customer=row.customer, now=datetime(2026, 12, 4, 10, tzinfo=UTC))
    assert friday == date(2026, 12, 8)  # over the weekend: Tuesday


def test_the_sweep_tells_of_a_parcel_past_its_expected_delivery_once(parcel):
    assert shipment_delays_sweep(now=NOW) == 0  # not late yet
    late = NOW + timedelta(days=1, hours=2)
    with time_machine.travel(late, tick=False):
        assert shipment_delays_sweep() == 1
        assert shipment_delays_sweep() == 0
        # The shop, told by the customer's question, says nobody knows yet: the same delay.
        shipment_delay_report(shipment=parcel, estimated_delivery_at=None, by=None)
        send_all()
    assert notices().count() == 1
    assert "2026" not in notices().get().subject


def test_the_promise_is_kept_when_nothing_new_comes(parcel):
    late = NOW + timedelta(days=1, hours=2)  # Thursday
    with time_machine.travel(late, tick=False):
        shipment_delays_sweep()
        send_all()
    promised = Outreach.objects.get(kind="shipment_delay").details["promised_by"]
    assert promised == "2026-12-07"  # Thursday + two business days: Monday
    with time_machine.travel(datetime(2026, 12, 6, 10, tzinfo=UTC), tick=False):
        assert shipment_delays_sweep() == 0  # Sunday: not due yet
    with time_machine.travel(datetime(2026, 12, 7, 10, tzinfo=UTC), tick=False):
        assert shipment_delays_sweep() == 1
        assert shipment_delays_sweep() == 0
        send_all()
    assert notices().count() == 2


def test_a_parcel_that_arrives_first_is_not_told_late(parcel):
    with time_machine.travel(NOW, tick=False):
        shipment_delay_report(shipment=parcel, estimated_delivery_at=NOW + timedelta(days=3),
                              by=None)  # fmt: skip
        shipment_upsert(order=parcel.order, reference="P-1", by=None, status="delivered")
        send_all()
    row = Outreach.objects.get(kind="shipment_delay")
    assert (row.state, row.skip_reason) == (Outreach.State.SKIPPED, "delivered")
    assert Event.objects.filter(kind="outreach.skipped", data__reason="delivered").exists()
    assert notices().count() == 0


def test_a_service_message_needs_no_marketing_consent(parcel):
    consent_record(customer=parcel.order.customer, purpose=Consent.Purpose.MARKETING,
                   granted=False, source="test", by=None)  # fmt: skip
    with time_machine.travel(NOW, tick=False):
        shipment_delay_report(shipment=parcel, estimated_delivery_at=None, by=None)
        send_all()
    assert notices().count() == 1


# --- The API ------------------------------------------------------------------------------


def delay(client, number, reference, body, key="d1"):
    return client.post(f"/api/v1/orders/{number}/shipments/{reference}/delay/", body,
                       format="json", HTTP_IDEMPOTENCY_KEY=key)  # fmt: skip


def test_the_shipments_api_reports_a_delay_idempotently(api_client_for, parcel):
    shop = api_client_for(name="shop")
    estimate = (timezone.now() + timedelta(days=5)).replace(microsecond=0).isoformat()
    first = delay(shop, "A-77", "P-1", {"estimated_delivery_at": estimate})
    assert first.status_code == 201
    assert first.json()["reference"] == "P-1"
    replay = delay(shop, "A-77", "P-1", {"estimated_delivery_at": estimate})
    assert replay.status_code == 201
    assert replay.headers["Idempotent-Replayed"] == "true"
    # The same report under a new key: the same delay, answered 200, nothing new.
    assert (
        delay(shop, "A-77", "P-1", {"estimated_delivery_at": estimate}, key="d2").status_code == 200
    )
    # The same key with another body is a conflict.
    assert delay(shop, "A-77", "P-1", {"estimated_delivery_at": None}).status_code == 409
    assert Outreach.objects.filter(kind="shipment_delay").count() == 1
    send_all()
    assert notices().count() == 1


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"estimated_delivery_at": "next week"},
        {"estimated_delivery_at": 12},
        {"estimated_delivery_at": ["2026-12-09T10:00:00Z"]},
        {"estimated_delivery_at": "9" * 5000},
        [1, 2],
        "estimated_delivery_at",
    ],
)
def test_malformed_delay_reports_are_refused(api_client_for, parcel, body):
    shop = api_client_for(name="shop")
    answer = delay(shop, "A-77", "P-1", body, key=f"bad-{hash(str(body))}")
    assert answer.status_code == 400, answer.content
    assert not Outreach.objects.exists()


def test_hostile_and_impossible_delay_reports(api_client_for, parcel):
    shop = api_client_for(name="shop")
    soon = (timezone.now() + timedelta(days=2)).isoformat()
    assert delay(shop, "NOPE", "P-1", {"estimated_delivery_at": soon}, key="h1").status_code == 404
    assert delay(shop, "A-77", "NOPE", {"estimated_delivery_at": soon}, key="h2").status_code == 404
    assert (
        delay(shop, "A-77", "x" * 500, {"estimated_delivery_at": soon}, key="h3").status_code == 404
    )
    assert delay(shop, "A-77", "' OR 1=1 --", {"estimated_delivery_at": soon},
                 key="h4").status_code == 404  # fmt: skip
    past = (timezone.now() - timedelta(days=1)).isoformat()
    refused = delay(shop, "A-77", "P-1", {"estimated_delivery_at": past}, key="h5")
    assert refused.status_code == 422
    no_key = shop.post("/api/v1/orders/A-77/shipments/P-1/delay/",
                       {"estimated_delivery_at": soon}, format="json")  # fmt: skip
    assert no_key.status_code == 400
    reader = api_client_for(scopes=["orders:read"])
    assert (
        delay(reader, "A-77", "P-1", {"estimated_delivery_at": soon}, key="h6").status_code == 403
    )
    Shipment.objects.filter(pk=parcel.pk).update(status="delivered", delivered_at=timezone.now())
    gone = delay(shop, "A-77", "P-1", {"estimated_delivery_at": soon}, key="h7")
    assert gone.status_code == 422
    assert not Outreach.objects.exists()


def test_the_orders_api_takes_the_delivery_postal_code(api_client_for):
    shop = api_client_for(name="shop")
    customer = customer_with_email()
    body = {"number": "B-1", "customer": customer.pk, "placed_at": "2026-11-30T10:00:00Z",
            "delivery_postal_code": "34710"}  # fmt: skip
    made = shop.post("/api/v1/orders/", body, format="json", HTTP_IDEMPOTENCY_KEY="o1")
    assert made.status_code == 201
    assert made.json()["delivery_postal_code"] == "34710"
    # Left out on an update, it stays; hostile values are refused.
    kept = shop.post("/api/v1/orders/", {**body, "delivery_postal_code": None} | {"total_cents": 5},
                     format="json", HTTP_IDEMPOTENCY_KEY="o2")  # fmt: skip
    assert kept.status_code == 400
    update = {k: v for k, v in body.items() if k != "delivery_postal_code"}
    again = shop.post("/api/v1/orders/", update, format="json", HTTP_IDEMPOTENCY_KEY="o3")
    assert again.json()["delivery_postal_code"] == "34710"
    for i, code in enumerate(["", "9" * 17, "<b>", "12\n34", "' OR 1=1"]):
        answer = shop.post("/api/v1/orders/", {**body, "delivery_postal_code": code},
                           format="json", HTTP_IDEMPOTENCY_KEY=f"o-bad-{i}")  # fmt: skip
        assert answer.status_code == 400, code
