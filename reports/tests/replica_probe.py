"""Run in a process of its own with DATABASE_REPLICA_URL set: which database the report
reads go to, and what they count (printed as JSON)."""

from __future__ import annotations

import json

import django

django.setup()

from django.db import connections  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from reports.dashboard import dashboard_build  # noqa: E402
from reports.models import TicketFact  # noqa: E402
from reports.periods import Scope  # noqa: E402
from reports.routers import report_database  # noqa: E402
from reports.tests.fixtures import week_period  # noqa: E402

with (
    CaptureQueriesContext(connections["replica"]) as replica,
    CaptureQueriesContext(connections["default"]) as default,
):
    sections = dashboard_build(period=week_period(), scope=Scope(None))
    facts = TicketFact.objects.count()
figures = {kpi.key: kpi.value for section in sections for kpi in section.kpis}
print(json.dumps({
    "alias": report_database(), "replica_queries": len(replica), "default_queries": len(default),
    "created": figures["created"], "facts": facts
}))  # fmt: skip
