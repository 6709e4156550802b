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
from tickets.models.workspace import Macro, Tag, TicketRead, TicketTag
from tickets.models.email import InboundEmail, OutboundEmail, Quarantine, SuppressedAddress

__all__ = [
    "AgentProfile",
    "Attachment",
    "Channel",
    "InboundEmail",
    "Message",
    "OutboundEmail",
    "Quarantine",
    "SuppressedAddress",
    "Macro",
    "Tag",
    "Team",
    "TicketRead",
    "TicketTag",
    "Ticket",
    "attachment_path",
    "validate_time_zone",
]
