"""Twenty customers press "Book" for the last seat of a slot at the same moment, each
through their own link, against the real PostgreSQL: exactly one gets it, the others are
told it is taken and shown the next free slots."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client

from outreach.appointments import appointment_book, slot_key, slots_offered
from outreach.maintenance import booking_token
from outreach.models import Appointment, ServiceSchedule

from .helpers import sent_reminder, service_team

THREADS = 20


@pytest.mark.django_db(transaction=True)
def test_twenty_customers_race_for_the_last_seat_and_one_gets_it():
    cache.clear()
    team = service_team(hours=[(0, "00:00", "00:00")], weekdays=range(7), country="XX",
                        capacity=3, lead_time=timedelta(0), days_ahead=2)  # fmt: skip
    schedule = ServiceSchedule.objects.get(team=team)
    slot = slots_offered(schedule=schedule)[1]
    for _ in range(2):  # two of the three seats are gone
        appointment_book(reminder_id=sent_reminder().pk, starts_at=slot.starts_at)
    links = [f"/outreach/book/{booking_token(reminder=sent_reminder())}/" for _ in range(THREADS)]
    barrier = threading.Barrier(THREADS)
    answers: list[tuple[int, str]] = []

    def press(link: str) -> None:
        try:
            client = Client()
            barrier.wait(timeout=30)
            response = client.post(link, {"action": "book", "slot": slot.key})
            answers.append((response.status_code, response.content.decode()))
        finally:
            connection.close()

    threads = [threading.Thread(target=press, args=(link,)) for link in links]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    statuses = sorted(status for status, _body in answers)
    assert statuses == [302] + [409] * (THREADS - 1)
    booked = Appointment.objects.filter(team=team, starts_at=slot.starts_at, state="booked")
    assert sorted(booked.values_list("seat", flat=True)) == [0, 1, 2]
    following = [s.key for s in slots_offered(schedule=schedule) if s.starts_at > slot.starts_at]
    for status, body in answers:
        if status == 409:
            assert "that time was booked by someone else" in body
            assert f'value="{following[0]}"' in body
            assert f'value="{slot_key(slot.starts_at)}"' not in body
