"""Maintenance reminders: one per order line and due date, by the beat sweep, with a
signed booking link, in the customer's language, stopped by a withdrawn service consent."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.utils import timezone

from core.models import Event
from customers.models import Consent, Order
from messaging.models import OutboxMessage
from outreach import services
from outreach.maintenance import (
    BadLinkError,
    booking_reminder_id,
    booking_token,
    maintenance_due,
    maintenance_reminders_schedule,
    months_add,
)
from outreach.models import Outreach
from outreach.rules import stop_token_read

from .helpers import customer_with_email, delivered_item, service_team

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 12, 2, 9, 0, tzinfo=UTC)


def _send_due():
    for pk in services.outreach_due_ids():
        services.outreach_send(outreach_id=pk)


def test_months_add_keeps_the_day_or_takes_the_months_last():
    assert months_add(datetime(2026, 1, 31, tzinfo=UTC), 1) == datetime(2026, 2, 28, tzinfo=UTC)
    assert months_add(datetime(2025, 11, 15, tzinfo=UTC), 14) == datetime(2027, 1, 15, tzinfo=UTC)


def test_the_due_date_is_the_latest_whole_interval_within_the_lookback():
    delivered = NOW - timedelta(days=370)  # 12 months and a few days ago
    assert maintenance_due(delivered_at=delivered, months=12, now=NOW) == months_add(delivered, 12)
    assert maintenance_due(delivered_at=NOW - timedelta(days=200), months=12, now=NOW) is None
    # Two intervals of six months: the second due date counts.
    assert maintenance_due(delivered_at=delivered, months=6, now=NOW) == months_add(delivered, 12)
    # A due date missed by months is not sent late.
    assert maintenance_due(delivered_at=NOW - timedelta(days=500), months=12, now=NOW) is None
    assert maintenance_due(delivered_at=NOW + timedelta(days=1), months=1, now=NOW) is None


@time_machine.travel(NOW, tick=False)
def test_the_sweep_schedules_one_reminder_per_order_line_and_due_date():
    service_team()
    due = delivered_item(delivered_at=NOW - timedelta(days=370))
    delivered_item(delivered_at=NOW - timedelta(days=100))  # not due yet
    delivered_item(delivered_at=NOW - timedelta(days=370), months=None)  # no interval
    assert maintenance_reminders_schedule() == 1
    assert maintenance_reminders_schedule() == 0  # idempotent
    row = Outreach.objects.get(kind=Outreach.Kind.MAINTENANCE)
    assert row.order_item == due
    assert row.customer == due.order.customer
    assert row.cause == f"maintenance:item:{due.pk}:{months_add(due.order.delivered_at, 12).date()}"
    assert Event.objects.filter(kind="outreach.scheduled", customer_id=row.customer_id).exists()


@pytest.mark.parametrize(("language", "words"), [
    ("en", "Hello Deniz,"), ("de", "Hallo Deniz,"), ("tr", "Merhaba Deniz,"),
])  # fmt: skip
@time_machine.travel(NOW, tick=False)
def test_the_reminder_goes_out_in_the_customers_language_with_a_booking_link(language, words):
    service_team()
    item = delivered_item(customer=customer_with_email(language, first_name="Deniz"),
                          delivered_at=NOW - timedelta(days=370))  # fmt: skip
    maintenance_reminders_schedule()
    _send_due()
    row = Outreach.objects.get(kind=Outreach.Kind.MAINTENANCE)
    assert row.state == "sent"
    message = OutboxMessage.objects.get(pk=row.outbox_id)
    assert message.kind == "outreach_maintenance"
    assert message.language == language
    assert message.text.startswith(words)  # the greeting of the customer's language
    assert item.product.name in message.subject
    assert item.order.number in message.text
    link = next(w for w in message.text.split() if "/outreach/book/" in w)
    assert booking_reminder_id(token=link.rstrip("/").rsplit("/", 1)[1]) == row.pk
    # Unasked, so it can be stopped: the kind's link in the text and the one-click headers.
    stop = message.headers["List-Unsubscribe"].strip("<>")
    assert stop in message.text
    assert stop_token_read(stop.rstrip("/").rsplit("/", 1)[1]) == (row.customer_id, "maintenance")
    assert Event.objects.filter(kind="outreach.sent", customer_id=row.customer_id,
                                data__kind="maintenance").exists()  # fmt: skip
    _send_due()
    assert OutboxMessage.objects.filter(kind="outreach_maintenance").count() == 1


@time_machine.travel(NOW, tick=False)
def test_a_withdrawn_service_consent_stops_it_with_the_reason_on_the_timeline():
    service_team()
    item = delivered_item(delivered_at=NOW - timedelta(days=370))
    customer = item.order.customer
    # Marketing refused: a service message needs no marketing consent.
    Consent.objects.create(customer=customer, purpose=Consent.Purpose.MARKETING, granted=False)
    other = delivered_item(delivered_at=NOW - timedelta(days=370))
    Consent.objects.create(customer=other.order.customer,
                           purpose=Consent.Purpose.SERVICE_EMAIL, granted=False)  # fmt: skip
    maintenance_reminders_schedule()
    _send_due()
    assert Outreach.objects.get(order_item=item).state == "sent"
    skipped = Outreach.objects.get(order_item=other)
    assert (skipped.state, skipped.skip_reason) == ("skipped", "consent")
    assert Event.objects.filter(kind="outreach.skipped", customer_id=other.order.customer_id,
                                data__reason="consent").exists()  # fmt: skip
    assert not OutboxMessage.objects.filter(customer=other.order.customer).exists()


@time_machine.travel(NOW, tick=False)
def test_a_returned_order_or_no_service_team_sends_nothing():
    item = delivered_item(delivered_at=NOW - timedelta(days=370))
    maintenance_reminders_schedule()
    _send_due()
    assert Outreach.objects.get(order_item=item).skip_reason == "no_schedule"
    service_team()
    returned = delivered_item(delivered_at=NOW - timedelta(days=370))
    maintenance_reminders_schedule()
    Order.objects.filter(pk=returned.order_id).update(status=Order.Status.RETURNED)
    _send_due()
    assert Outreach.objects.get(order_item=returned).skip_reason == "returned"
    assert not OutboxMessage.objects.exists()


def test_a_link_tampered_with_or_for_something_else_is_refused():
    from django.core import signing

    row = Outreach(pk=41)
    token = booking_token(reminder=row)
    assert booking_reminder_id(token=token) == 41
    for bad in ["", "x" * 400, token[:-2] + "xx", token + "a",
                signing.dumps({"o": 41}, salt="surveys.answer-link.v1"),
                signing.dumps({"o": "41"}, salt="outreach.booking-link.v1"),
                signing.dumps({"o": True}, salt="outreach.booking-link.v1"),
                signing.dumps([41], salt="outreach.booking-link.v1")]:  # fmt: skip
        with pytest.raises(BadLinkError) as caught:
            booking_reminder_id(token=bad)
        assert not caught.value.expired
    with time_machine.travel(timezone.now() + timedelta(days=61)), \
            pytest.raises(BadLinkError) as caught:  # fmt: skip
        booking_reminder_id(token=token)
    assert caught.value.expired
