"""Booking, moving and cancelling an appointment, and the confirmation and day-before
reminder each sends exactly once (none for a cancelled or moved time)."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import timezone

from core.models import Event
from messaging.models import OutboxMessage
from outreach import services
from outreach.appointments import (
    BookingError,
    NoAppointmentError,
    SlotTakenError,
    SlotUnavailableError,
    appointment_book,
    appointment_cancel,
    appointment_move,
    appointment_when,
)
from outreach.models import Appointment, Outreach

from .helpers import customer_with_email, delivered_item, sent_reminder, service_team

pytestmark = pytest.mark.django_db
BERLIN = ZoneInfo("Europe/Berlin")
MONDAY = timezone.datetime(2026, 12, 7, 9, 0, tzinfo=BERLIN)  # a slot
NOW = MONDAY - timedelta(days=5, hours=1)  # the Wednesday before, 08:00


def _send_due():
    for pk in services.outreach_due_ids():
        services.outreach_send(outreach_id=pk)


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel(NOW, tick=False):
        yield


def test_booking_takes_a_seat_and_schedules_a_confirmation_and_a_reminder():
    team = service_team()
    reminder = sent_reminder()
    appointment, created = appointment_book(reminder_id=reminder.pk, starts_at=MONDAY)
    assert created
    assert appointment.team == team
    assert appointment.seat == 0
    assert appointment.ends_at == MONDAY + timedelta(hours=1)
    assert appointment.order_item == reminder.order_item
    rows = {r.kind: r for r in Outreach.objects.filter(appointment=appointment)}
    assert rows["appointment_booked"].send_after == NOW
    assert rows["appointment_reminder"].send_after == MONDAY - timedelta(days=1)
    assert Event.objects.filter(kind="outreach.appointment_booked",
                                customer_id=reminder.customer_id).exists()  # fmt: skip


def test_posting_the_same_slot_twice_books_once_and_another_slot_is_refused():
    service_team()
    reminder = sent_reminder()
    first, _ = appointment_book(reminder_id=reminder.pk, starts_at=MONDAY)
    again, created = appointment_book(reminder_id=reminder.pk, starts_at=MONDAY)
    assert again == first
    assert not created
    with pytest.raises(BookingError):
        appointment_book(reminder_id=reminder.pk, starts_at=MONDAY + timedelta(hours=1))
    assert Appointment.objects.count() == 1
    assert Outreach.objects.filter(kind="appointment_booked").count() == 1


def test_a_full_slot_answers_with_the_next_free_slots():
    service_team(capacity=2)
    a, b = appointment_book(reminder_id=sent_reminder().pk, starts_at=MONDAY)[0], \
        appointment_book(reminder_id=sent_reminder().pk, starts_at=MONDAY)[0]  # fmt: skip
    assert {a.seat, b.seat} == {0, 1}
    with pytest.raises(SlotTakenError) as caught:
        appointment_book(reminder_id=sent_reminder().pk, starts_at=MONDAY)
    assert [s.starts_at for s in caught.value.next_slots] == [
        MONDAY + timedelta(hours=h) for h in (1, 2, 3)]  # fmt: skip


@pytest.mark.parametrize("starts_at", [
    MONDAY - timedelta(days=2),  # Saturday
    MONDAY - timedelta(hours=2),  # 07:00, before opening
    MONDAY + timedelta(hours=8),  # 17:00, closed
    MONDAY + timedelta(minutes=30),  # between slots
    NOW - timedelta(days=1),  # the past
    NOW + timedelta(hours=2),  # inside the minimum notice
    MONDAY + timedelta(days=21),  # beyond the bookable days
])  # fmt: skip
def test_a_time_the_schedule_does_not_offer_is_refused(starts_at):
    service_team()
    with pytest.raises(SlotUnavailableError):
        appointment_book(reminder_id=sent_reminder().pk, starts_at=starts_at)
    assert not Appointment.objects.exists()


def test_moving_frees_the_old_seat_and_only_the_new_time_is_confirmed_and_reminded():
    service_team()
    reminder = sent_reminder()
    appointment, _ = appointment_book(reminder_id=reminder.pk, starts_at=MONDAY)
    _send_due()  # the confirmation of the first time
    later = MONDAY + timedelta(days=1, hours=2)
    moved = appointment_move(reminder_id=reminder.pk, starts_at=later)
    assert (moved.pk, moved.starts_at, moved.changes) == (appointment.pk, later, 1)
    old = Outreach.objects.get(kind="appointment_reminder", cause__endswith=":0")
    assert (old.state, old.skip_reason) == ("skipped", "rescheduled")
    other, _ = appointment_book(reminder_id=sent_reminder().pk, starts_at=MONDAY)  # free again
    assert other.seat == 0
    _send_due()
    confirmations = OutboxMessage.objects.filter(kind="outreach_appointment_booked",
                                                 customer=reminder.customer)  # fmt: skip
    assert confirmations.count() == 2  # the first time's, then the new time's
    with time_machine.travel(later - timedelta(hours=23), tick=False):
        _send_due()
        _send_due()
    reminders = OutboxMessage.objects.filter(kind="outreach_appointment_reminder",
                                             customer=reminder.customer)  # fmt: skip
    assert reminders.count() == 1
    assert "Tuesday, 8 Dec 2026, 11:00–12:00 (Europe/Berlin)" in reminders.get().text


def test_a_cancelled_appointment_gets_no_reminder_and_frees_its_seat():
    service_team()
    reminder = sent_reminder()
    appointment_book(reminder_id=reminder.pk, starts_at=MONDAY)
    cancelled = appointment_cancel(reminder_id=reminder.pk)
    assert cancelled.state == "cancelled"
    with pytest.raises(NoAppointmentError):
        appointment_cancel(reminder_id=reminder.pk)
    with pytest.raises(NoAppointmentError):
        appointment_move(reminder_id=reminder.pk, starts_at=MONDAY)
    with time_machine.travel(MONDAY - timedelta(hours=20), tick=False):
        _send_due()
    assert not OutboxMessage.objects.filter(kind="outreach_appointment_reminder").exists()
    assert Outreach.objects.get(kind="appointment_reminder").skip_reason == "cancelled"
    assert appointment_book(reminder_id=sent_reminder().pk, starts_at=MONDAY)[0].seat == 0
    # The same link can book again.
    assert appointment_book(reminder_id=reminder.pk, starts_at=MONDAY + timedelta(hours=1))[1]


@pytest.mark.parametrize(("language", "expected"), [
    ("en", "Monday, 7 Dec 2026, 09:00–10:00 (Europe/Berlin)"),
    ("de", "Montag, 7. Dez 2026, 09:00–10:00 (Europe/Berlin)"),
    ("tr", "Pazartesi, 7 Ara 2026 09:00–10:00 (Europe/Berlin)"),
])  # fmt: skip
def test_the_confirmation_tells_the_time_in_the_teams_zone_and_customers_language(
    language, expected
):
    service_team()
    customer = customer_with_email(language, first_name="Deniz")
    reminder = sent_reminder(item=delivered_item(customer=customer))
    appointment_book(reminder_id=reminder.pk, starts_at=MONDAY)
    _send_due()
    message = OutboxMessage.objects.get(kind="outreach_appointment_booked")
    assert message.language == language
    assert expected in message.text
    assert expected in message.subject
    assert "/outreach/book/" in message.text
    row = Outreach.objects.get(kind="appointment_booked")
    assert row.state == "sent"
    assert row.outbox_id == message.pk
    _send_due()
    assert OutboxMessage.objects.filter(kind="outreach_appointment_booked").count() == 1


def test_appointment_messages_are_exempt_from_the_contact_pressure_limit():
    service_team()
    customer = customer_with_email()
    reminder = sent_reminder(item=delivered_item(customer=customer))
    # A proactive message went out an hour ago: others wait a day, these do not.
    Outreach.objects.create(
        kind="thank_you", state="sent", customer=customer, cause="thank_you:x",
        send_after=NOW, sent_at=NOW - timedelta(hours=1),
    )  # fmt: skip
    appointment_book(reminder_id=reminder.pk, starts_at=MONDAY)
    _send_due()
    assert Outreach.objects.get(kind="appointment_booked").state == "sent"


def test_when_reads_in_the_teams_zone():
    team = service_team(time_zone="Europe/Istanbul", country="TR")
    appointment = Appointment(team=team, starts_at=MONDAY, ends_at=MONDAY + timedelta(hours=1))
    assert appointment_when(appointment).endswith("11:00–12:00 (Europe/Istanbul)")
