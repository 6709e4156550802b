from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _event_kinds():
    from core.events import EventKind

    return [
        EventKind("ticket.created"),
        EventKind("ticket.replied"),
        EventKind("ticket.note_added"),
        EventKind("ticket.status_changed", _("changed the status")),
        EventKind("ticket.priority_changed", _("changed the priority")),
        EventKind("ticket.team_changed", _("moved the ticket to another team")),
        EventKind("ticket.assignee_changed", _("changed the assignee")),
        EventKind("ticket.tag_added", _("added a tag")),
        EventKind("ticket.tag_removed", _("removed a tag")),
        EventKind("ticket.merged_in", _("merged a ticket into this one")),
        EventKind("ticket.merged_away", _("merged this ticket into another")),
        EventKind(
            "ticket.closed",
            _("closed the ticket"),
            variants={"auto": _("closed the ticket after a quiet period")},
        ),
        EventKind("ticket.reopened", _("replied and reopened the ticket"), by_customer=True),
        EventKind("message.received"),
        EventKind("ticket.call_logged", _("logged a call")),
        EventKind("promise.recorded", _("recorded a promise")),
        EventKind("promise.reminded"),
        EventKind("promise.overdue", _("flagged a promise as overdue")),
        EventKind("promise.kept", _("kept a promise")),
        EventKind(
            "promise.broken",
            _("broke a promise"),
            variants={
                "nothing_done": _("marked a promise broken: nothing was done"),
                "late": _("marked a promise broken: acted after its due time"),
                "lead": _("marked a promise broken"),
            },
        ),
        EventKind("sla.breached"),
    ]


class TicketsConfig(AppConfig):
    name = "tickets"
    verbose_name = _("Tickets")

    def ready(self) -> None:
        from core.config_cache import config_watch
        from core.events import event_kinds_declare
        from customers.selectors import customer_tickets
        from customers.services import customer_merged
        from messaging.inbound import inbound_ingest
        from tickets.approvals import approvals_register
        from tickets.ingest import message_ingest
        from tickets.models import Macro, RoutingRule, Tag
        from tickets.promises.approvals import OverduePromiseApprovals
        from tickets.promises.notifications import promise_notifications_declare
        from tickets.selectors import tickets_of_customer
        from tickets.services import tickets_customer_merge
        from tickets.sla import sla_config_watch

        event_kinds_declare(_event_kinds())
        approvals_register(OverduePromiseApprovals())
        promise_notifications_declare()
        # Every parsed inbound message, on any channel, becomes a ticket message here.
        inbound_ingest.register(message_ingest)
        customer_tickets.register(tickets_of_customer)
        customer_merged.register(tickets_customer_merge)
        # SLA policies, calendars, routing rules and the inbox's filter choices (teams,
        # tags, agents) are read once per change of them.
        sla_config_watch()
        config_watch(RoutingRule)
        config_watch(Tag)
        config_watch(Macro)  # the composer's list, on every ticket page
