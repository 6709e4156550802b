"""The benchmark command on a small data set: it generates what it measures, reports
every page the budgets name, and the query counts it reports are the fixed ones."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import call_command

from helpcenter.models import ArticleTranslation
from tickets.models import Message, Ticket

pytestmark = pytest.mark.django_db


def test_bench_generates_once_and_reports_every_page_as_json():
    out = StringIO()
    call_command("bench", tickets=400, runs=3, json=True, help_articles=40, stdout=out,
                 stderr=StringIO())  # fmt: skip
    report = json.loads(out.getvalue())
    tickets = Ticket.objects.count()

    call_command("bench", tickets=400, runs=3, json=True, help_articles=40, stdout=StringIO(),
                 stderr=StringIO())  # fmt: skip
    assert ArticleTranslation.objects.filter(slug__startswith="bench-").count() == 3 * 40

    assert Ticket.objects.count() == tickets  # the second run found the data set
    assert report["tickets"] == tickets >= 400
    assert Message.objects.count() >= 3 * 400
    names = [row["name"] for row in report["results"]]
    assert names == [
        "inbox_default", "inbox_team_status", "inbox_far_page", "ticket_detail_50_messages",
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


def test_bench_measures_only_the_help_center_when_asked():
    out = StringIO()
    call_command("bench", only="helpcenter", runs=2, json=True, help_articles=20, stdout=out,
                 stderr=StringIO())  # fmt: skip
    report = json.loads(out.getvalue())
    assert {row["name"][:5] for row in report["results"]} == {"help_"}
    assert not Ticket.objects.exists()
    search = next(r for r in report["results"] if r["name"] == "help_search_de_common")
    assert search["queries"] <= 6
