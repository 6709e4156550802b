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


@pytest.mark.parametrize("width", [1280, 375])
def test_agent_sees_the_days_appointments_and_moves_between_days(page, width):
    from django.utils import timezone

    from outreach.appointments import appointment_book, slots_offered
    from outreach.models import ServiceSchedule
    from outreach.tests.helpers import sent_reminder
    from tests.browser import sign_in
    from tickets.tests.factories import make_agent

    team = service_team(hours=[(0, "08:00", "18:00")], weekdays=range(7), country="XX",
                        lead_time=timedelta(hours=1), days_ahead=5)  # fmt: skip
    make_agent(username="ali", teams=[team])
    reminder = sent_reminder(item=delivered_item(customer=customer_with_email(
        first_name="Deniz", last_name="Yilmaz")))  # fmt: skip
    slot = slots_offered(schedule=ServiceSchedule.objects.get(team=team))[0]
    appointment_book(reminder_id=reminder.pk, starts_at=slot.starts_at)
    day = timezone.localtime(slot.starts_at).date()

    page.set_viewport_size({"width": width, "height": 800})
    sign_in(page, "ali")
    page.goto(f"/outreach/appointments/?day={day.isoformat()}")
    expect(page.locator(".appointments tbody tr")).to_have_count(1)
    expect(page.get_by_role("link", name="Deniz Yilmaz")).to_be_visible()
    _check(page, "en", f"appointments-{width}")
    page.get_by_role("link", name="Next day").click()
    expect(page.locator(".appointments")).to_contain_text("No appointments on this day.")
    page.get_by_role("link", name="Previous day").click()
    page.get_by_role("link", name="Deniz Yilmaz").click()
    expect(page.locator(".customer-appointments")).to_be_visible()
