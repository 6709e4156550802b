"""Incidents: a lead declares what went wrong and for whom, previews who is affected,
and the notices (and later the resolution notices) go out to each in their language.

Notifying 100,000 customers is one ``INSERT … SELECT`` of outreach rows (unique by cause,
so a second click or a retry adds nothing) and no row lock on anything agents touch; the
sending is done by the outreach sweep in batches."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.contrib.auth.models import AbstractUser
from django.db import connection, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from core.events import event_record
from customers.models import Customer, Order, Product
from outreach.models import Incident, Outreach
from tickets.models import Ticket
from tickets.workflow import ticket_tags_add

Kind = Outreach.Kind
PREVIEW_SAMPLE = 10
INCIDENT_TAG = "incident"


class IncidentError(ValueError):
    """The incident cannot be declared or changed this way; ``str(error)`` says why."""


def affected_orders(*, incident: Incident) -> QuerySet[Order]:
    """Orders matching every criterion the incident gives (products or SKUs, order date
    range, delivery postal-code prefixes)."""
    orders = Order.objects.exclude(status=Order.Status.CANCELLED)
    product_ids = list(incident.products.values_list("pk", flat=True))
    if product_ids or incident.skus:
        orders = orders.filter(
            Q(items__product_id__in=product_ids) | Q(items__product__sku__in=incident.skus)
        )
    tz = timezone.get_current_timezone()
    if incident.ordered_from:
        orders = orders.filter(placed_at__gte=datetime.combine(incident.ordered_from, time(),
                                                               tzinfo=tz))  # fmt: skip
    if incident.ordered_until:
        until = incident.ordered_until + timedelta(days=1)
        orders = orders.filter(placed_at__lt=datetime.combine(until, time(), tzinfo=tz))
    if incident.postal_prefixes:
        prefix = Q()
        for code in incident.postal_prefixes:
            prefix |= Q(delivery_postal_code__startswith=code)
        orders = orders.filter(prefix)
    return orders


def affected_customers(*, incident: Incident) -> QuerySet[Customer]:
    ids = affected_orders(incident=incident).values("customer_id")
    return Customer.objects.filter(pk__in=ids, merged_into__isnull=True)


def incident_preview(*, incident: Incident) -> dict[str, object]:
    """How many customers the notice would reach, and a few of them by name."""
    customers = affected_customers(incident=incident)
    return {
        "count": customers.count(),
        "sample": list(customers.order_by("pk")[:PREVIEW_SAMPLE]),
    }


def incident_progress(*, incident: Incident) -> dict[str, int]:
    """Notices per kind and state, for the incident page (one query)."""
    from django.db.models import Count

    rows = incident.messages.values("kind", "state").annotate(n=Count("pk"))
    return {f"{row['kind']}_{row['state']}": row["n"] for row in rows}


def incident_for_customer(*, customer: Customer) -> list[Incident]:
    """Open incidents this customer was told about (for the banner on their tickets)."""
    return list(
        Incident.objects.filter(
            state=Incident.State.NOTIFIED,
            messages__customer=customer,
            messages__kind=Kind.INCIDENT,
        ).distinct()
    )


def _clean(values: list[str], *, limit: int, length: int) -> list[str]:
    cleaned = []
    for value in values:
        value = value.strip()
        if not value:
            continue
        if len(value) > length or any(ord(c) < 32 for c in value):
            raise IncidentError(_("“%(value)s” is not a valid value.") % {"value": value[:40]})
        if value not in cleaned:
            cleaned.append(value)
    if len(cleaned) > limit:
        raise IncidentError(_("At most %(limit)d values.") % {"limit": limit})
    return cleaned


@transaction.atomic
def incident_declare(
    *, by: AbstractUser, title: str, message: str, products: list[Product] = (),
    skus: list[str] = (), ordered_from: date | None = None, ordered_until: date | None = None,
    postal_prefixes: list[str] = (),
) -> Incident:  # fmt: skip
    """Declare an incident (a draft: nothing is sent until ``incident_notify``)."""
    skus = _clean(list(skus), limit=200, length=64)
    postal_prefixes = _clean(list(postal_prefixes), limit=200, length=10)
    if not (products or skus or postal_prefixes or ordered_from or ordered_until):
        raise IncidentError(_("Say who is affected: a product, a SKU, dates or a region."))
    if ordered_from and ordered_until and ordered_from > ordered_until:
        raise IncidentError(_("The order date range ends before it starts."))
    if not title.strip() or not message.strip():
        raise IncidentError(_("An incident needs a title and a message."))
    incident = Incident.objects.create(
        title=title.strip()[:200], message=message.strip(), skus=skus,
        ordered_from=ordered_from, ordered_until=ordered_until,
        postal_prefixes=postal_prefixes, declared_by=by,
    )  # fmt: skip
    incident.products.set(products)
    event_record(kind="incident.declared", actor=by, data={"incident": incident.pk})
    return incident


def _enqueue(*, incident: Incident, kind: str, customers_sql: str, params: list) -> int:
    """One INSERT … SELECT of scheduled outreach rows, one per customer; rows that exist
    for the same cause are left alone."""
    now = timezone.now()
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            INSERT INTO outreach_outreach
                (kind, state, cause, customer_id, incident_id, text, send_after,
                 skip_reason, created_at)
            SELECT %s, 'scheduled', %s || c.id, c.id, %s, '', %s, '', %s
            FROM ({customers_sql}) AS c
            ON CONFLICT (cause) DO NOTHING
            """,  # noqa: S608 - the inner SQL is Django's own, compiled with parameters
            [kind, f"{kind}:{incident.pk}:", incident.pk, now, now, *params],
        )
        return cursor.rowcount


@transaction.atomic
def incident_notify(*, incident: Incident, by: AbstractUser) -> int:
    """Send the notice to every affected customer (once: a second call adds nobody)."""
    incident = Incident.objects.select_for_update().get(pk=incident.pk)
    if incident.state != Incident.State.DRAFT:
        return 0
    sql, params = affected_customers(incident=incident).values("id").query.sql_with_params()
    count = _enqueue(incident=incident, kind=Kind.INCIDENT, customers_sql=sql, params=list(params))
    incident.state = Incident.State.NOTIFIED
    incident.notified_at = timezone.now()
    incident.save(update_fields=["state", "notified_at"])
    event_record(kind="incident.notified", actor=by, data={"incident": incident.pk,
                                                            "customers": count})  # fmt: skip
    _queue_sending()
    return count


@transaction.atomic
def incident_resolve(*, incident: Incident, by: AbstractUser, resolution: str) -> int:
    """Close the incident and tell everyone who got the notice that it is resolved."""
    incident = Incident.objects.select_for_update().get(pk=incident.pk)
    if incident.state != Incident.State.NOTIFIED:
        return 0
    if not resolution.strip():
        raise IncidentError(_("Say how it was resolved; customers will read it."))
    incident.state = Incident.State.RESOLVED
    incident.resolved_at = timezone.now()
    incident.resolution = resolution.strip()[:4000]
    incident.save(update_fields=["state", "resolved_at", "resolution"])
    told = Outreach.objects.filter(incident=incident, kind=Kind.INCIDENT,
                                   state=Outreach.State.SENT).values("customer_id")  # fmt: skip
    sql, params = Customer.objects.filter(pk__in=told).values("id").query.sql_with_params()
    count = _enqueue(incident=incident, kind=Kind.INCIDENT_RESOLVED, customers_sql=sql,
                     params=list(params))  # fmt: skip
    event_record(kind="incident.resolved", actor=by, data={"incident": incident.pk,
                                                            "customers": count})  # fmt: skip
    _queue_sending()
    return count


def _queue_sending() -> None:
    from core.reactions import task_after_commit
    from outreach.tasks import outreach_send_due

    task_after_commit(outreach_send_due)


def incident_tickets_link(*, since: timedelta = timedelta(days=30), limit: int = 1000) -> int:
    """Tag and link new tickets of customers told about an open incident (beat sweep)."""
    linked = 0
    for incident in Incident.objects.filter(state=Incident.State.NOTIFIED):
        told = Outreach.objects.filter(incident=incident, kind=Kind.INCIDENT).values("customer_id")
        tickets = list(
            Ticket.objects.filter(
                customer_id__in=told, created_at__gte=incident.notified_at
            ).exclude(pk__in=incident.tickets.values("pk"))[:limit]
        )
        if not tickets:
            continue
        with transaction.atomic():
            incident.tickets.add(*tickets)
            ticket_tags_add(tickets=tickets, name=INCIDENT_TAG, by=None)
            for ticket in tickets:
                event_record(kind="incident.ticket_linked", ticket=ticket,
                             customer_id=ticket.customer_id,
                             data={"incident": incident.pk, "title": incident.title})  # fmt: skip
        linked += len(tickets)
    return linked
