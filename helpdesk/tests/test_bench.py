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
from tickets.models import Message, Ticket

pytestmark = pytest.mark.django_db


def test_bench_generates_once_and_reports_every_page_as_json():
    call_command("bench", tickets=400, runs=3, json=True, help_articles=40, stdout=StringIO(),
                 stderr=StringIO())  # fmt: skip
    tickets = Ticket.objects.count()
    # A small set has only a handful of open tickets; make sure one of the bench agent's is
    # at risk, so every inbox view shows rows (an empty page skips the tags query).
    now = timezone.now()
    Ticket.objects.filter(
        pk=Ticket.objects.filter(team__slug="bench-returns", status="open").values("pk")[:1]
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
    assert names == [
        "inbox_default", "inbox_team_status", "inbox_far_page", "inbox_sort_due",
        "inbox_at_risk", "inbox_overdue", "inbox_team_due", "ticket_detail_50_messages",
        "full_text_search_de", "full_text_search_en", "customer_page", "customer_search",
        "activity_poll",
        "help_search_de_common", "help_search_de_two_words", "help_search_de_very_common",
        "help_search_en", "help_search_tr", "help_search_misspelt", "help_search_no_match",
        "help_suggest", "help_home", "help_category", "help_section", "help_article",
        "help_contact",
    ]  # fmt: skip
    for row in report["results"]:
        assert 0 < row["p50_ms"] <= row["p95_ms"], row
        assert row["queries"] < 30, row
        assert row["queries"] > 0 or row["name"] == "help_contact", row  # a form, no data
        assert row["budget_ms"] in (50, 60, 150)
    inbox = {row["queries"] for row in report["results"] if row["name"].startswith("inbox_")}
    assert len(inbox) == 1  # every inbox view costs the same number of queries
    # The generated backlog has tickets at risk and overdue for those views to show.
    assert Ticket.objects.filter(sla_due__lte=timezone.now()).exists()
    assert Ticket.objects.filter(
        sla_at_risk_at__lte=timezone.now(), sla_due__gt=timezone.now()
    ).exists()


def test_bench_measures_only_the_help_center_when_asked():
    out = StringIO()
    call_command("bench", only="helpcenter", runs=2, json=True, help_articles=20, stdout=out,
                 stderr=StringIO())  # fmt: skip
    report = json.loads(out.getvalue())
    assert {row["name"][:5] for row in report["results"]} == {"help_"}
    assert not Ticket.objects.exists()
    search = next(r for r in report["results"] if r["name"] == "help_search_de_common")
    assert search["queries"] <= 6
