from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Reports")

    def ready(self) -> None:
        from core.events import EventKind, event_kinds_declare, event_recorded
        from customers.selectors import customer_panel_register
        from reports import rollups, scoreboard

        event_kinds_declare([
            EventKind("reports.kudos_given", _("thanked a colleague")),
            EventKind("reports.goal_set"),
            EventKind("reports.weekly_sent"),
        ])  # fmt: skip
        # Every committed event wakes the rollup refresh; its beat sweep catches up on any
        # the broker missed.
        event_recorded.register(rollups.on_event_recorded)
        # Beside a ticket: thank a colleague for their work on it.
        customer_panel_register(scoreboard.kudos_ticket_panel)
