"""Every KPI of a hand-built week with answers worked out by hand (reports.tests.fixtures)."""

from __future__ import annotations

import pytest

from messaging.models import Channel
from reports.dashboard import dashboard_build
from reports.periods import Scope
from reports.rollups import rollups_rebuild, rollups_reconcile
from reports.tests.fixtures import at, known_week, office_team, week_period
from surveys.selectors import detractors_recovered, survey_stats

pytestmark = pytest.mark.django_db


def kpis(sections):
    return {k.key: k for s in sections for k in s.kpis}


def table(sections, key):
    return next(t for s in sections for t in s.tables if t.key == key)


@pytest.fixture
def week():
    week = known_week(office_team("Berlin"))
    rollups_rebuild()
    return week


def test_volume_quality_and_backlog(week):
    sections = dashboard_build(period=week_period(), scope=Scope(None), now=at(20, 12))
    figures = kpis(sections)
    assert figures["created"].value == 4
    assert figures["solved"].value == 3
    assert figures["created"].previous == 0
    assert figures["one_touch"].value == 33.3  # ticket 2 only: one reply, solved
    assert figures["open"].value == 1
    by_day = {row[0]: row[1:] for row in table(sections, "volume_by_day").rows}
    assert by_day["2026-11-13"] == [1, 0, 0]  # 16:00 Berlin is still the 13th
    assert by_day["2026-11-16"] == [0, 1, 0]
    assert by_day["2026-11-19"] == [1, 1, 0]
    channels = {
        row[0]: [c[0] if isinstance(c, tuple) else c for c in row[1:]]
        for row in table(sections, "volume_by_channel").rows
    }
    assert channels[Channel.EMAIL.label] == [3, 2, 0]
    assert channels[Channel.CHAT.label] == [1, 1, 0]


def test_medians_and_p90s_in_business_hours_across_the_weekend(week):
    rows = {
        row[0]: row[1:5]
        for row in table(
            dashboard_build(period=week_period(), scope=Scope(None)), "response_times"
        ).rows
    }
    assert rows["First response (calendar time)"] == [3.5, 47.4, None, None]
    # Friday 16:00 to Monday 10:00 is two business hours, not 66.
    assert rows["First response (business hours)"] == [2.5, 3.7, None, None]
    assert rows["Resolution (calendar time)"] == [24.0, 59.2, None, None]
    assert rows["Resolution (business hours)"] == [4.0, 7.2, None, None]


def test_surveys_recovered_and_sla(week):
    period = week_period()
    figures = kpis(dashboard_build(period=period, scope=Scope(None)))
    assert figures["csat"].value == 66.7
    assert figures["response_rate"].value == 87.5  # 3 of 4 CSAT and 4 of 4 NPS answered
    assert figures["nps"].value == 25.0
    assert (figures["promoters"].value, figures["passives"].value, figures["detractors"].value) == (
        2,
        1,
        1,
    )
    assert figures["recovered"].value == 50.0
    assert figures["sla_first_response"].value == 50.0
    assert figures["sla_resolution"].value is None  # nothing to measure is not 0 %
    # The same answers as the surveys app's own selectors over the raw rows.
    stats = survey_stats(since=period.since, until=period.until)
    assert stats["csat_percent"] == figures["csat"].value
    assert stats["nps"] == figures["nps"].value
    assert stats["response_rate"] == figures["response_rate"].value
    assert detractors_recovered(since=period.since, until=period.until)["recovered_percent"] == 50.0


def test_promises_kept_as_the_promises_app_counts_them(week):
    from tickets.promises.selectors import promises_kept_rate

    period = week_period()
    figures = kpis(dashboard_build(period=period, scope=Scope(None)))
    assert figures["promises_kept"].value == 50.0
    (rate,) = promises_kept_rate(start=period.since, end=period.until, by="team")
    assert 100 * rate.rate == figures["promises_kept"].value


def test_shop_wide_figures_only_where_they_can_be_scoped(week):
    figures = kpis(dashboard_build(period=week_period(), scope=Scope(None)))
    assert figures["tone_applied"].available  # no replies checked this week: nothing, not 0
    assert figures["tone_applied"].value is None
    assert figures["deflection"].available
    one_team = kpis(dashboard_build(period=week_period(), scope=Scope((week.team.pk,))))
    assert not one_team["tone_applied"].available
    assert not one_team["deflection"].available


def test_capabilities_not_landed_say_so(week):
    figures = kpis(dashboard_build(period=week_period(), scope=Scope(None)))
    for key in ("self_service",):
        assert figures[key].available is False
        assert figures[key].value is None


def test_reconcile_finds_and_repairs_a_tampered_rollup(week):
    from reports.models import Rollup, TicketFact

    assert rollups_reconcile().equal
    Rollup.objects.filter(metric="created").update(value=99)
    TicketFact.objects.filter(ticket_id=week.tickets[0].pk).update(
        first_response_business_seconds=1
    )
    result = rollups_reconcile()
    assert not result.equal
    assert result.facts_differing == [week.tickets[0].pk]
    assert rollups_reconcile(repair=True).counts_missing
    assert rollups_reconcile().equal


def test_reconcile_command_proves_or_fails(week):
    from io import StringIO

    from django.core.management import call_command

    from reports.models import Rollup

    out = StringIO()
    call_command("reports_reconcile", "--since", "2026-11-01", "--until", "2026-12-01", stdout=out)
    assert "the rollups equal the raw rows" in out.getvalue()
    Rollup.objects.filter(metric="solved").delete()
    with pytest.raises(SystemExit):
        call_command("reports_reconcile", "--since", "2026-11-01", stdout=StringIO())
    call_command("reports_reconcile", "--since", "2026-11-01", "--repair", stdout=StringIO())
    call_command("reports_reconcile", "--since", "2026-11-01", stdout=StringIO())
    with pytest.raises(Exception, match="not a date"):
        call_command("reports_reconcile", "--since", "last tuesday", stdout=StringIO())
