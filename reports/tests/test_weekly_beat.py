"""The weekly report on the real path: beat runs the sweep every second on a real worker;
each lead gets one report, in their language, on their day, however often beat runs."""

from __future__ import annotations

import time
import zoneinfo
from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from messaging.models import OutboxMessage
from reports.models import WeeklyReportDelivery, WeeklyReportPreference
from reports.tests.fixtures import office_team, ticket
from tickets.tests.factories import make_agent

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.worker]


def zone_in_daytime() -> str:
    """A time zone where it is now between 08:00 and 20:00 (the report goes out from 07:00)."""
    for name in ("Europe/Berlin", "Europe/Istanbul", "Asia/Tokyo", "America/New_York",
                 "Pacific/Auckland", "America/Los_Angeles", "Asia/Kolkata"):  # fmt: skip
        if 8 <= timezone.now().astimezone(zoneinfo.ZoneInfo(name)).hour < 20:
            return name
    raise AssertionError("no zone in daytime")


def test_weekly_report_once_per_lead_in_their_language(celery_beat_process):
    zone = zone_in_daytime()
    today = timezone.now().astimezone(zoneinfo.ZoneInfo(zone))
    team = office_team("Berlin")
    # Last week's history, written with the clock moved back.
    with time_machine.travel(timezone.now() - timedelta(days=3), tick=False):
        moment = timezone.now()
        for hours in range(3):
            ticket(team, created=moment + timedelta(hours=hours), responded=None, solved=None)
    leads = {}
    for language in ("en", "de", "tr"):
        profile = make_agent(
            username=f"lead-{language}", role="lead", teams=[team], language=language
        )
        profile.time_zone = zone
        profile.save(update_fields=["time_zone"])
        WeeklyReportPreference.objects.create(user=profile.user, weekday=today.weekday())
        leads[language] = profile.user
    other_day = make_agent(username="lead-later", role="lead", teams=[team]).user
    other_day.agent_profile.time_zone = zone
    other_day.agent_profile.save(update_fields=["time_zone"])
    WeeklyReportPreference.objects.create(user=other_day, weekday=(today.weekday() + 1) % 7)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if OutboxMessage.objects.filter(kind="reports.weekly").count() >= 3:
            break
        time.sleep(0.5)
    time.sleep(4)  # several more beats: nobody gets a second report
    reports = OutboxMessage.objects.filter(kind="reports.weekly")
    assert sorted(reports.values_list("to", flat=True)) == sorted(u.email for u in leads.values())
    for language, user in leads.items():
        row = reports.get(to=user.email)
        assert row.language == language
        assert "/reports/?period=custom" in row.text
    assert WeeklyReportDelivery.objects.filter(user=other_day).count() == 0
    assert celery_beat_process.poll() is None
