"""``manage.py bench --tickets N [--json]``: generate the data set once, then measure
server time (p50/p95) and SQL queries of the agent workspace's busiest pages.

Pages are measured the way production serves them: DEBUG off (no query log kept), the
hashed static files of ``collectstatic``, and the SQL queries counted in a separate
request so that counting them costs the timed requests nothing.

With ``--load`` it then drives the production server (helpdesk/loadtest.py: gunicorn as
``make run`` starts it, wrk when installed, else the bundled locust) with the inbox and
the 50-message ticket page, and reports requests per second beside their budgets."""

from __future__ import annotations

import json
import statistics
import time
from datetime import timedelta

from django.conf import settings
from django.contrib.staticfiles.storage import ManifestFilesMixin, staticfiles_storage
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import connection
from django.http import QueryDict
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode

from helpdesk import benchdata

# Server time p95 in process at a million tickets (ARCHITECTURE.md, Performance budgets).
INBOX_BUDGET, TICKET_BUDGET, SEARCH_BUDGET, CUSTOMER_BUDGET = 30, 40, 100, 30
# Requests per second through the production server on 2 cores, generator included.
INBOX_LOAD_BUDGET, TICKET_LOAD_BUDGET = 120, 100
DASHBOARD_BUDGET = 300  # manager dashboard, 30 days, all KPIs
HELP_BUDGET = 50  # help-center pages, 10,000 articles per language


class Command(BaseCommand):
    help = "Generate a benchmark data set (unless present) and measure the agent workspace."

    def add_arguments(self, parser):
        parser.add_argument("--tickets", type=int, default=1_000_000)
        parser.add_argument("--runs", type=int, default=30)
        parser.add_argument("--json", action="store_true", help="print one JSON object")
        parser.add_argument(
            "--help-articles", type=int, default=10_000, help="help-center articles per language"
        )
        parser.add_argument(
            "--only",
            choices=["all", "workspace", "helpcenter"],
            default="all",
            help="measure only the agent workspace or only the help center",
        )
        parser.add_argument(
            "--load",
            action="store_true",
            help="also load the production server with the inbox and the ticket page",
        )
        parser.add_argument("--load-seconds", type=int, default=20, help="per page")
        parser.add_argument("--connections", type=int, default=8, help="concurrent clients")

    def handle(
        self, *args, tickets: int, runs: int, json: bool, help_articles: int, only: str,
        load: bool, load_seconds: int, connections: int, **options,
    ):  # fmt: skip
        from core.models import Team
        from helpcenter.models import ArticleTranslation
        from tickets.models import Ticket

        log = (lambda msg: self.stderr.write(msg)) if json else (lambda msg: self.stdout.write(msg))
        if only != "helpcenter":
            bench_teams = Team.objects.filter(slug__startswith="bench-")
            present = (
                Ticket.objects.filter(team__in=bench_teams).count() if bench_teams.exists() else 0
            )
            if present < tickets * 0.99:
                log(f"generating {tickets - present} tickets ({present} present)")
                benchdata.generate(tickets=tickets - present, log=log)
            else:
                log(f"data set present: {present} bench tickets")
            from reports.models import TicketFact

            if TicketFact.objects.count() < present * 0.99 or present < tickets * 0.99:
                # The dashboards read rollups: built by the reconcile command's own code path.
                log("building the dashboards' rollups (reports_reconcile --repair)")
                call_command(
                    "reports_reconcile", "--repair", stdout=self.stderr if json else self.stdout
                )
                _settle(log)
        if only != "workspace":
            bench = ArticleTranslation.objects.filter(language="de", slug__startswith="bench-")
            present = bench.count()
            if present < help_articles * 0.99:
                benchdata.generate_helpcenter(per_language=help_articles - present, log=log)
            else:
                log(f"data set present: {present} bench help-center articles per language")
        storage = staticfiles_storage
        if isinstance(storage, ManifestFilesMixin) and not storage.exists(storage.manifest_name):
            log("collecting static files (the pages link their hashed names)")
            call_command("collectstatic", interactive=False, verbosity=0)
        with override_settings(DEBUG=False):
            results = self.measure(runs=runs, log=log) if only != "helpcenter" else []
            if only != "workspace":
                results += self.measure_helpcenter(runs=runs, log=log)
        loaded = (
            self.measure_load(seconds=load_seconds, connections=connections, log=log)
            if load and only != "helpcenter" else []
        )  # fmt: skip
        total = Ticket.objects.count()
        if json:
            self.stdout.write(_json_dumps({"tickets": total, "results": results, "load": loaded}))
            return
        for row in results:
            verdict = "within budget" if row["p95_ms"] <= row["budget_ms"] else "OVER BUDGET"
            self.stdout.write(
                f"{row['name']:<28} p50 {row['p50_ms']:7.1f} ms   "
                f"p95 {row['p95_ms']:7.1f} ms   {row['queries']:3d} queries   "
                f"budget {row['budget_ms']} ms: {verdict}"
            )
        for row in loaded:
            verdict = "within budget" if row["ok"] else "UNDER BUDGET"
            self.stdout.write(
                f"load {row['name']:<23} {row['requests_per_second']:7.1f} req/s   "
                f"p50 {row['p50_ms']:6.1f} ms   p95 {row['p95_ms']:6.1f} ms   "
                f"{row['errors']} errors ({row['tool']}, {row['connections']} connections)   "
                f"budget {row['budget_rps']} req/s: {verdict}"
            )

    def measure(self, *, runs: int, log) -> list[dict]:
        from django.contrib.auth import get_user_model

        from core.models import Team
        from tickets.inbox import SORTS, VIEWS, InboxQuery, inbox_filter, inbox_page
        from tickets.models import Message, Ticket

        user = get_user_model().objects.get(username="bench-agent-0")
        team = Team.objects.get(slug="bench-returns")
        detail = _bench_detail_ticket()
        assert Message.objects.filter(ticket_id=detail).count() >= 50
        customer_id = Ticket.objects.get(pk=detail).customer_id
        # A cursor 2,000 pages (100,000 rows) into the user's full list.
        everything = inbox_filter(user=user, query=InboxQuery(view="none"))
        depth = min(100_000, max(everything.count() - 100, 0))
        far = everything.order_by("-last_activity_at", "-id").values_list("last_activity_at", "id")[
            depth
        ]
        cursor = f"{far[0].isoformat()}~{far[1]}"
        since = (timezone.now() - timedelta(minutes=5)).isoformat()
        client = Client(
            HTTP_HOST=(settings.ALLOWED_HOSTS or ["localhost"])[0]
            .lstrip(".")
            .replace("*", "localhost")
        )
        client.force_login(user)
        inbox = reverse("tickets:list")
        short = (
            Ticket.objects.filter(team=team).exclude(pk=detail)
            .order_by("-id").values_list("pk", flat=True).first()
        )  # fmt: skip
        assert short is not None
        assert Message.objects.filter(ticket_id=short).count() <= 3
        detail_url, short_url = (reverse("tickets:detail", args=[pk]) for pk in (detail, short))
        # (name, url, parameters, p95 budget in ms from ARCHITECTURE.md)
        cases = [
            *((f"inbox_view_{view}", inbox, {"view": view}, INBOX_BUDGET) for view in VIEWS),
            *((f"inbox_sort_{sort}", inbox, {"view": "none", "sort": sort}, INBOX_BUDGET)
              for sort in SORTS),
            ("inbox_team_status", inbox, {"view": "none", "team": team.pk, "status": "open"},
             INBOX_BUDGET),
            ("inbox_team_due", inbox, {"view": "none", "team": team.pk, "sort": "due"},
             INBOX_BUDGET),
            ("inbox_team_priority", inbox, {"view": "my_teams", "sort": "priority"}, INBOX_BUDGET),
            ("inbox_far_page", inbox, {"view": "none", "after": cursor}, INBOX_BUDGET),
            ("ticket_detail_3_messages", short_url, {}, TICKET_BUDGET),
            ("ticket_detail_50_messages", detail_url, {}, TICKET_BUDGET),
            ("search_common", inbox, {"view": "none", "q": benchdata.SEARCH_COMMON}, SEARCH_BUDGET),
            ("search_rare", inbox, {"view": "none", "q": benchdata.SEARCH_RARE}, SEARCH_BUDGET),
            ("search_no_match", inbox, {"view": "none", "q": benchdata.SEARCH_NONE}, SEARCH_BUDGET),
            ("search_de", inbox, {"view": "none", "q": "Erstattung"}, SEARCH_BUDGET),
            ("customer_page", reverse("customers:detail", args=[customer_id]), {}, CUSTOMER_BUDGET),
            ("customer_search", reverse("customers:list"), {"q": "Kaya"}, CUSTOMER_BUDGET),
            # Every open inbox asks this every 30 seconds.
            ("activity_poll", reverse("tickets:news"), {"since": since}, INBOX_BUDGET),
        ]  # fmt: skip
        # The manager dashboard, every KPI, as an administrator (all teams) and for one team.
        admin = get_user_model().objects.get(username="bench-admin")
        dashboard = reverse("reports:dashboard")
        lead_cases = [
            ("dashboard_30d_all_teams", dashboard, {"period": "30"}, DASHBOARD_BUDGET),
            (
                "dashboard_30d_one_team",
                dashboard,
                {"period": "30", "team": team.pk},
                DASHBOARD_BUDGET,
            ),
            ("dashboard_90d_all_teams", dashboard, {"period": "90"}, DASHBOARD_BUDGET),
            (
                "dashboard_90d_one_team",
                dashboard,
                {"period": "90", "team": team.pk},
                DASHBOARD_BUDGET,
            ),
        ]
        lead_client = Client(HTTP_HOST=client.defaults["HTTP_HOST"])
        lead_client.force_login(admin)
        results = []
        measured = [(case, client) for case in cases] + [(case, lead_client) for case in lead_cases]
        for (name, url, params, budget), browser in measured:
            row = _measure(browser, name=name, url=url, params=params, budget=budget, runs=runs)
            if url == inbox:  # how many rows it showed (an empty page skips the tags query)
                query = InboxQuery.from_querydict(QueryDict(urlencode(params)))
                row["rows"] = len(inbox_page(user=user, query=query).tickets)
            results.append(row)
            log(f"measured {name}")
        return results

    def measure_load(self, *, seconds: int, connections: int, log) -> list[dict]:
        """Requests per second of the inbox and the 50-message ticket page through the
        production server, after a few seconds' warm-up of each page."""
        from django.contrib.auth import get_user_model

        from helpdesk.loadtest import load_run, load_tool, production_server

        detail = _bench_detail_ticket()
        client = Client(HTTP_HOST="127.0.0.1")
        client.force_login(get_user_model().objects.get(username="bench-agent-0"))
        session = settings.SESSION_COOKIE_NAME
        cookie = f"{session}={client.cookies[session].value}"
        pages = [
            ("inbox", reverse("tickets:list"), INBOX_LOAD_BUDGET),
            ("ticket_detail_50_messages", reverse("tickets:detail", args=[detail]),
             TICKET_LOAD_BUDGET),
        ]  # fmt: skip
        results = []
        log(f"load: the production server, {load_tool()}, {connections} connections")
        with production_server() as base:
            for name, path, budget in pages:
                load_run(url=base + path, cookie=cookie, seconds=3, connections=connections)
                row = load_run(url=base + path, cookie=cookie, seconds=seconds,
                               connections=connections)  # fmt: skip
                assert row["requests"] > 0, name
                ok = row["requests_per_second"] >= budget and not row["errors"]
                row.update(name=name, connections=connections, budget_rps=budget, ok=ok)
                results.append(row)
                log(f"loaded {name}")
        return results

    def measure_helpcenter(self, *, runs: int, log) -> list[dict]:
        """The public help center as a visitor sees it (ARCHITECTURE.md: 50 ms)."""
        from helpcenter.models import ArticleTranslation

        article = (
            ArticleTranslation.objects.filter(language="de", slug__startswith="bench-")
            .select_related("article__section__category")
            .order_by("pk")
            .first()
        )
        section = article.article.section
        client = Client(HTTP_HOST=_host())
        search = {code: reverse("helpcenter:search", args=[code]) for code in ("en", "de", "tr")}
        typed = "Hallo, ich möchte meinen Toaster zurückschicken, er ist kaputt"
        cases = [
            ("help_search_de_common", search["de"], {"q": "Rücksendung"}),
            ("help_search_de_two_words", search["de"], {"q": "Erstattung Wasserkocher"}),
            ("help_search_de_very_common", search["de"], {"q": "Erstattung"}),
            ("help_search_en", search["en"], {"q": "refund kettle"}),
            ("help_search_tr", search["tr"], {"q": "iade"}),
            ("help_search_misspelt", search["de"], {"q": "Rücksednung"}),
            ("help_search_no_match", search["en"], {"q": "zqxvw"}),
            ("help_suggest", reverse("helpcenter:suggest", args=["de"]), {"message": typed}),
            ("help_home", reverse("helpcenter:home", args=["de"]), {}),
            ("help_category", reverse("helpcenter:category", args=["de", section.category.slug]),
             {}),
            ("help_section", reverse("helpcenter:section", args=["de", section.slug]), {}),
            ("help_article", reverse("helpcenter:article", args=["de", article.slug]), {}),
            ("help_contact", reverse("helpcenter:contact", args=["de"]), {}),
        ]  # fmt: skip
        results = []
        for name, url, params in cases:
            results.append(_measure(client, name=name, url=url, params=params,
                                    budget=HELP_BUDGET, runs=runs))  # fmt: skip
            log(f"measured {name}")
        return results


def _settle(log) -> None:
    """After the bulk load, what autovacuum does in the minutes after one: VACUUM
    (ANALYZE), so that the pages are measured with the plans and index-only scans of a
    database in service (pgbench vacuums before its runs for the same reason). Inside a
    transaction (the test suite) VACUUM cannot run: ANALYZE alone."""
    log("vacuum and analyze")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)")


def _bench_detail_ticket() -> int:
    """The data set's first ticket, the one with 50 messages."""
    from tickets.models import Ticket

    return (
        Ticket.objects.filter(team__slug__startswith="bench-")
        .order_by("id")
        .values_list("pk", flat=True)
        .first()
    )


def _host() -> str:
    return (settings.ALLOWED_HOSTS or ["localhost"])[0].lstrip(".").replace("*", "localhost")


def _measure(client: Client, *, name: str, url: str, params: dict, budget: int,
             runs: int) -> dict:  # fmt: skip
    """Server time (p50, p95) of ``runs`` GETs after three warm-ups, and the SQL queries
    of one more, counted apart so that counting costs the timed requests nothing."""
    for _warm in range(3):
        warm = client.get(url, params)
        assert warm.status_code == 200, (name, warm.status_code)
    with CaptureQueriesContext(connection) as captured:
        client.get(url, params)
    queries = len(captured)  # now: the next request empties the query log
    times = []
    for _run in range(runs):
        started = time.perf_counter()
        response = client.get(url, params)
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, name
    times.sort()
    return {
        "name": name,
        "p50_ms": round(statistics.median(times), 1),
        "p95_ms": round(times[min(len(times) - 1, int(len(times) * 0.95))], 1),
        "queries": queries,
        "budget_ms": budget,
        "rows": None,
    }


def _json_dumps(value: object) -> str:
    return json.dumps(value)
