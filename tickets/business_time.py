"""Business time: when a team is open, and arithmetic in the minutes it is open.

A ``BusinessClock`` knows a team's time zone, weekly opening hours (several shifts a day
allowed), the public holidays of its country and subdivision from the ``holidays``
package (half days close early), and one-off closures. ``add`` and ``between`` are the
only arithmetic the SLA clocks and promises use, so a due time means the same thing
everywhere.

Opening hours are wall-clock times in the team's zone; durations are real elapsed time
inside them. On the night the clocks go forward a shift of 01:00–05:00 is three hours
long, on the night they go back five: the shift is what the staff work. A shift that
ends at 00:00 runs to midnight.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import holidays

# How far ``add`` looks for opening hours before it gives up (a calendar that is closed
# for good, say): two years of days.
HORIZON_DAYS = 731

WEEKDAYS = range(7)  # Monday is 0, as in ``date.weekday()``


class NeverOpenError(ValueError):
    """The calendar has no opening hours within the horizon."""


@dataclass(frozen=True)
class Shift:
    weekday: int
    opens: time
    closes: time  # 00:00 means midnight at the end of the day

    def __post_init__(self) -> None:
        if self.weekday not in WEEKDAYS:
            raise ValueError(f"weekday {self.weekday} is not 0–6")
        if self.closes != time(0) and self.closes <= self.opens:
            raise ValueError(f"a shift closes after it opens ({self.opens}–{self.closes})")


@dataclass(frozen=True)
class Closure:
    """Closed on every day from ``first`` to ``last``, both included."""

    first: date
    last: date
    reason: str = ""


@functools.lru_cache(maxsize=64)
def _holidays(
    country: str, subdivision: str, year: int, language: str | None
) -> tuple[dict[date, str], dict[date, str]]:
    """Public holidays and half days of one country (and subdivision) in one year."""
    subdiv = subdivision or None
    try:
        public = holidays.country_holidays(country, subdiv=subdiv, years=year, language=language)
    except NotImplementedError:  # a country the package does not know
        return {}, {}
    half: dict[date, str] = {}
    if holidays.HALF_DAY in type(public).supported_categories:
        half = dict(
            holidays.country_holidays(
                country, subdiv=subdiv, years=year, language=language,
                categories=(holidays.HALF_DAY,),
            )
        )  # fmt: skip
    return dict(public), half


@dataclass(frozen=True)
class BusinessClock:
    time_zone: str
    shifts: tuple[Shift, ...]
    country: str = ""
    subdivision: str = ""
    half_day_closes: time = time(13, 0)
    closures: tuple[Closure, ...] = ()
    zone: ZoneInfo = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "zone", ZoneInfo(self.time_zone))

    # --- the calendar -------------------------------------------------------------------

    def holiday(self, day: date, *, language: str | None = None) -> tuple[str, bool] | None:
        """(name, is a half day) when ``day`` is a public holiday or half day, else None."""
        if not self.country:
            return None
        public, half = _holidays(self.country, self.subdivision, day.year, language)
        if day in public:
            return public[day], False
        if day in half:
            return half[day], True
        return None

    def holidays_between(
        self, first: date, last: date, *, language: str | None = None
    ) -> list[tuple[date, str, bool]]:
        """Every holiday from ``first`` to ``last``: (day, name, is a half day)."""
        found = []
        for year in range(first.year, last.year + 1):
            if not self.country:
                break
            public, half = _holidays(self.country, self.subdivision, year, language)
            found += [(d, n, False) for d, n in public.items()]
            found += [(d, n, True) for d, n in half.items() if d not in public]
        return sorted(f for f in found if first <= f[0] <= last)

    def closure(self, day: date) -> Closure | None:
        return next((c for c in self.closures if c.first <= day <= c.last), None)

    def hours(self, day: date) -> list[tuple[time, time]]:
        """The opening hours on a local ``day`` after holidays and closures, as wall-clock
        (opens, closes) pairs; closes is 00:00 for midnight."""
        if self.closure(day) is not None:
            return []
        shifts = sorted(
            (s.opens, s.closes) for s in self.shifts if s.weekday == day.weekday()
        )  # fmt: skip
        if not shifts:
            return shifts
        if (found := self.holiday(day)) is not None:
            _name, half = found
            if not half:
                return []
            cut = self.half_day_closes
            shifts = [(o, c if c != time(0) and c <= cut else cut) for o, c in shifts if o < cut]
        return shifts

    def intervals(self, day: date) -> list[tuple[datetime, datetime]]:
        """The opening hours of a local ``day`` as UTC instants."""
        result = []
        for opens, closes in self.hours(day):
            start = self._instant(day, opens)
            end = (
                self._instant(day + timedelta(days=1), time(0))
                if closes == time(0)
                else (self._instant(day, closes))
            )
            if end > start:
                result.append((start, end))
        return result

    def _instant(self, day: date, at: time) -> datetime:
        # A wall-clock time the zone skips (02:30 when the clocks go forward) is read
        # with the offset before the change, as zoneinfo does: 03:30 summer time.
        return datetime.combine(day, at, tzinfo=self.zone).astimezone(UTC)

    def _local_date(self, at: datetime) -> date:
        return at.astimezone(self.zone).date()

    def _days(self, start: date, step: int) -> Iterator[date]:
        for offset in range(HORIZON_DAYS):
            yield start + timedelta(days=offset * step)

    def _forward(self, start: datetime) -> Iterator[tuple[datetime, datetime]]:
        """Opening intervals from ``start`` on, the first one cut at ``start``."""
        for day in self._days(self._local_date(start), 1):
            for begin, end in self.intervals(day):
                if end > start:
                    yield max(begin, start), end

    def _backward(self, start: datetime) -> Iterator[tuple[datetime, datetime]]:
        """Opening intervals before ``start``, latest first, the first one cut at it."""
        for day in self._days(self._local_date(start), -1):
            for begin, end in reversed(self.intervals(day)):
                if begin < start:
                    yield begin, min(end, start)

    # --- questions ----------------------------------------------------------------------

    def is_open(self, at: datetime) -> bool:
        return any(b <= at < e for b, e in self.intervals(self._local_date(at)))

    def next_open(self, at: datetime) -> datetime:
        """``at`` when open then, else the next opening."""
        for begin, _end in self._forward(at):
            return begin
        raise NeverOpenError(self.time_zone)

    def day_end(self, day: date) -> datetime | None:
        """When the last shift of a local ``day`` closes; None when closed all day."""
        intervals = self.intervals(day)
        return intervals[-1][1] if intervals else None

    def day_start(self, day: date) -> datetime | None:
        intervals = self.intervals(day)
        return intervals[0][0] if intervals else None

    def next_open_day(self, after: date) -> date:
        """The first local day after ``after`` with opening hours."""
        for day in self._days(after + timedelta(days=1), 1):
            if self.intervals(day):
                return day
        raise NeverOpenError(self.time_zone)

    # --- arithmetic ---------------------------------------------------------------------

    def add(self, start: datetime, amount: timedelta) -> datetime:
        """The instant ``amount`` of business time after ``start`` (before it when
        negative). Lands on the end of a shift rather than the start of the next when
        the amount runs out exactly there."""
        if amount < timedelta(0):
            return self._subtract(start, -amount)
        left = amount
        for begin, end in self._forward(start):
            if left <= end - begin:
                return begin + left
            left -= end - begin
        raise NeverOpenError(self.time_zone)

    def _subtract(self, start: datetime, amount: timedelta) -> datetime:
        left = amount
        for begin, end in self._backward(start):
            if left <= end - begin:
                return end - left
            left -= end - begin
        raise NeverOpenError(self.time_zone)

    def add_minutes(self, start: datetime, minutes: float) -> datetime:
        return self.add(start, timedelta(minutes=minutes))

    def between(self, start: datetime, end: datetime) -> timedelta:
        """The business time from ``start`` to ``end`` (negative when ``end`` is earlier)."""
        if end < start:
            return -self.between(end, start)
        total = timedelta(0)
        for begin, stop in self._forward(start):
            if begin >= end:
                break
            total += min(stop, end) - begin
        return total

    def minutes_between(self, start: datetime, end: datetime) -> float:
        return self.between(start, end).total_seconds() / 60

    # --- description --------------------------------------------------------------------

    def week(self) -> list[tuple[int, list[tuple[time, time]]]]:
        """(weekday, shifts) for Monday to Sunday, as the opening hours read."""
        return [
            (day, sorted((s.opens, s.closes) for s in self.shifts if s.weekday == day))
            for day in WEEKDAYS
        ]


def shifts_parse(spec: Iterable[tuple[int, str, str]]) -> tuple[Shift, ...]:
    """Shifts from (weekday, "09:00", "17:00") triples; handy for defaults and tests."""
    return tuple(
        Shift(weekday=d, opens=time.fromisoformat(o), closes=time.fromisoformat(c))
        for d, o, c in spec
    )
