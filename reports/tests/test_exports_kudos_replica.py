"""CSV exports safe from formulas, kudos and goals through their forms, and report reads
through the replica router."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from urllib.parse import quote

import pytest
from django.db import connection
from django.urls import reverse

from reports.csv import csv_cell
from reports.models import Kudos, TeamGoal
from reports.rollups import rollups_rebuild
from reports.tests.fixtures import at, known_week, office_team, ticket
from tickets.tests.factories import make_agent


@pytest.mark.parametrize(("value", "cell"), [
    ("=HYPERLINK(\"http://evil\")", "'=HYPERLINK(\"http://evil\")"), ("+1+2", "'+1+2"),
    ("@SUM(A1)", "'@SUM(A1)"), ("-cmd|' /C calc'!A0", "'-cmd|' /C calc'!A0"), ("\tx", "'\tx"),
    ("-3.5", "-3.5"), (12, "12"), (None, ""), ("Müşteri", "Müşteri"),
])  # fmt: skip
def test_csv_cells_never_start_a_formula(value, cell):
    assert csv_cell(value) == cell


@pytest.mark.django_db
def test_every_table_exports_as_csv(client):
    team = office_team("Berlin")
    known_week(team)
    ticket(team, created=at(17, 9), responded=None, solved=None, channel="=cmd")
    rollups_rebuild()
    client.force_login(make_agent(username="lead", role="lead", teams=[team]).user)
    params = {"period": "custom", "from": "2026-11-13", "to": "2026-11-19"}
    for key in (
        "kpis",
        "volume_by_day",
        "volume_by_channel",
        "backlog",
        "response_times",
        "sla",
        "nps_trend",
    ):
        response = client.get(reverse("reports:dashboard"), {**params, "export": key})
        assert response.status_code == 200, key
        assert response["Content-Type"].startswith("text/csv")
        rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
        assert len(rows) >= 2, key
        assert not any(cell.startswith(("=", "+", "@")) for row in rows for cell in row)
    by_channel = client.get(reverse("reports:dashboard"), {**params, "export": "volume_by_channel"})
    assert "'=cmd" in by_channel.content.decode()
    assert (
        client.get(reverse("reports:dashboard"), {**params, "export": "nothing"}).status_code == 404
    )


@pytest.mark.django_db
def test_kudos_show_on_the_board_and_the_colleagues_page(client):
    team = office_team("Berlin")
    anna = make_agent(username="anna", teams=[team]).user
    ben = make_agent(username="ben", teams=[team]).user
    row = ticket(team, created=at(17, 9), responded=None, solved=None)
    client.force_login(anna)
    data = {"receiver": ben.pk, "ticket": row.pk, "message": "Saved the day with the refund"}
    assert client.post(reverse("reports:kudos"), data).status_code == 302
    assert client.post(reverse("reports:kudos"), data).status_code == 302  # twice is once
    assert Kudos.objects.count() == 1
    for hostile in (
        {**data, "receiver": anna.pk},  # to oneself
        {**data, "ticket": "999999999"},  # a ticket out of sight
        {**data, "message": "x" * 5000},  # oversized
        {**data, "ticket": "1; DROP TABLE"},  # malformed
        {"receiver": "", "ticket": "", "message": ""},
    ):
        client.post(reverse("reports:kudos"), hostile)
    assert Kudos.objects.count() == 1
    board = client.get(reverse("reports:scoreboard"))
    assert "Saved the day with the refund" in board.content.decode()
    client.force_login(ben)
    assert "Saved the day" in client.get(reverse("reports:agent", args=[ben.pk])).content.decode()


@pytest.mark.django_db
def test_team_goals_with_progress_only_for_ones_own_teams(client):
    team, other = office_team("Berlin"), office_team("Istanbul")
    lead = make_agent(username="lead", role="lead", teams=[team]).user
    client.force_login(lead)
    goal = {
        "team": team.pk,
        "metric": "solved",
        "target": 10,
        "starts_on": "2026-11-13",
        "ends_on": "2026-11-30",
    }
    client.post(reverse("reports:goal"), goal)
    client.post(reverse("reports:goal"), {**goal, "team": other.pk})
    client.post(reverse("reports:goal"), {**goal, "target": -3})
    client.post(reverse("reports:goal"), {**goal, "ends_on": "2026-11-01"})
    assert list(TeamGoal.objects.values_list("team", "target")) == [(team.pk, 10)]
    known_week(team)
    rollups_rebuild()
    page = client.get(reverse("reports:scoreboard"), {"period": "90"})
    progress = page.context["goals"]
    assert [(p.value, p.percent) for p in progress] == [(3, 30)]


@pytest.mark.django_db(transaction=True)
def test_report_reads_go_to_the_replica_when_one_is_configured():
    team = office_team("Berlin")
    known_week(team)
    rollups_rebuild()
    db = connection.settings_dict
    # A socket directory (the embedded server) is passed as the host option.
    host = db["HOST"] or db.get("OPTIONS", {}).get("host", "")
    if host.startswith("/"):
        url = f"postgres://{db['USER']}@:{db['PORT']}/{db['NAME']}?host={quote(host)}"
    else:
        url = f"postgres://{db['USER']}@{host}:{db['PORT']}/{db['NAME']}"
    env = {**os.environ, "DATABASE_URL": url, "DATABASE_REPLICA_URL": url,
           "DJANGO_SETTINGS_MODULE": "helpdesk.settings.test"}  # fmt: skip
    out = subprocess.run([sys.executable, "-m", "reports.tests.replica_probe"], env=env,
                         capture_output=True, text=True, timeout=120, check=False)  # fmt: skip
    assert out.returncode == 0, out.stderr[-3000:]
    answer = json.loads(out.stdout.strip().splitlines()[-1])
    assert answer["alias"] == "replica"
    # BEGIN, SET, five rollup and fact reads (the percentiles read one per moment), the
    # tone, deflection and outreach selectors (1 + 3 + 1), COMMIT, and a count through the
    # router.
    assert answer["replica_queries"] == 14
    assert answer["default_queries"] == 0
    assert answer["facts"] == 4
    assert answer["created"] == 4


@pytest.mark.django_db
def test_kudos_from_the_ticket_page(client):
    team = office_team("Berlin")
    anna = make_agent(username="anna", teams=[team]).user
    ben = make_agent(username="ben", teams=[team]).user
    row = ticket(team, created=at(17, 9), responded=None, solved=None)
    client.force_login(anna)
    page = client.get(reverse("tickets:detail", args=[row.pk])).content.decode()
    assert "kudos-panel-form" in page
    back = reverse("tickets:detail", args=[row.pk])
    data = {"receiver": ben.pk, "ticket": row.pk, "message": "Great call", "next": back}
    assert client.post(reverse("reports:kudos"), data)["Location"] == back
    hostile = {**data, "message": "Again", "next": "https://evil.example/tickets/"}
    assert client.post(reverse("reports:kudos"), hostile)["Location"] == reverse(
        "reports:scoreboard"
    )
    assert "Great call" in client.get(back).content.decode()
