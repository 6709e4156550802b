"""``manage.py reports_reconcile [--since DATE] [--until DATE] [--repair]``: recompute a
period's rollups from the raw rows and prove they equal the stored ones (exit status 1
when they differ and were not repaired)."""

from __future__ import annotations

import time
from datetime import UTC, datetime

from django.core.management.base import BaseCommand, CommandError

from reports.rollups import rollups_rebuild, rollups_reconcile


def _moment(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError as error:
        raise CommandError(f"not a date: {value!r}") from error
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


class Command(BaseCommand):
    help = "Recompute the dashboards' rollups from the raw rows and compare (or repair)."

    def add_arguments(self, parser):
        parser.add_argument("--since", help="ISO date or time (UTC unless given); default: all")
        parser.add_argument("--until", help="ISO date or time; default: now")
        parser.add_argument("--repair", action="store_true", help="store the recomputed rows")

    def handle(self, *args, since=None, until=None, repair=False, **options):
        started = time.monotonic()
        log = self.stdout.write
        if repair and not since and not until:
            result = rollups_rebuild(log=log)
        else:
            result = rollups_reconcile(
                since=_moment(since), until=_moment(until), repair=repair, log=log
            )
        log(
            f"{result.since:%Y-%m-%d %H:%M} to {result.until:%Y-%m-%d %H:%M}: "
            f"{result.tickets} tickets, "
            f"{len(result.facts_differing)} facts and "
            f"{len(result.counts_missing) + len(result.counts_extra)} counts differed "
            f"({time.monotonic() - started:.1f}s)"
        )
        if result.equal:
            log(self.style.SUCCESS("the rollups equal the raw rows"))
        elif repair:
            log(self.style.WARNING("repaired"))
        else:
            for row in (result.counts_missing + result.counts_extra)[:20]:
                log(f"  differs: {row}")
            raise SystemExit(1)
