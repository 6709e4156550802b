"""Shipment delays: the customer hears that a parcel is late before they have to ask.

Two ways in: the shop reports a delay (``customers.services.shipment_delay_report``, or a
later expected delivery on a shipment update: the ``shipment_delayed`` hook), or a parcel
passes its expected delivery undelivered (the beat sweep). The notice says the new
estimate, or honestly that we are finding out and will write by a date two business days
away; when that date passes with nothing new, the sweep writes again, keeping the promise.

One notice per shipment and estimate: the cause holds both, so the same estimate reported
twice (or reported and swept) is one message, and a new, later estimate is a new one. A
service message: no marketing consent needed, and exempt from the contact-pressure limit
(it is about their own order), but not from quiet hours."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from core.reactions import task_after_commit
from customers.models import Customer, Order, Shipment
from customers.selectors import customer_time_zone
from outreach import services
from outreach.models import Outreach
from tickets.sla import business_clock

Kind = Outreach.Kind
LATE = (Shipment.Status.PENDING, Shipment.Status.IN_TRANSIT)
LOOKBACK = timedelta(days=30)  # parcels overdue longer than this are an agent's case


def _customer(shipment: Shipment) -> Customer:
    customer = shipment.order.customer
    while customer.merged_into_id:
        customer = customer.merged_into
    return customer


def promise_date(*, customer: Customer, now: datetime) -> date:
    """The business day by which we promise to write again, in the customer's calendar."""
    clock = business_clock(team=None)
    day = now.astimezone(customer_time_zone(customer=customer)).date()
    for _step in range(max(1, settings.OUTREACH_DELAY_PROMISE_BUSINESS_DAYS)):
        day = clock.next_open_day(day)
    return day


def delay_cause(*, shipment: Shipment, estimate: datetime | None, after: str = "") -> str:
    """Once per shipment and estimate. Without a new estimate, the passed one names the
    cause (the API's "nobody knows" and the sweep's overdue parcel are the same delay)."""
    if estimate is not None:
        return f"shipment_delay:{shipment.pk}:{estimate.isoformat()}"
    passed = shipment.estimated_delivery_at.isoformat() if shipment.estimated_delivery_at else "-"
    return f"shipment_delay:{shipment.pk}:unknown:{passed}" + (f":after:{after}" if after else "")


@transaction.atomic
def shipment_delay_schedule(
    *, shipment: Shipment, estimate: datetime | None, after: str = "", now: datetime | None = None
) -> tuple[Outreach | None, bool]:
    """Schedule the notice for a late parcel (once per shipment and estimate), to go now;
    the row (None for a parcel no longer late) and whether it is new."""
    now = now or timezone.now()
    shipment = Shipment.objects.select_related("order__customer").get(pk=shipment.pk)
    if shipment.status not in LATE or shipment.delivered_at is not None:
        return None, False
    if shipment.order.status in (Order.Status.CANCELLED, Order.Status.RETURNED):
        return None, False
    customer = _customer(shipment)
    details: dict[str, object] = {"estimate": estimate.isoformat() if estimate else None}
    if estimate is None:
        details["promised_by"] = promise_date(customer=customer, now=now).isoformat()
        details["passed"] = (
            shipment.estimated_delivery_at.isoformat() if shipment.estimated_delivery_at else None
        )
    row, created = services._create(
        cause=delay_cause(shipment=shipment, estimate=estimate, after=after)[:200],
        kind=Kind.SHIPMENT_DELAY, customer=customer, shipment=shipment, send_after=now,
        details=details,
    )  # fmt: skip
    if created:
        services._scheduled(row)
        task_after_commit(services._tasks().outreach_send, outreach_id=row.pk)
    return row, created


def on_shipment_delayed(*, shipment: Shipment, estimate: datetime | None) -> None:
    """The ``customers.shipment_delayed`` provider (inside the report's transaction)."""
    shipment_delay_schedule(shipment=shipment, estimate=estimate)


def shipment_delays_sweep(*, now: datetime | None = None, limit: int = 500) -> int:
    """Beat sweep: parcels past their expected delivery with no notice since it passed,
    and promises to write again that fall due with nothing new to tell."""
    now = now or timezone.now()
    told = Outreach.objects.filter(
        kind=Kind.SHIPMENT_DELAY, shipment=OuterRef("pk"),
        created_at__gte=OuterRef("estimated_delivery_at"),
    )  # fmt: skip
    overdue = Shipment.objects.filter(
        status__in=LATE, delivered_at__isnull=True, estimated_delivery_at__lt=now,
        estimated_delivery_at__gte=now - LOOKBACK,
        order__status__in=[Order.Status.PLACED, Order.Status.SHIPPED],
    ).filter(~Exists(told))  # fmt: skip
    scheduled = 0
    for shipment in overdue.order_by("estimated_delivery_at")[:limit]:
        scheduled += shipment_delay_schedule(shipment=shipment, estimate=None, now=now)[1]
    # Promises that fall due: write again, unless a new estimate or the parcel came first.
    today = now.astimezone(ZoneInfo(settings.SHOP_TIME_ZONE)).date().isoformat()
    promised = Outreach.objects.filter(
        kind=Kind.SHIPMENT_DELAY, state=Outreach.State.SENT, sent_at__gte=now - LOOKBACK,
        details__promised_by__lte=today, shipment__status__in=LATE,
        shipment__delivered_at__isnull=True,
    ).select_related("shipment")[:limit]  # fmt: skip
    for row in promised:
        shipment = row.shipment
        passed = (
            shipment.estimated_delivery_at.isoformat() if shipment.estimated_delivery_at else None
        )
        if passed != row.details.get("passed"):
            continue  # a new estimate was reported since: that has a notice of its own
        scheduled += shipment_delay_schedule(shipment=shipment, estimate=None, now=now,
                                             after=row.details["promised_by"])[1]  # fmt: skip
    return scheduled


def _skip_reason(row: Outreach) -> str:
    shipment = row.shipment
    if shipment is None or shipment.status not in LATE or shipment.delivered_at is not None:
        return "delivered"  # it arrived (or went back) before the notice went out
    return ""


def _deliver(row: Outreach, to: str) -> None:
    shipment = row.shipment
    estimate = row.details.get("estimate")
    promised = row.details.get("promised_by")
    context = {
        "customer": row.customer, "order": shipment.order, "shipment": shipment,
        "estimate": datetime.fromisoformat(estimate) if estimate else None,
        "promised_by": date.fromisoformat(promised) if promised else None,
    }  # fmt: skip
    services.outreach_email(row, to, name="shipment_delay", context=context, their_zone=True)


services.DELIVERERS[Kind.SHIPMENT_DELAY] = _deliver
services.SKIP_CHECKS[Kind.SHIPMENT_DELAY] = _skip_reason
