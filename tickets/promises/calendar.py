"""The time zone and business days a ticket's promises are read in: its team's."""

from __future__ import annotations

from django.conf import settings

from tickets.models import Ticket
from tickets.promises.detect import DayEnd, day_end_default


def ticket_calendar(ticket: Ticket) -> tuple[str, DayEnd]:
    """The ticket's team's time zone and the close of each of its business days; the
    shop's time zone and Monday to Friday until 17:00 for a ticket in no team."""
    team = ticket.team
    zone = team.time_zone if team is not None else settings.SHOP_TIME_ZONE
    return zone, day_end_default(zone)
