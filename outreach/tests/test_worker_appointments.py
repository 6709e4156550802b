"""Maintenance reminders and appointment messages on the real path: a real worker and
beat (sweeps every second), with the clock moved by writing the history in the past."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from messaging.models import OutboxMessage
from outreach.models import Outreach, ServiceSchedule

from .helpers import customer_with_email, delivered_item, sent_reminder, service_team
from .test_worker import wait_for


def _always_open_team():
    return service_team(hours=[(0, "00:00", "00:00")], weekdays=range(7), country="XX",
                        lead_time=timedelta(hours=1), days_ahead=7)  # fmt: skip


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_due_maintenance_reminder_goes_out_once_through_beat_and_worker(celery_beat_process):
    _always_open_team()
    customer = customer_with_email("de", first_name="Deniz")
    with time_machine.travel(timezone.now() - timedelta(days=367), tick=False):
        item = delivered_item(customer=customer, months=12)  # delivered a year ago
    sent = wait_for(lambda: OutboxMessage.objects.filter(kind="outreach_maintenance",
                                                         state="sent").first())  # fmt: skip
    assert sent.customer_id == customer.pk
    assert sent.language == "de"
    assert "/outreach/book/" in sent.text
    row = Outreach.objects.get(kind="maintenance")
    assert row.order_item == item
    assert row.state == "sent"
    time.sleep(3)  # three more sweeps of each kind send nothing again
    assert OutboxMessage.objects.filter(customer=customer).count() == 1
    assert Outreach.objects.filter(kind="maintenance").count() == 1


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_confirmation_and_day_before_reminder_go_out_once_and_none_when_cancelled(
    celery_beat_process,
):
    from outreach.appointments import appointment_book, appointment_cancel, slots_offered

    team = _always_open_team()
    schedule = ServiceSchedule.objects.get(team=team)
    real_now = timezone.now()
    kept, dropped = sent_reminder(), sent_reminder()
    # Booked two days ago for a time twenty hours from now: the day-before reminder is due.
    with time_machine.travel(real_now - timedelta(days=2), tick=False):
        slots = slots_offered(schedule=schedule)
        slot = next(s for s in slots if s.starts_at >= real_now + timedelta(hours=20))
        appointment, _ = appointment_book(reminder_id=kept.pk, starts_at=slot.starts_at)
        appointment_book(reminder_id=dropped.pk, starts_at=slot.starts_at + timedelta(hours=1))
        appointment_cancel(reminder_id=dropped.pk)

    def sent(kind: str, reminder) -> list[OutboxMessage]:
        return list(OutboxMessage.objects.filter(kind=kind, state="sent",
                                                 customer_id=reminder.customer_id))  # fmt: skip

    assert wait_for(lambda: sent("outreach_appointment_booked", kept))
    assert wait_for(lambda: sent("outreach_appointment_reminder", kept))
    time.sleep(3)
    assert len(sent("outreach_appointment_booked", kept)) == 1
    assert len(sent("outreach_appointment_reminder", kept)) == 1
    # The cancelled booking is never reminded.
    reminders = OutboxMessage.objects.filter(kind="outreach_appointment_reminder")
    assert not reminders.filter(customer_id=dropped.customer_id).exists()
    skipped = Outreach.objects.get(appointment__reminder=dropped, kind="appointment_reminder")
    assert skipped.skip_reason == "cancelled"
    assert appointment.messages.filter(state="sent").count() == 2
