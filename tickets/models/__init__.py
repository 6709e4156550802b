"""Ticket models: tickets and messages, routing, and the workspace (tags, macros, views)."""

from tickets.models.core import Attachment, Flag, Message, Ticket, attachment_path
from tickets.models.routing import RoutingRule
from tickets.models.workspace import Macro, SavedView, Tag, TicketRead, TicketTag

__all__ = [
    "Attachment",
    "Flag",
    "Macro",
    "Message",
    "RoutingRule",
    "SavedView",
    "Tag",
    "Ticket",
    "TicketRead",
    "TicketTag",
    "attachment_path",
]
