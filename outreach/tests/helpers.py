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


def service_team(*, slug="repairs", hours=((0, "09:00", "17:00"),), weekdays=range(5),
                 time_zone="Europe/Berlin", country="DE", capacity=1, slot_minutes=60,
                 days_ahead=14, lead_time=timedelta(hours=12), closures=()):  # fmt: skip
    """A team with opening hours (each (offset, opens, closes) on each of ``weekdays``,
    the offset ignored), a business calendar and an active service schedule."""
    from outreach.models import ServiceSchedule
    from tickets.models import BusinessCalendar, Closure, OpeningHours

    team = TeamFactory(name=slug.title(), slug=slug, time_zone=time_zone, country=country)
    calendar = BusinessCalendar.objects.create(team=team)
    for weekday in weekdays:
        for _offset, opens, closes in hours:
            OpeningHours.objects.create(calendar=calendar, weekday=weekday, opens=opens,
                                        closes=closes)  # fmt: skip
    for first, last in closures:
        Closure.objects.create(calendar=calendar, first=first, last=last)
    ServiceSchedule.objects.create(team=team, capacity=capacity, slot_minutes=slot_minutes,
                                   days_ahead=days_ahead, lead_time=lead_time)  # fmt: skip
    return team


def delivered_item(*, customer=None, months=12, delivered_at=None, product=None):
    """An order line of a product with a service interval, delivered ``delivered_at``."""
    from django.utils import timezone

    from customers.models import Order
    from customers.tests.factories import OrderFactory, OrderItemFactory, ProductFactory

    product = product or ProductFactory(name="Espresso machine E1",
                                        service_interval_months=months)  # fmt: skip
    delivered_at = delivered_at or timezone.now()
    order = OrderFactory(customer=customer or customer_with_email(), placed_at=delivered_at,
                         status=Order.Status.DELIVERED, delivered_at=delivered_at)  # fmt: skip
    return OrderItemFactory(order=order, product=product)


def sent_reminder(*, customer=None, item=None):
    """A maintenance reminder that went out (the booking link's key)."""
    from django.utils import timezone

    from outreach.models import Outreach

    item = item or delivered_item(customer=customer)
    return Outreach.objects.create(
        kind=Outreach.Kind.MAINTENANCE, state=Outreach.State.SENT, customer=item.order.customer,
        order_item=item, cause=f"maintenance:item:{item.pk}:test", send_after=timezone.now(),
        sent_at=timezone.now(),
    )  # fmt: skip
