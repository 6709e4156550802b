"""Reads of proactive care: a customer's outreach history and thank-you suggestions."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractUser
from django.utils import timezone
from django.utils.translation import gettext as _

from core.models import Team
from core.rows import instances, json_row, json_rows, select_together
from customers.models import Customer, Order, OrderItem, Product
from outreach.models import Appointment, Outreach, OutreachOptOut
from surveys.models import SurveyInvitation, SurveyResponse
from tickets.models import Ticket

LONG_TIME = timedelta(days=365)
RECENT = timedelta(days=30)
CAME_BACK_WITHIN = timedelta(days=180)


OUTREACH_SHOWN = 10  # a customer's latest outreach rows in the sidebar
APPOINTMENTS_SHOWN = 5


@dataclass(frozen=True)
class CustomerOutreach:
    """What the sidebar's proactive care panel shows of one customer, and the facts its
    thank-you suggestions rest on."""

    recent: list  # the latest outreach rows (with their authors), newest first
    first_orders: list[datetime]  # when the first ten orders were placed, in order
    unhappy_at: datetime | None  # the latest detractor answer
    opt_outs: list  # the kinds of outreach the customer stopped
    appointments: list  # booked service appointments from today on, soonest first


def customer_outreach(*, customer: Customer, now: datetime | None = None) -> CustomerOutreach:
    """All of ``CustomerOutreach`` in one statement: five short reads of one customer
    cost far more in round trips and ORM work than in rows."""
    now = now or timezone.now()
    user = get_user_model()
    key = "t.customer_id = %(customer)s"
    item = json_row(OrderItem, "t.order_item_id",
                    related={"product": json_row(Product, "x.product_id", alias="p")})  # fmt: skip
    first_orders = (
        "(SELECT coalesce(array_agg(placed_at ORDER BY placed_at), '{}') FROM (SELECT "  # noqa: S608
        f"placed_at FROM {Order._meta.db_table} t WHERE {key} ORDER BY placed_at LIMIT 10) o)"
    )
    unhappy = (
        f"(SELECT r.created_at FROM {SurveyInvitation._meta.db_table} t "  # noqa: S608
        f"JOIN {SurveyResponse._meta.db_table} r ON r.invitation_id = t.id WHERE {key} AND "
        "((t.kind = %(csat)s AND r.score <= 2) OR (t.kind = %(nps)s AND r.score <= 6)) "
        "ORDER BY r.created_at DESC LIMIT 1)"
    )
    booked = f"{key} AND t.state = %(booked)s AND t.starts_at >= %(today)s"
    parts = [
        json_rows(Outreach, where=key, order_by="t.created_at DESC, t.id DESC",
                  limit=OUTREACH_SHOWN, related={"author": json_row(user, "t.author_id")}),
        first_orders,
        unhappy,
        json_rows(OutreachOptOut, where=key, order_by="t.kind"),
        json_rows(Appointment, where=booked, order_by="t.starts_at", limit=APPOINTMENTS_SHOWN,
                  related={"team": json_row(Team, "t.team_id"), "order_item": item}),
    ]  # fmt: skip
    params = {
        "customer": customer.pk, "csat": SurveyInvitation.Kind.CSAT.value,
        "nps": SurveyInvitation.Kind.NPS.value, "booked": Appointment.State.BOOKED.value,
        "today": now - timedelta(hours=12),
    }  # fmt: skip
    recent, placed, unhappy_at, opt_outs, appointments = select_together(parts, params)
    return CustomerOutreach(
        recent=instances(Outreach, recent, author=user),
        first_orders=placed,
        unhappy_at=unhappy_at,
        opt_outs=instances(OutreachOptOut, opt_outs),
        appointments=instances(Appointment, appointments, team=Team, order_item=_order_item),
    )


def _order_item(row: dict | None) -> OrderItem | None:
    return instances(OrderItem, [row], product=Product)[0] if row else None


def thank_you_suggestions(
    *, customer: Customer, now: datetime | None = None, facts: CustomerOutreach | None = None
) -> list[str]:
    """Why a thank-you note would be welcome now: a long-time customer's tenth order, or a
    detractor who came back and ordered again. None when a note went out lately
    (``facts``: the customer's outreach, when the caller has it)."""
    now = now or timezone.now()
    facts = facts or customer_outreach(customer=customer, now=now)
    if any(
        r.kind == Outreach.Kind.THANK_YOU and r.created_at >= now - RECENT for r in facts.recent
    ):
        return []
    reasons = []
    placed = facts.first_orders
    if len(placed) == 10 and placed[9] >= now - RECENT and placed[0] <= now - LONG_TIME:
        reasons.append(_("Tenth order from a customer of more than a year."))
    detractor = facts.unhappy_at
    if (
        detractor
        and customer.orders.filter(
            placed_at__gt=detractor, placed_at__lte=detractor + CAME_BACK_WITHIN
        ).exists()
    ):
        reasons.append(_("Came back and ordered again after an unhappy survey answer."))
    return reasons


def outreach_customer_panel(
    customer: Customer, user: AbstractUser, *, ticket: Ticket | None = None
) -> dict[str, object] | None:
    """The customer history panel: the one-click thank-you note, rule suggestions, and the
    proactive messages sent or skipped lately."""
    from core.access import is_lead
    from outreach.incidents import incident_for_customer

    facts = customer_outreach(customer=customer)
    recent = facts.recent
    # Told about an incident means an incident message to them: none among all their
    # outreach (fewer rows than a full list) means no incident to look up.
    told = len(recent) == OUTREACH_SHOWN or any(r.kind == Outreach.Kind.INCIDENT for r in recent)
    return {
        "template": "outreach/_customer_panel.html",
        "title": _("Proactive care"),
        "context": {
            "customer": customer,
            "ticket": ticket,
            "messages": recent,
            "suggestions": thank_you_suggestions(customer=customer, facts=facts),
            "incidents": incident_for_customer(customer=customer) if told else [],
            "opt_outs": facts.opt_outs,
            "is_lead": is_lead(user),
            "appointments": facts.appointments,
        },
    }


def appointments_of_day(*, user: AbstractUser, day: date) -> list:
    """One local day's appointments (the agent's time zone) of the agent's teams, by time;
    cancelled ones too, marked, so a gap in the day is explained."""
    from core.access import staff_scope

    zone = timezone.get_current_timezone()
    start = datetime.combine(day, time(0), tzinfo=zone)
    end = datetime.combine(day + timedelta(days=1), time(0), tzinfo=zone)
    rows = Appointment.objects.filter(starts_at__gte=start, starts_at__lt=end)
    return list(
        staff_scope(rows, user=user, team="team")
        .select_related("customer", "team", "order_item__product", "order_item__order")
        .order_by("starts_at", "state", "seat")
    )
