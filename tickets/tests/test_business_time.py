"""Business-time arithmetic against cases computed by hand (the calendars and dates are in
the comments), and one property: what lies between two open instants, added to the
first, gives back the second."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tickets.business_time import BusinessClock, Closure, NeverOpenError, shifts_parse

BERLIN = ZoneInfo("Europe/Berlin")
ISTANBUL = ZoneInfo("Europe/Istanbul")
WEEKDAYS_9_17 = [(d, "09:00", "17:00") for d in range(5)]


def berlin(*args: int) -> datetime:
    return datetime(*args, tzinfo=BERLIN)


def clock(spec=WEEKDAYS_9_17, *, zone="Europe/Berlin", country="DE", subdivision="", **kw):
    return BusinessClock(time_zone=zone, shifts=shifts_parse(spec), country=country,
                         subdivision=subdivision, **kw)  # fmt: skip


def test_a_german_public_holiday_is_skipped():
    # Thursday 2 April 2026 16:30; Good Friday, the weekend and Easter Monday are closed:
    # 30 minutes on Thursday, the other 30 on Tuesday 7 April from 09:00.
    due = clock().add(berlin(2026, 4, 2, 16, 30), timedelta(minutes=60))
    assert due == berlin(2026, 4, 7, 9, 30)


def test_christmas_closes_two_days():
    # Thursday 24 Dec 16:00 + 2 h: 1 h that day; Friday 25 is Christmas; Monday 28 10:00.
    assert clock().add(berlin(2026, 12, 24, 16), timedelta(hours=2)) == berlin(2026, 12, 28, 10)


def test_epiphany_is_a_holiday_in_bavaria_only():
    # Monday 5 January 2026 16:00 + 2 h; Tuesday 6 January is Epiphany in Bavaria.
    start, two_hours = berlin(2026, 1, 5, 16), timedelta(hours=2)
    assert clock(subdivision="BY").add(start, two_hours) == berlin(2026, 1, 7, 10)
    assert clock(subdivision="NW").add(start, two_hours) == berlin(2026, 1, 6, 10)


def test_a_turkish_half_day_and_holiday():
    # Istanbul, weekdays 09:00–18:00. Wednesday 28 October 2026 is the eve of Republic Day
    # (closed from 13:00), Thursday 29 is Republic Day: from Wednesday 12:00, 1 h that
    # day and 1 h from Friday 09:00.
    tr = clock([(d, "09:00", "18:00") for d in range(5)], zone="Europe/Istanbul", country="TR")
    start = datetime(2026, 10, 28, 12, tzinfo=ISTANBUL)
    assert tr.add(start, timedelta(hours=2)) == datetime(2026, 10, 30, 10, tzinfo=ISTANBUL)
    assert tr.holiday(date(2026, 10, 28)) == ("Republic Day (from 1pm)", True)
    assert tr.hours(date(2026, 10, 28)) == [(time(9), time(13))]
    # Eid al-Fitr 2026 runs 20–22 March (Friday to Sunday), its eve from 13:00 on the 19th.
    assert tr.hours(date(2026, 3, 20)) == []


def test_the_march_night_the_clocks_go_forward_is_an_hour_short():
    # 29 March 2026, Berlin: 02:00 becomes 03:00. A Sunday night shift 00:00–06:00 is
    # five hours of real time; 4 h from Saturday 23:00 (open all weekend) is Sunday 04:00.
    night = clock([(6, "00:00", "06:00")])
    sunday = date(2026, 3, 29)
    assert night.between(berlin(2026, 3, 29, 0), berlin(2026, 3, 29, 6)) == timedelta(hours=5)
    assert night.intervals(sunday)[0][1] - night.intervals(sunday)[0][0] == timedelta(hours=5)
    always = clock([(d, "00:00", "00:00") for d in range(7)], country="")
    assert always.add(berlin(2026, 3, 28, 23), timedelta(hours=4)) == berlin(2026, 3, 29, 4)


def test_the_october_night_the_clocks_go_back_is_an_hour_long():
    # 25 October 2026, Berlin: 03:00 becomes 02:00 again; the same shift lasts seven hours.
    night = clock([(6, "00:00", "06:00")])
    assert night.between(berlin(2026, 10, 25, 0), berlin(2026, 10, 25, 6)) == timedelta(hours=7)
    always = clock([(d, "00:00", "00:00") for d in range(7)], country="")
    # Saturday 23:00 CEST + 4 h of real time is Sunday 02:00 CET (the second 02:00).
    due = always.add(berlin(2026, 10, 24, 23), timedelta(hours=4))
    assert due == datetime(2026, 10, 25, 1, tzinfo=ZoneInfo("UTC"))
    assert due.astimezone(BERLIN).strftime("%H:%M %Z") == "02:00 CET"


def test_split_shifts():
    # Monday 9–12 and 14–18: from 11:00, 2 h is 1 h before the break and 1 h after.
    split = clock([(0, "09:00", "12:00"), (0, "14:00", "18:00")])
    monday = (2026, 12, 7)
    assert split.add(berlin(*monday, 11), timedelta(hours=2)) == berlin(*monday, 15)
    assert split.between(berlin(*monday, 11, 30), berlin(*monday, 14, 30)) == timedelta(hours=1)
    assert not split.is_open(berlin(*monday, 13))
    assert split.next_open(berlin(*monday, 13)) == berlin(*monday, 14)


def test_a_ticket_arriving_on_sunday_starts_on_monday_morning():
    # Sunday 6 December 2026 15:00 + 1 h: Monday 7 December 10:00.
    assert clock().add(berlin(2026, 12, 6, 15), timedelta(hours=1)) == berlin(2026, 12, 7, 10)
    assert clock().between(berlin(2026, 12, 6, 15), berlin(2026, 12, 7, 10)) == timedelta(hours=1)


def test_a_shift_until_midnight():
    # Friday 4 December 2026 open 18:00–00:00: from 23:30, 1 h is 30 min that night and
    # 30 min from the next opening (Monday 09:00 in the weekday hours).
    late = clock([*WEEKDAYS_9_17, (4, "18:00", "00:00")])
    assert late.add(berlin(2026, 12, 4, 23, 30), timedelta(hours=1)) == berlin(2026, 12, 7, 9, 30)
    assert late.day_end(date(2026, 12, 4)) == berlin(2026, 12, 5, 0)


def test_running_out_exactly_at_closing_time_lands_on_the_close():
    assert clock().add(berlin(2026, 12, 7, 16), timedelta(hours=1)) == berlin(2026, 12, 7, 17)


def test_a_closure_is_skipped():
    # Closed for stocktaking on Tuesday 8 December: Monday 16:00 + 2 h is Wednesday 10:00.
    shut = clock(closures=(Closure(date(2026, 12, 8), date(2026, 12, 8), "stocktaking"),))
    assert shut.add(berlin(2026, 12, 7, 16), timedelta(hours=2)) == berlin(2026, 12, 9, 10)
    assert shut.hours(date(2026, 12, 8)) == []


def test_subtracting_walks_back():
    # Monday 7 December 10:00 − 2 h: an hour on Monday, an hour on Friday before 17:00.
    assert clock().add(berlin(2026, 12, 7, 10), -timedelta(hours=2)) == berlin(2026, 12, 4, 16)
    assert clock().between(berlin(2026, 12, 7, 10), berlin(2026, 12, 4, 16)) == -timedelta(hours=2)


def test_a_calendar_that_never_opens_says_so():
    with pytest.raises(NeverOpenError):
        clock([]).add(berlin(2026, 12, 7, 10), timedelta(minutes=1))


def test_opening_hours_must_make_sense():
    with pytest.raises(ValueError, match="closes after"):
        shifts_parse([(0, "17:00", "09:00")])
    with pytest.raises(ValueError, match="weekday"):
        shifts_parse([(7, "09:00", "17:00")])


def test_holidays_are_listed_in_the_reader_language():
    found = clock(subdivision="BY").holidays_between(
        date(2026, 12, 20), date(2026, 12, 31), language="de"
    )
    assert [(d.day, name) for d, name, _half in found] == [
        (25, "Erster Weihnachtstag"), (26, "Zweiter Weihnachtstag"),
    ]  # fmt: skip


# --- the property -------------------------------------------------------------------------

BAVARIA = clock([(d, "08:00", "12:30") for d in range(6)] + [(d, "13:30", "18:00") for d in
                range(5)] + [(6, "00:00", "03:30")], subdivision="BY")  # fmt: skip
OPEN_DAYS = [
    day for n in range(365) if BAVARIA.intervals(day := date(2026, 1, 1) + timedelta(days=n))
]


@st.composite
def open_instants(draw):
    """An instant strictly inside the opening hours of some day of 2026 (DST nights
    included). An opening instant itself is the same business time as the close before
    it, where ``add`` lands (see ``test_running_out_exactly_at_closing_time``)."""
    intervals = BAVARIA.intervals(draw(st.sampled_from(OPEN_DAYS)))
    begin, end = intervals[draw(st.integers(0, len(intervals) - 1))]
    seconds = draw(st.integers(1, int((end - begin).total_seconds()) - 1))
    return begin + timedelta(seconds=seconds)


@settings(max_examples=300, deadline=None)
@given(open_instants(), open_instants())
def test_adding_the_time_between_two_open_instants_gives_the_second(first, second):
    first, second = min(first, second), max(first, second)
    between = BAVARIA.between(first, second)
    assert between >= timedelta(0)
    assert BAVARIA.add(first, between) == second
    assert BAVARIA.add(second, -between) == first
