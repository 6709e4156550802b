"""The daily chart read from whole UTC days plus the shifted hours equals the chart read
hour by hour, in zones east and west of UTC and across a change of summer time."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.http import QueryDict
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reports import selectors
from reports.periods import Scope, period_parse
from reports.rollups import rollups_rebuild
from reports.tests.fixtures import ticket
from tickets.tests.factories import TeamFactory, make_agent

pytestmark = pytest.mark.django_db
START = datetime(2026, 10, 20, tzinfo=UTC)  # Europe leaves summer time on 25 October
METRICS = ("created", "solved")


@settings(
    max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    hours=st.lists(st.integers(min_value=0, max_value=24 * 12), min_size=1, max_size=25),
    zone=st.sampled_from(
        ["Europe/Berlin", "America/New_York", "Europe/Istanbul", "Pacific/Auckland", "UTC"]
    ),
)
def test_daily_from_days_and_shifted_hours_equals_hourly(hours, zone):
    from django.db import transaction

    with transaction.atomic():
        team = TeamFactory()
        agent = make_agent(username=f"a{team.pk}", teams=[team]).user
        for n, hour in enumerate(hours):
            at = START + timedelta(hours=hour, minutes=n % 60)
            ticket(
                team,
                created=at,
                responded=None,
                solved=at + timedelta(hours=n % 30),
                assignee=agent,
            )
        rollups_rebuild()
        params = QueryDict(mutable=True)
        params.update({"period": "custom", "from": "2026-10-21", "to": "2026-10-30"})
        period = period_parse(params, time_zone=zone, today=datetime(2026, 11, 30).date())
        by_days = selectors.daily(period=period, scope=Scope((team.pk,)), metrics=METRICS)
        by_hours = selectors.daily(
            period=period, scope=Scope((team.pk,), agent.pk), metrics=METRICS
        )
        assert by_days == by_hours
        totals_days, _ = selectors.counts(period=period, scope=Scope((team.pk,)))
        totals_hours, _ = selectors.counts(period=period, scope=Scope((team.pk,), agent.pk))
        assert {m: totals_days.get(m, 0) for m in METRICS} == {
            m: totals_hours.get(m, 0) for m in METRICS
        }
        transaction.set_rollback(True)
