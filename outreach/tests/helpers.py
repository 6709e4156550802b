"""Building blocks for outreach tests: a team with a follow-up policy, a solved ticket."""

from __future__ import annotations

from datetime import timedelta

from customers.tests.factories import ContactIdentityFactory, CustomerFactory
from outreach.models import FollowUpPolicy
from tickets.models import Ticket
from tickets.tests.factories import TeamFactory, TicketFactory, make_agent
from tickets.workflow import ticket_update


def customer_with_email(language: str = "en", email: str = "", **kwargs):
    customer = CustomerFactory(language=language, **kwargs)
    ContactIdentityFactory(customer=customer, **({"address": email} if email else {}))
    return customer


def team_with_policy(*, delay: timedelta = timedelta(days=2), skip_tags=(), slug="care"):
    team = TeamFactory(name=slug.title(), slug=slug)
    FollowUpPolicy.objects.create(team=team, delay=delay, skip_tags=list(skip_tags))
    return team


def solved_ticket(*, team, customer=None, agent=None, username="ali") -> Ticket:
    """A ticket handled and solved by an agent, through the workflow service (so the
    solve hook runs as in production)."""
    agent = agent or make_agent(username=username, teams=[team]).user
    ticket = TicketFactory(customer=customer or customer_with_email(), team=team)
    ticket_update(ticket=ticket, by=agent, assignee=agent)
    ticket_update(ticket=ticket, by=agent, status=Ticket.Status.SOLVED)
    ticket.refresh_from_db()
    return ticket
