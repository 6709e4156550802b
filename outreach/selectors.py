"""Reads of proactive care: a customer's outreach history and thank-you suggestions."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.contrib.auth.models import AbstractUser
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from customers.models import Customer
from outreach.models import Outreach
from surveys.models import SurveyInvitation
from tickets.models import Ticket

LONG_TIME = timedelta(days=365)
RECENT = timedelta(days=30)
CAME_BACK_WITHIN = timedelta(days=180)


OUTREACH_SHOWN = 10  # a customer's latest outreach rows in the sidebar


def outreach_for_customer(*, customer: Customer, limit: int = OUTREACH_SHOWN) -> list[Outreach]:
    return list(
        Outreach.objects.filter(customer=customer)
        .select_related("author")
        .order_by("-created_at", "-pk")[:limit]
    )


def thank_you_suggestions(
    *, customer: Customer, now: datetime | None = None, recent: list[Outreach] | None = None
) -> list[str]:
    """Why a thank-you note would be welcome now: a long-time customer's tenth order, or a
    detractor who came back and ordered again. None when a note went out lately
    (``recent``: the customer's latest outreach rows, when the caller has them)."""
    now = now or timezone.now()
    if recent is None:
        recent = outreach_for_customer(customer=customer)
    if any(r.kind == Outreach.Kind.THANK_YOU and r.created_at >= now - RECENT for r in recent):
        return []
    reasons = []
    placed = list(customer.orders.order_by("placed_at").values_list("placed_at", flat=True)[:10])
    if len(placed) == 10 and placed[9] >= now - RECENT and placed[0] <= now - LONG_TIME:
        reasons.append(_("Tenth order from a customer of more than a year."))
    detractor = (
        SurveyInvitation.objects.filter(customer=customer, response__isnull=False)
        .filter(
            Q(kind=SurveyInvitation.Kind.CSAT, response__score__lte=2)
            | Q(kind=SurveyInvitation.Kind.NPS, response__score__lte=6)
        )
        .order_by("-response__created_at")
        .values_list("response__created_at", flat=True)
        .first()
    )
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

    recent = outreach_for_customer(customer=customer)
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
            "suggestions": thank_you_suggestions(customer=customer, recent=recent),
            "incidents": incident_for_customer(customer=customer) if told else [],
            "opt_outs": list(customer.outreach_opt_outs.order_by("kind")),
            "is_lead": is_lead(user),
            "appointments": appointments_upcoming(customer=customer),
        },
    }


def appointments_upcoming(*, customer: Customer, limit: int = 5) -> list:
    """The customer's booked appointments from today on, soonest first."""
    from outreach.models import Appointment

    today = timezone.now() - timedelta(hours=12)
    return list(
        Appointment.objects.filter(customer=customer, state=Appointment.State.BOOKED,
                                   starts_at__gte=today)
        .select_related("team", "order_item__product").order_by("starts_at")[:limit]
    )  # fmt: skip


def appointments_of_day(*, user: AbstractUser, day: date) -> list:
    """One local day's appointments (the agent's time zone) of the agent's teams, by time;
    cancelled ones too, marked, so a gap in the day is explained."""
    from core.access import staff_scope
    from outreach.models import Appointment

    zone = timezone.get_current_timezone()
    start = datetime.combine(day, time(0), tzinfo=zone)
    end = datetime.combine(day + timedelta(days=1), time(0), tzinfo=zone)
    rows = Appointment.objects.filter(starts_at__gte=start, starts_at__lt=end)
    return list(
        staff_scope(rows, user=user, team="team")
        .select_related("customer", "team", "order_item__product", "order_item__order")
        .order_by("starts_at", "state", "seat")
    )
