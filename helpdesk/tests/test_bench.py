"""The benchmark command on a small data set: it generates what it measures, reports
every page the budgets name, and the query counts it reports are the fixed ones."""

from __future__ import annotations

import json
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from helpcenter.models import ArticleTranslation
from tickets.inbox import SORTS, VIEWS
from tickets.models import Message, Ticket

pytestmark = pytest.mark.django_db
HELP_PAGES = [
    "help_search_de_common", "help_search_de_two_words", "help_search_de_very_common",
    "help_search_en", "help_search_tr", "help_search_misspelt", "help_search_no_match",
    "help_suggest", "help_home", "help_category", "help_section", "help_article", "help_contact",
]  # fmt: skip


def test_bench_generates_once_and_reports_every_page_as_json():
    call_command("bench", tickets=400, runs=3, json=True, help_articles=40, stdout=StringIO(),
                 stderr=StringIO())  # fmt: skip
    tickets = Ticket.objects.count()
    # A small set has only a handful of open tickets; make sure one of the bench agent's is
    # at risk, so every inbox view shows rows (an empty page skips the tags query).
    now = timezone.now()
    Ticket.objects.filter(
        pk=Ticket.objects.filter(team__slug="bench-returns", status__in=["new", "open"]).values(
            "pk"
        )[:1]
    ).update(sla_due=now + timedelta(hours=1), sla_at_risk_at=now - timedelta(hours=1))

    out = StringIO()
    call_command("bench", tickets=400, runs=3, json=True, help_articles=40, stdout=out,
                 stderr=StringIO())  # fmt: skip
    report = json.loads(out.getvalue())
    assert ArticleTranslation.objects.filter(slug__startswith="bench-").count() == 3 * 40

    assert Ticket.objects.count() == tickets  # the second run found the data set
    assert report["tickets"] == tickets >= 400
    assert Message.objects.count() >= 3 * 400
    names = [row["name"] for row in report["results"]]
    assert {f"inbox_view_{v}" for v in VIEWS} | {f"inbox_sort_{k}" for k in SORTS} <= set(names)
    assert {"ticket_detail_3_messages", "ticket_detail_50_messages", "search_common",
            "search_rare", "search_no_match", "customer_page"} <= set(names)  # fmt: skip
    assert [n for n in names if n.startswith("help_")] == HELP_PAGES
    for row in report["results"]:
        assert 0 < row["p50_ms"] <= row["p95_ms"], row
        assert row["queries"] < 40, row  # fixed per page; the ticket page has the most
        assert row["queries"] > 0 or row["name"] == "help_contact", row  # a form, no data
        assert row["budget_ms"] in (30, 40, 50, 100, 300)
    # Every inbox page that shows rows costs the same number of queries (an empty one
    # skips the tags query).
    inbox = {row["queries"] for row in report["results"] if row["rows"]}
    assert len(inbox) == 1, report["results"]
    # The manager dashboard: 30 and 90 days cost the same queries, for all teams and one
    dashboards = {row["name"]: row["queries"] for row in report["results"]
                  if row["name"].startswith("dashboard_")}  # fmt: skip
    assert set(dashboards) == {f"dashboard_{days}d_{who}" for days in (30, 90)
                               for who in ("all_teams", "one_team")}  # fmt: skip
    # (the whole shop adds the tone and deflection figures its apps count shop-wide)
    for who in ("all_teams", "one_team"):
        assert dashboards[f"dashboard_30d_{who}"] == dashboards[f"dashboard_90d_{who}"], dashboards


def test_bench_measures_only_the_help_center_when_asked():
    out = StringIO()
    call_command("bench", only="helpcenter", runs=2, json=True, help_articles=20, stdout=out,
                 stderr=StringIO())  # fmt: skip
    report = json.loads(out.getvalue())
    assert [row["name"] for row in report["results"]] == HELP_PAGES
    assert not Ticket.objects.exists()
    search = next(r for r in report["results"] if r["name"] == "help_search_de_common")
    assert search["queries"] <= 6


@pytest.mark.django_db(transaction=True)
def test_bench_load_drives_the_production_server_with_both_pages():
    """``--load``: gunicorn as ``make run`` starts it, on the committed data set, with
    the bench agent's session; every answer a 200 (a redirect to the login page or an
    error would count as failed)."""
    out = StringIO()
    # Three seconds a page: on a machine busy with the rest of the suite, a worker's
    # first answer (imports, templates) can take longer than one.
    call_command("bench", tickets=400, runs=1, json=True, only="workspace", load=True,
                 load_seconds=3, connections=2, stdout=out, stderr=StringIO())  # fmt: skip
    loaded = json.loads(out.getvalue())["load"]
    assert [row["name"] for row in loaded] == ["inbox", "ticket_detail_50_messages"]
    for row in loaded:
        assert row["requests"] > 0, row
        assert row["errors"] == 0, row
        assert row["budget_rps"] in (100, 120)
        assert row["ok"] == (row["requests_per_second"] >= row["budget_rps"])
