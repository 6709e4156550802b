"""``manage.py inbox_plans [--out docs/inbox-plans.md]``: the query plan of every inbox
view, sort and search kind on the benchmark data set, each checked against the index it
is meant to use, with the reason that plan does not change as the data grows.

Run it after ``manage.py bench`` has generated the data set. It exits with status 1 when
a plan uses another index than the one named, so it doubles as a check after an index or
query change."""

from __future__ import annotations

import sys
from pathlib import Path

from django.core.management.base import BaseCommand
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.http import urlencode

from helpdesk import benchdata

# (case, inbox parameters, the index the rows come from, why that plan is stable)
CASES = [
    ("view_mine", {"view": "mine"}, "ticket_assignee_open",
     "The view's filter is the partial index's predicate and its order the index's order, "
     "so the page is the agent's first 51 entries of that index, however large the table."),
    ("view_unassigned", {"view": "unassigned"}, "ticket_recent",
     "Walks the newest activity and stops at 51 matches: new mail arrives unassigned, so "
     "unassigned open tickets are frequent among the newest; a scope with almost none is "
     "cut off by the statement timeout and answered with \"narrow your search\"."),
    ("view_my_teams", {"view": "my_teams"}, "ticket_recent",
     "The open tickets of the agent's teams are most of the newest activity, so the walk "
     "stops after a few hundred index entries."),
    ("view_all_open", {"view": "all_open"}, "ticket_recent",
     "As for my teams: open tickets are the newest activity, and the walk stops at 51."),
    ("view_pending", {"view": "pending"}, "ticket_status_recent",
     "The status is the index's first column: the walk reads only pending tickets, newest "
     "first, and skips the other teams' ones."),
    ("view_on_hold", {"view": "on_hold"}, "ticket_status_recent",
     "As for pending: one status, in activity order."),
    ("view_at_risk", {"view": "at_risk"}, "ticket_at_risk",
     "The partial index holds only tickets with a running clock, and both bounds (at risk by "
     "now, not yet due) are index conditions: only the tickets at risk now are read from the "
     "table, a few hundred at most, since a ticket is at risk only for the last part of its "
     "target."),
    ("view_breached", {"view": "breached"}, "ticket_sla_due",
     "Due times in ascending order from the longest overdue: the page is the first 51 "
     "entries in the agent's scope."),
    ("view_solved", {"view": "solved"}, "ticket_team_recent",
     "Bounded by one week's solved tickets in the agent's scope (solving is activity, so the "
     "activity bound is an index condition of the scope's indexes) and sorted: it grows with "
     "a week's volume, not with the table. The ids are sorted alone; customers and assignees "
     "are joined for the page's 51 rows only."),
    ("sort_activity", {"view": "none", "sort": "activity"}, "ticket_recent",
     "Each sort has an index in its own order; the page is its first 51 entries in scope."),
    ("sort_created", {"view": "none", "sort": "created"}, "ticket_created",
     "As for activity: the index is the sort."),
    ("sort_priority", {"view": "none", "sort": "priority"}, "ticket_priority",
     "Priority, then activity, then id: the index's order, so nothing is sorted; before this "
     "index the plan walked 375,000 rows."),
    ("sort_due", {"view": "none", "sort": "due"}, "ticket_sla_due",
     "Soonest due first, tickets without a due time last: the index's ascending order."),
    ("team_status", {"view": "none", "team": "bench-returns", "status": "open"},
     "ticket_team_recent",
     "Team and status are the index's first columns and the sort the rest: an exact range."),
    ("team_due", {"view": "none", "team": "bench-returns", "sort": "due"},
     "ticket_team_sla_due", "The team is the first column, due time and id the order."),
    ("team_priority", {"view": "my_teams", "sort": "priority"}, "ticket_priority",
     "Within each priority the index is in activity order, and open tickets are the newest, "
     "so the walk meets the teams' open urgent tickets first."),
    ("search_common", {"view": "none", "q": benchdata.SEARCH_COMMON}, "ticket_recent",
     "A word in a third of all tickets: ranking only the newest 200 matches, found by "
     "walking the activity index, which stops early because matches are everywhere."),
    ("search_rare", {"view": "none", "q": benchdata.SEARCH_RARE}, "ticket_search_gin",
     "A rare word: its few matches come from the full-text index and the scope is checked "
     "on them alone (the team's and assignee's lone indexes are gone, so the planner cannot "
     "AND a quarter-million-entry bitmap into it)."),
    ("search_no_match", {"view": "none", "q": benchdata.SEARCH_NONE}, "ticket_search_gin",
     "No match: the full-text index answers with nothing and no table row is read."),
]  # fmt: skip


class Command(BaseCommand):
    help = "Write the inbox's query plans on the benchmark data set and check their indexes."

    def add_arguments(self, parser):
        parser.add_argument("--out", default="docs/inbox-plans.md")

    def handle(self, *args, out: str, **options):
        from django.contrib.auth import get_user_model

        from core.models import Team
        from tickets.inbox import InboxQuery, inbox_page
        from tickets.models import Ticket

        user = get_user_model().objects.get(username="bench-agent-0")
        team = Team.objects.get(slug="bench-returns")
        total = Ticket.objects.count()
        lines = [
            "# Inbox query plans",
            "",
            f"`manage.py inbox_plans` on the benchmark data set ({total:,} tickets, "
            f"{timezone.now():%Y-%m-%d}), as the agent `bench-agent-0` (two teams). Each plan "
            "is `EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF)` of the query that reads the page's "
            "rows (the page's ids in a subquery, then their rows); the command fails when a "
            "plan stops using the index named.",
            "",
        ]
        wrong = []
        for name, params, index, why in CASES:
            params = {k: team.pk if v == "bench-returns" else v for k, v in params.items()}
            query = InboxQuery.from_querydict(QueryDict(urlencode(params)))
            with CaptureQueriesContext(connection) as captured:
                inbox_page(user=user, query=query)
            sql = next(q["sql"] for q in captured.captured_queries
                       if q["sql"].startswith('SELECT "tickets_ticket"."id"'))  # fmt: skip
            with connection.cursor() as cursor:
                cursor.execute(f"EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF) {sql}")
                plan = "\n".join(row[0] for row in cursor.fetchall())
            uses = index in plan
            if not uses:
                wrong.append(name)
            lines += [f"## {name}: `{urlencode(params)}`", "", why, "",
                      f"Index: `{index}`" + ("" if uses else " — **not used**"), "",
                      "```", plan, "```", ""]  # fmt: skip
            self.stderr.write(f"{name}: {'ok' if uses else 'uses another index'}")
        Path(out).parent.mkdir(parents=True, exist_ok=True)
        Path(out).write_text("\n".join(lines))
        self.stdout.write(f"wrote {out}")
        if wrong:
            self.stderr.write(f"plans not using their index: {', '.join(wrong)}")
            sys.exit(1)
