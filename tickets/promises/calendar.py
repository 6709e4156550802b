"""The time zone and business days a ticket's promises are read in: its team's."""

from __future__ import annotations

from django.conf import settings

from tickets.models import Ticket
from tickets.promises.detect import DayEnd
from tickets.sla import business_clock


def ticket_calendar(ticket: Ticket) -> tuple[str, DayEnd]:
    """The ticket's team's time zone and the close of each of its business days (its
    calendar's opening hours, holidays and closures; the shop's default hours for a team
    without a calendar or a ticket in no team)."""
    clock = business_clock(team=ticket.team)
    return clock.time_zone, clock.day_end


def ticket_time_zone(ticket: Ticket) -> str:
    """The time zone the ticket's promises are shown and entered in (no query)."""
    return ticket.team.time_zone if ticket.team is not None else settings.SHOP_TIME_ZONE
