"""Load demo data for a local setup: a shop's last 90 days. Idempotent: a second run adds
nothing."""

from __future__ import annotations

import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from core.config_cache import config_changed
from helpdesk.demodata.build import (
    DEFAULT_TICKETS,
    demo_history_exists,
    demo_history_load,
    demo_reference_data,
)


class Command(BaseCommand):
    help = (
        "Load a demo shop (local setups only): teams, staff, products, and 90 days of "
        "customers, orders, tickets on every channel, surveys and loyalty points."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--tickets", type=int, default=DEFAULT_TICKETS,
            help=f"customer tickets over the 90 days (default {DEFAULT_TICKETS})",
        )  # fmt: skip

    def handle(self, *args: object, tickets: int, **options: object) -> None:
        if not getattr(settings, "DEMO_DATA_ALLOWED", False):
            raise CommandError("Demo data is only loaded with local settings.")
        if tickets < 1:
            raise CommandError("--tickets must be at least 1.")
        started = time.monotonic()
        with transaction.atomic():
            # Teams, staff, tags and calendars are bulk-written, past the signals that
            # tell running processes their configuration changed.
            config_changed()
            staff = demo_reference_data()
            if demo_history_exists():
                self.stdout.write(f"Demo data already loaded ({staff} new staff members).")
                return
            counts = demo_history_load(tickets=tickets, log=self.stdout.write)
            # The history is bulk-loaded, past the audit trail's reactions: the dashboards'
            # rollups are built from the raw rows, as reports_reconcile --repair does.
            from reports.rollups import rollups_rebuild

            rollups_rebuild()
        summary = ", ".join(f"{count} {name}" for name, count in counts.items() if count)
        self.stdout.write(f"Demo data ready in {time.monotonic() - started:.1f} s: {summary}.")
