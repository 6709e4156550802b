"""A customer opens the booking link of a maintenance reminder on a phone (375 px), books
a slot, sees the confirmation, and cancels from the same link; the page is accessible and
its console stays clean."""

from __future__ import annotations

from datetime import timedelta

import pytest
from playwright.sync_api import expect

from messaging.models import OutboxMessage
from outreach import services
from outreach.maintenance import maintenance_reminders_schedule
from outreach.models import Appointment
from outreach.tests.helpers import customer_with_email, delivered_item, service_team
from tests.test_browser_design import _check

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _sweep() -> None:
    """What the beat sweeps do on a worker."""
    maintenance_reminders_schedule()
    for pk in services.outreach_due_ids():
        services.outreach_send(outreach_id=pk)


@pytest.mark.parametrize("language", ["en", "de"])
def test_customer_books_a_slot_from_the_reminder_on_a_phone(page, language):
    from django.core.cache import cache
    from django.utils import timezone

    cache.clear()
    service_team(hours=[(0, "08:00", "12:00"), (0, "13:00", "18:00")], weekdays=range(7),
                 country="XX", lead_time=timedelta(hours=1), days_ahead=5, capacity=2)  # fmt: skip
    customer = customer_with_email(language, first_name="Deniz")
    delivered_item(customer=customer, delivered_at=timezone.now() - timedelta(days=370))
    _sweep()
    reminder = OutboxMessage.objects.get(kind="outreach_maintenance")
    link = next(w for w in reminder.text.split() if "/outreach/book/" in w)
    path = link[link.index("/outreach/book/") :]

    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(path)
    expect(page.locator(".booking-slots")).to_be_visible()
    _check(page, language, f"booking-{language}-375")
    first = page.locator(".booking-day[open] .form-selectgroup-item").first
    chosen = first.locator("input").get_attribute("value")
    first.locator(".form-selectgroup-label").click()
    page.locator(".booking-slots button[type=submit]").click()

    expect(page.locator(".booking-done")).to_be_visible()
    expect(page.locator(".booking-when")).to_contain_text("(Europe/Berlin)")
    _check(page, language, f"booking-done-{language}-375")
    appointment = Appointment.objects.get(customer=customer)
    assert appointment.state == "booked"
    from outreach.appointments import slot_key

    assert slot_key(appointment.starts_at) == chosen
    _sweep()
    confirmation = OutboxMessage.objects.get(kind="outreach_appointment_booked")
    assert page.locator(".booking-when").inner_text().strip() in confirmation.text

    page.locator(".booking-cancel button").click()
    expect(page.locator(".booking-done")).to_be_visible()
    expect(page.locator(".booking-slots")).to_be_visible()
    appointment.refresh_from_db()
    assert appointment.state == "cancelled"
