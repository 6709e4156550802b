"""Time in the demo shop: when agents work, when sweeps run, and dates and money as each
language writes them."""

from __future__ import annotations

from datetime import datetime, timedelta

from helpdesk.demodata.catalogue import MONTHS

# The team answers Monday to Saturday, 07:00–19:00 UTC (08:00 in Berlin, 10:00 in Istanbul).
DAY_STARTS, DAY_ENDS = 7, 19


def working(moment: datetime) -> datetime:
    """``moment``, or the start of the next working hours when the team is off then."""
    while True:
        if moment.weekday() == 6:  # Sunday
            moment = (moment + timedelta(days=1)).replace(hour=DAY_STARTS, minute=5)
            continue
        if moment.hour < DAY_STARTS:
            return moment.replace(hour=DAY_STARTS, minute=5 + moment.minute % 50)
        if moment.hour >= DAY_ENDS:
            moment = (moment + timedelta(days=1)).replace(hour=DAY_STARTS, minute=moment.minute)
            continue
        return moment


def next_tick(moment: datetime, *, minutes: int) -> datetime:
    """The first run of a sweep every ``minutes`` minutes (on the hour) after ``moment``."""
    base = moment.replace(minute=0, second=0, microsecond=0)
    ticks = (moment - base) // timedelta(minutes=minutes) + 1
    return base + ticks * timedelta(minutes=minutes) + timedelta(seconds=2)


def next_daily(moment: datetime, *, hour: int, minute: int) -> datetime:
    """The first run of a daily sweep at ``hour:minute`` UTC after ``moment``."""
    run = moment.replace(hour=hour, minute=minute, second=3, microsecond=0)
    return run if run > moment else run + timedelta(days=1)


def date_text(language: str, moment: datetime) -> str:
    month = MONTHS[language][moment.month - 1]
    return f"{moment.day}. {month}" if language == "de" else f"{moment.day} {month}"


def money_text(language: str, cents: int) -> str:
    euros, rest = divmod(cents, 100)
    if language == "en":
        return f"€{euros:,}.{rest:02d}"
    return f"{euros:,}".replace(",", ".") + f",{rest:02d} €"
