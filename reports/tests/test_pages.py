"""The dashboard pages: a fixed number of queries whatever the data or the period, the
lists behind the numbers, per-team pages and the weekly report settings."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from reports.models import WeeklyReportPreference
from reports.rollups import rollups_rebuild
from reports.tests.fixtures import at, known_week, office_team, ticket
from tickets.tests.factories import make_agent

pytestmark = pytest.mark.django_db
WEEK = {"period": "custom", "from": "2026-11-13", "to": "2026-11-19"}


def queries(client, url, params) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url, params).status_code == 200
    return len(captured)


def test_dashboard_queries_are_fixed_whatever_the_data_and_period(client):
    team = office_team("Berlin")
    lead = make_agent(username="lead", role="lead", teams=[team]).user
    client.force_login(lead)
    url = reverse("reports:dashboard")
    empty = queries(client, url, WEEK)
    known_week(team, agent=lead)
    for hour in range(9, 17):
        ticket(
            team, created=at(18, hour), responded=at(18, hour), solved=at(19, hour), channel="sms"
        )
    rollups_rebuild()
    assert queries(client, url, WEEK) == empty
    assert queries(client, url, {"period": "90"}) == empty
    assert queries(client, url, {**WEEK, "team": team.pk, "channel": "sms"}) == empty
    # Filtering by an agent checks once that the agent is in the lead's teams.
    assert queries(client, url, {**WEEK, "agent": lead.pk}) == empty + 1
    assert queries(client, url, {"period": "90", "agent": lead.pk}) == empty + 1


def test_lists_behind_the_numbers_stay_in_scope(client):
    berlin, istanbul = office_team("Berlin"), office_team("Istanbul")
    known_week(berlin)
    known_week(istanbul)
    rollups_rebuild()
    lead = make_agent(username="lead", role="lead", teams=[berlin]).user
    client.force_login(lead)
    surveys = client.get(
        reverse("reports:list", args=["surveys"]), {**WEEK, "kind": "nps", "band": "promoter"}
    )
    assert surveys.status_code == 200
    assert {row.team_id for row in surveys.context["page"]} == {berlin.pk}
    assert len(surveys.context["page"]) == 2
    recoveries = client.get(reverse("reports:list", args=["recoveries"]), WEEK)
    assert len(recoveries.context["page"]) == 2  # Berlin's two, not Istanbul's
    assert client.get(reverse("reports:list", args=["loyalty"]), WEEK).status_code == 200
    assert client.get(reverse("reports:list", args=["passwords"]), WEEK).status_code == 404
    assert (
        client.get(reverse("reports:list", args=["surveys"]), {"team": istanbul.pk}).status_code
        == 404
    )
    for hostile in ({"page": "-1"}, {"page": "9" * 30}, {"kind": "<b>", "band": "' OR 1=1"}):
        assert client.get(reverse("reports:list", args=["surveys"]), hostile).status_code == 200
    # An agent opens the lists behind their own page: their own rows only.
    anna = make_agent(username="anna", teams=[berlin]).user
    client.force_login(anna)
    assert len(client.get(reverse("reports:list", args=["surveys"]), WEEK).context["page"]) == 0
    assert (
        client.get(reverse("reports:list", args=["surveys"]), {"agent": lead.pk}).status_code == 404
    )


def test_team_page_and_the_dashboard_show_the_same_numbers(client):
    team = office_team("Berlin")
    known_week(team)
    rollups_rebuild()
    client.force_login(make_agent(username="lead", role="lead", teams=[team]).user)
    team_page = client.get(reverse("reports:team", args=[team.pk]), WEEK)
    dashboard = client.get(reverse("reports:dashboard"), {**WEEK, "team": team.pk})

    def figures(response):
        return {k.key: k.value for s in response.context["sections"] for k in s.kpis}

    assert figures(team_page) == figures(dashboard)
    assert figures(team_page)["created"] == 4


def test_weekly_report_preferences(client):
    lead = make_agent(username="lead", role="lead").user
    client.force_login(lead)
    url = reverse("reports:preferences")
    assert client.get(url).status_code == 200
    assert client.post(url, {"weekday": "4", "enabled": "on"}).status_code == 302
    assert (lead.weekly_report.weekday, lead.weekly_report.enabled) == (4, True)
    for hostile in ({"weekday": "9"}, {"weekday": "x" * 1000}, {"weekday": "-1"}, {}):
        assert client.post(url, hostile).status_code == 200  # the form again, with its error
    assert WeeklyReportPreference.objects.get(user=lead).weekday == 4
    client.force_login(make_agent(username="agent").user)
    assert client.get(url).status_code == 403
