"""Ticket models: tickets and messages, routing, and the workspace (tags, macros, views)."""

from tickets.models.core import Attachment, Flag, Message, Ticket, attachment_path
from tickets.models.promises import Promise, ToneRuleStat
from tickets.models.routing import RoutingRule
from tickets.models.sla import (
    BusinessCalendar,
    Closure,
    Notification,
    OpeningHours,
    SlaClock,
    SlaPolicy,
)
from tickets.models.workspace import Macro, SavedView, Tag, TicketRead, TicketTag

__all__ = [
    "Attachment",
    "BusinessCalendar",
    "Closure",
    "Flag",
    "Macro",
    "Message",
    "Notification",
    "OpeningHours",
    "Promise",
    "RoutingRule",
    "SavedView",
    "SlaClock",
    "SlaPolicy",
    "Tag",
    "Ticket",
    "TicketRead",
    "TicketTag",
    "ToneRuleStat",
    "attachment_path",
]
