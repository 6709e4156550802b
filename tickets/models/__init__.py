"""Ticket models: the core (teams, agents, tickets, messages) and the email channel."""

from tickets.models.core import (
    AgentProfile,
    Attachment,
    Channel,
    Message,
    Team,
    Ticket,
    attachment_path,
    validate_time_zone,
)
from tickets.models.email import InboundEmail, OutboundEmail, Quarantine, SuppressedAddress
from tickets.models.workspace import Macro, SavedView, Tag, TicketRead, TicketTag

__all__ = [
    "AgentProfile",
    "Attachment",
    "Channel",
    "InboundEmail",
    "Macro",
    "Message",
    "OutboundEmail",
    "Quarantine",
    "SavedView",
    "SuppressedAddress",
    "Tag",
    "Team",
    "Ticket",
    "TicketRead",
    "TicketTag",
    "attachment_path",
    "validate_time_zone",
]
