"""Appointment slots are cut from the team's business hours: weekends, public holidays,
closures and the hours between split shifts offer none; the clocks changing moves the
UTC instants, not the local times; nothing is offered in the past or inside the notice."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from outreach.appointments import slot_key, slot_parse, slot_starts, slots_offered
from outreach.models import ServiceSchedule
from tickets.sla import business_clock

from .helpers import service_team

pytestmark = pytest.mark.django_db
BERLIN = ZoneInfo("Europe/Berlin")


def local(*args) -> datetime:
    return datetime(*args, tzinfo=BERLIN)


def starts(team, now):
    schedule = ServiceSchedule.objects.get(team=team)
    return [s for s, _e in slot_starts(schedule=schedule, clock=business_clock(team=team),
                                       now=now)]  # fmt: skip


def test_a_weekend_offers_no_slots():
    team = service_team(days_ahead=3, lead_time=timedelta(hours=1))
    found = starts(team, local(2026, 12, 4, 8, 0))  # a Friday morning
    days = sorted({s.astimezone(BERLIN).date() for s in found})
    assert days == [date(2026, 12, 4), date(2026, 12, 7)]  # Friday, then Monday
    assert len(found) == 16
    assert found[0] == local(2026, 12, 4, 9, 0)
    assert found[-1] == local(2026, 12, 7, 16, 0)
    assert all(s.astimezone(BERLIN).time() >= time(9) for s in found)


def test_a_public_holiday_and_a_closure_offer_no_slots():
    team = service_team(days_ahead=5, closures=[(date(2026, 12, 29), date(2026, 12, 29))])
    found = starts(team, local(2026, 12, 24, 18, 0))
    days = sorted({s.astimezone(BERLIN).date() for s in found})
    # Christmas Day (Friday), the weekend, and the closed Tuesday: only Monday is left.
    assert days == [date(2026, 12, 28)]


def test_the_clocks_going_forward_keep_the_local_times():
    team = service_team(hours=[(0, "09:00", "12:00")], weekdays=range(7), days_ahead=2,
                        lead_time=timedelta(0))  # fmt: skip
    found = starts(team, datetime(2026, 3, 27, 20, 0, tzinfo=UTC))
    saturday = [s for s in found if s.astimezone(BERLIN).date() == date(2026, 3, 28)]
    sunday = [s for s in found if s.astimezone(BERLIN).date() == date(2026, 3, 29)]
    assert [s.astimezone(UTC).hour for s in saturday] == [8, 9, 10]  # CET, UTC+1
    assert [s.astimezone(UTC).hour for s in sunday] == [7, 8, 9]  # CEST, UTC+2
    assert [s.astimezone(BERLIN).hour for s in sunday] == [9, 10, 11]


def test_split_shifts_offer_whole_slots_inside_each_shift_only():
    team = service_team(hours=[(0, "09:00", "12:00"), (0, "14:00", "17:00")],
                        slot_minutes=90, days_ahead=0, lead_time=timedelta(0))  # fmt: skip
    found = starts(team, local(2026, 12, 7, 7, 0))
    assert [s.astimezone(BERLIN).strftime("%H:%M") for s in found] == [
        "09:00", "10:30", "14:00", "15:30"]  # fmt: skip


def test_nothing_in_the_past_or_inside_the_minimum_notice():
    team = service_team(days_ahead=0, lead_time=timedelta(0))
    found = starts(team, local(2026, 12, 7, 11, 20))
    assert found[0] == local(2026, 12, 7, 12, 0)
    ServiceSchedule.objects.filter(team=team).update(lead_time=timedelta(hours=3))
    assert starts(team, local(2026, 12, 7, 11, 20))[0] == local(2026, 12, 7, 15, 0)


def test_a_team_in_another_zone_gets_its_own_local_hours():
    team = service_team(time_zone="Europe/Istanbul", country="TR", days_ahead=0,
                        lead_time=timedelta(0))  # fmt: skip
    found = starts(team, datetime(2026, 12, 7, 5, 0, tzinfo=UTC))
    assert found[0] == datetime(2026, 12, 7, 6, 0, tzinfo=UTC)  # 09:00 in Istanbul


def test_full_slots_count_no_free_seat():
    from outreach.models import Appointment

    from .helpers import sent_reminder

    team = service_team(capacity=2, days_ahead=0, lead_time=timedelta(0))
    schedule = ServiceSchedule.objects.get(team=team)
    now = local(2026, 12, 7, 7, 0)
    first = slots_offered(schedule=schedule, now=now)[0]
    for seat in range(2):
        reminder = sent_reminder()
        Appointment.objects.create(
            customer=reminder.customer, team=team, reminder=reminder, seat=seat,
            starts_at=first.starts_at, ends_at=first.ends_at,
        )  # fmt: skip
        slots = slots_offered(schedule=schedule, now=now)
        assert slots[0].free == 1 - seat
    assert slots[1].free == 2


@pytest.mark.parametrize("text", [
    "", "x", "20261207T0800", "20261207T0800Z ", "2026-12-07T08:00Z", "20261332T2599Z",
    "20261207T0800Z\n", "٢٠٢٦١٢٠٧T0800Z", None, 12, "9" * 5000, "20260229T0800Z",
])  # fmt: skip
def test_slot_keys_that_are_not_one_read_as_none(text):
    assert slot_parse(text) is None


def test_a_slot_key_names_its_utc_start():
    moment = local(2026, 12, 7, 9, 0)
    assert slot_key(moment) == "20261207T0800Z"
    assert slot_parse("20261207T0800Z") == moment
