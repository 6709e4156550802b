"""Win-back notes: for customers quiet for long, built from what they bought, nothing to
buy in them, once per quiet period, following the marketing consent."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from core.models import Event
from customers.models import Consent, Order
from customers.services import consent_record
from customers.tests.factories import OrderFactory, OrderItemFactory, ProductFactory
from messaging.models import OutboxMessage
from outreach import services
from outreach.content import ContentRefusedError, content_check
from outreach.models import Outreach
from outreach.winback import quiet_customers, win_back_sweep
from tickets.tests.factories import TicketFactory

from .helpers import customer_with_email

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 12, 2, 10, 0, tzinfo=UTC)


def ordered(customer, *, days_ago: int, product=None, warranty_days: int | None = None) -> Order:
    placed = NOW - timedelta(days=days_ago)
    order = OrderFactory(
        customer=customer, placed_at=placed,
        warranty_ends_at=placed + timedelta(days=warranty_days) if warranty_days else None,
    )  # fmt: skip
    OrderItemFactory(order=order, product=product or ProductFactory())
    return order


def send_all() -> None:
    for pk in services.outreach_due_ids():
        services.outreach_send(outreach_id=pk)


@pytest.fixture
def kettle():
    return ProductFactory(name="Kettle", care_tips="Descale it once a month with vinegar.")


def test_only_customers_who_ordered_and_went_quiet(kettle):
    quiet = customer_with_email()
    ordered(quiet, days_ago=200, product=kettle)
    recent = customer_with_email()
    ordered(recent, days_ago=200)
    ordered(recent, days_ago=20)  # ordered again lately
    asked = customer_with_email()
    ordered(asked, days_ago=250)
    ticket = TicketFactory(customer=asked)
    from tickets.models import Ticket

    Ticket.objects.filter(pk=ticket.pk).update(created_at=NOW - timedelta(days=30))
    customer_with_email()  # never ordered: nothing to win back
    assert list(quiet_customers(now=NOW).values_list("pk", flat=True)) == [quiet.pk]


def test_a_personal_note_from_the_purchase_history_sent_once_per_quiet_period(kettle):
    customer = customer_with_email("de", first_name="Ayla")
    order = ordered(customer, days_ago=200, product=kettle, warranty_days=730)
    ordered(customer, days_ago=400, product=ProductFactory(name="Toaster"), warranty_days=100)
    with time_machine.travel(NOW, tick=False):
        assert win_back_sweep() == 1
        assert win_back_sweep() == 0  # the same quiet period
        send_all()
    note = OutboxMessage.objects.get(kind="outreach_win_back")
    assert note.language == "de"
    assert "Descale it once a month" in note.text
    assert "Kettle" in note.text
    assert order.number in note.text  # its warranty still runs
    assert "Toaster" not in note.text  # its warranty ended; no care tips
    assert note.headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    row = Outreach.objects.get(kind="win_back")
    assert row.cause == f"win_back:{customer.pk}:{order.placed_at.isoformat()}"
    # They came back (an order), then went quiet again: a new period, a new note.
    later = ordered(customer, days_ago=-10, product=kettle)
    with time_machine.travel(NOW + timedelta(days=100), tick=False):
        assert win_back_sweep() == 0  # not quiet long enough yet
    with time_machine.travel(later.placed_at + timedelta(days=181), tick=False):
        assert win_back_sweep() == 1
    assert Outreach.objects.filter(kind="win_back").count() == 2


def test_no_discount_and_no_sales_pitch_in_a_win_back_note():
    for text in ("Use code SAVE20 for 20% off", "Buy the new model now", "Jetzt kaufen",
                 "İndirim fırsatı", "Take our survey", "https://shop.example/deals"):  # fmt: skip
        with pytest.raises(ContentRefusedError):
            content_check(kind="win_back", text=text)
    with pytest.raises(ContentRefusedError):
        content_check(kind="win_back", text="x", blocks={"coupon": "SAVE20"})
    assert content_check(kind="win_back", text="Descale it monthly.") == "Descale it monthly."


def test_a_care_tip_that_sells_is_left_out_and_a_note_with_nothing_is_not_sent():
    pitch = ProductFactory(name="Grinder", care_tips="Buy our cleaning tablets: 20% off!")
    customer = customer_with_email()
    ordered(customer, days_ago=300, product=pitch)
    with time_machine.travel(NOW, tick=False):
        win_back_sweep()
        send_all()
    row = Outreach.objects.get(kind="win_back")
    assert (row.state, row.skip_reason) == (Outreach.State.SKIPPED, "nothing_to_say")
    assert Event.objects.filter(kind="outreach.skipped", data__reason="nothing_to_say").exists()
    assert not OutboxMessage.objects.exists()
    # With a warranty still running, the note goes, without the pitch.
    other = customer_with_email()
    ordered(other, days_ago=300, product=pitch, warranty_days=700)
    with time_machine.travel(NOW, tick=False):
        win_back_sweep()
        send_all()
    note = OutboxMessage.objects.get(kind="outreach_win_back")
    assert "cleaning tablets" not in note.text
    assert Outreach.objects.get(customer=other).details["tips_left_out"] == [pitch.sku]


def test_follows_the_marketing_consent(kettle):
    customer = customer_with_email()
    ordered(customer, days_ago=300, product=kettle)
    consent_record(customer=customer, purpose=Consent.Purpose.MARKETING, granted=False,
                   source="test", by=None)  # fmt: skip
    with time_machine.travel(NOW, tick=False):
        win_back_sweep()
        send_all()
    assert Outreach.objects.get(kind="win_back").skip_reason == "consent"
    assert not OutboxMessage.objects.exists()


def test_a_batch_at_a_time(settings, kettle):
    settings.OUTREACH_WIN_BACK_BATCH = 2
    for _n in range(5):
        ordered(customer_with_email(), days_ago=300, product=kettle)
    with time_machine.travel(NOW, tick=False):
        assert [win_back_sweep(), win_back_sweep(), win_back_sweep(), win_back_sweep()] == [
            2, 2, 1, 0,
        ]  # fmt: skip


def test_the_products_api_takes_care_tips(api_client_for):
    shop = api_client_for(name="shop")
    body = {"sku": "KET-9", "name": "Kettle", "care_tips": "Descale monthly.\nDry the lid."}
    made = shop.post("/api/v1/products/", body, format="json", HTTP_IDEMPOTENCY_KEY="p1")
    assert made.status_code == 201
    assert made.json()["care_tips"] == "Descale monthly.\nDry the lid."
    for i, tips in enumerate(["x" * 2001, "bell\x07", ["a"], {"a": 1}]):
        answer = shop.post("/api/v1/products/", {**body, "care_tips": tips}, format="json",
                           HTTP_IDEMPOTENCY_KEY=f"p-bad-{i}")  # fmt: skip
        assert answer.status_code == 400, tips
