"""Maintenance reminders: a product with a service interval is due for a service that
many months after its delivery (and again every interval after that). The customer gets
one reminder per order line and due date, with a signed link to book an appointment.

The beat sweep finds the order lines whose due date has come; the reminder's cause holds
the order line and the due date, so a sweep that runs twice (or two at once) schedules
one message."""

from __future__ import annotations

import calendar
from datetime import datetime, timedelta

from django.conf import settings
from django.core import signing
from django.db.models import DurationField, F, Func
from django.urls import reverse
from django.utils import timezone

from customers.models import Order, OrderItem
from outreach import services
from outreach.models import Outreach, ServiceSchedule

Kind = Outreach.Kind

# A due date missed by more than this (the interval was set long after the delivery, the
# sweep was off) is not sent late: the next due date is.
LOOKBACK = timedelta(days=30)
# The signed booking link: its own salt, so no other signed value of the product opens it.
LINK_SALT = "outreach.booking-link.v1"
LINK_MAX_LENGTH = 300


def months_add(moment: datetime, months: int) -> datetime:
    """``moment`` that many calendar months later; the 31st becomes the month's last day."""
    month_index = moment.month - 1 + months
    year, month = moment.year + month_index // 12, month_index % 12 + 1
    day = min(moment.day, calendar.monthrange(year, month)[1])
    return moment.replace(year=year, month=month, day=day)


def maintenance_due(*, delivered_at: datetime, months: int, now: datetime) -> datetime | None:
    """The latest due date on or before ``now`` (delivery plus a whole number of service
    intervals), when it is not older than ``LOOKBACK``; else None."""
    if months <= 0 or delivered_at > now:
        return None
    elapsed = (now.year - delivered_at.year) * 12 + now.month - delivered_at.month
    periods = elapsed // months
    while periods >= 1:
        due = months_add(delivered_at, periods * months)
        if due <= now:
            return due if due > now - LOOKBACK else None
        periods -= 1
    return None


def maintenance_cause(*, item_id: int, due: datetime) -> str:
    return f"maintenance:item:{item_id}:{due.date().isoformat()}"


class _MakeInterval(Func):
    function = "make_interval"
    template = "make_interval(months => %(expressions)s)"
    output_field = DurationField()


def maintenance_reminders_schedule(*, now: datetime | None = None, limit: int = 2000) -> int:
    """Beat sweep: schedule a reminder for each delivered order line whose service is due.
    Returns how many were scheduled now."""
    from outreach.services import _create, _scheduled

    now = now or timezone.now()
    # At least one interval since the delivery, in the database (months are calendar
    # months there too); the exact due date is worked out below.
    candidates = (
        OrderItem.objects.filter(
            product__service_interval_months__gt=0,
            order__status=Order.Status.DELIVERED,
            order__delivered_at__isnull=False,
        )
        .alias(
            first_due=F("order__delivered_at")
            + _MakeInterval(F("product__service_interval_months"))
        )
        .filter(first_due__lte=now)
        .values_list(
            "pk", "order__delivered_at", "product__service_interval_months", "order__customer_id"
        )
        .order_by("pk")
    )
    due_items = []
    for pk, delivered_at, months, customer_id in candidates.iterator(chunk_size=2000):
        due = maintenance_due(delivered_at=delivered_at, months=months, now=now)
        if due is not None:
            due_items.append((pk, due, customer_id))
    causes = {maintenance_cause(item_id=pk, due=due) for pk, due, _c in due_items}
    known = set(Outreach.objects.filter(cause__in=causes).values_list("cause", flat=True))
    scheduled = 0
    for pk, due, customer_id in due_items:
        cause = maintenance_cause(item_id=pk, due=due)
        if cause in known:
            continue
        row, created = _create(cause=cause, kind=Kind.MAINTENANCE, customer_id=customer_id,
                               order_item_id=pk, send_after=due)  # fmt: skip
        if created:
            _scheduled(row)
            scheduled += 1
            if scheduled >= limit:
                break
    return scheduled


# --- The booking link ---------------------------------------------------------------------


class BadLinkError(Exception):
    """A booking link that is tampered with, made for something else, or expired."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.expired = reason == "expired"


def booking_token(*, reminder: Outreach) -> str:
    return signing.dumps({"o": reminder.pk}, salt=LINK_SALT, compress=False)


def booking_url(*, reminder: Outreach) -> str:
    """An absolute link on the configured site URL, never the request's Host."""
    path = reverse("outreach:booking", args=[booking_token(reminder=reminder)])
    return f"{settings.SITE_URL}{path}"


def booking_reminder_id(*, token: str) -> int:
    """The maintenance reminder a token was made for; raises ``BadLinkError``."""
    if not token or len(token) > LINK_MAX_LENGTH:
        raise BadLinkError("bad signature")
    try:
        data = signing.loads(
            token, salt=LINK_SALT, max_age=timedelta(days=settings.OUTREACH_BOOKING_LINK_DAYS)
        )
    except signing.SignatureExpired as error:
        raise BadLinkError("expired") from error
    except signing.BadSignature as error:
        raise BadLinkError("bad signature") from error
    reminder_id = data.get("o") if isinstance(data, dict) else None
    if not isinstance(reminder_id, int) or isinstance(reminder_id, bool):
        raise BadLinkError("bad payload")
    return reminder_id


# --- Sending ------------------------------------------------------------------------------


def service_schedule_offered() -> ServiceSchedule | None:
    """The schedule maintenance reminders book with: the first active one."""
    return ServiceSchedule.objects.filter(active=True).select_related("team").order_by("pk").first()


def maintenance_skip_reason(row: Outreach) -> str:
    item = row.order_item
    if item is None or item.order.status != Order.Status.DELIVERED:
        return "returned"  # returned or cancelled since: nothing left to service
    if not item.product.service_interval_months:
        return "no_interval"
    if service_schedule_offered() is None:
        return "no_schedule"
    return ""


def maintenance_deliver(row: Outreach, to: str) -> None:
    item = row.order_item
    context = {"customer": row.customer, "product": item.product, "order": item.order,
               "link": booking_url(reminder=row)}  # fmt: skip
    services.outreach_email(row, to, name="maintenance", context=context)


services.DELIVERERS[Outreach.Kind.MAINTENANCE] = maintenance_deliver
