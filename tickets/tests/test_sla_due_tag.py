"""The inbox's due cell: kept per tone, moment and language, it must still change as the
clock moves a ticket from due to at risk to overdue, and follow the reader's language."""

from __future__ import annotations

from datetime import datetime, timedelta
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import time_machine
from django.contrib.humanize.templatetags.humanize import naturaltime
from django.utils import timezone, translation

from tickets.templatetags.sla import sla_due

START = datetime(2026, 10, 24, 23, 0, tzinfo=ZoneInfo("UTC"))  # the night before the DST end


def test_the_kept_due_cell_follows_the_clock_through_at_risk_to_overdue():
    row = SimpleNamespace(sla_due=START + timedelta(hours=3),
                          sla_at_risk_at=START + timedelta(hours=2))  # fmt: skip
    seen = []
    with time_machine.travel(START, tick=False) as clock:
        for _step in range(16):  # 16 × 15 minutes: due, at risk, then overdue
            for language, words in (("en", ("Due", "At risk", "Overdue")),
                                    ("de", ("Fällig", "Gefährdet", "Überfällig"))):  # fmt: skip
                with translation.override(language):
                    shown = sla_due(row)
                    now = timezone.now()
                    tone = 0 if now < row.sla_at_risk_at else 1 if now < row.sla_due else 2
                    assert f'aria-label="{words[tone]}"' in shown, (clock, language, shown)
                    assert f">{naturaltime(row.sla_due)}</time>" in shown
                    seen.append((language, tone))
            clock.shift(timedelta(minutes=15))
    assert {tone for _language, tone in seen} == {0, 1, 2}


def test_no_due_time_shows_nothing():
    assert sla_due(SimpleNamespace(sla_due=None, sla_at_risk_at=None)) == ""
