"""Reads of customers and their history, for the sidebar and the customer page.

Customers are not team-scoped (any agent may look one up), but the tickets shown with
them are always the viewer's scope."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractUser
from django.db.models import Q
from django.http import Http404
from django.utils import timezone

from core.hooks import Hook
from core.rows import instances, json_row, json_rows, select_together
from customers.models import (
    Consent,
    ContactIdentity,
    Customer,
    CustomerNote,
    Order,
    OrderItem,
    Product,
)

SOON = timedelta(days=14)


def customer_address(*, customer: Customer, kind: str) -> str | None:
    """The customer's address of one kind (email, phone, …): a verified one first, else
    the oldest."""
    return (
        ContactIdentity.objects.filter(customer=customer, kind=kind)
        .order_by("-verified", "created_at", "pk")
        .values_list("address", flat=True)
        .first()
    )


def customer_email_address(*, customer: Customer) -> str | None:
    """The address to email a customer at: a verified one first, else the oldest."""
    return customer_address(customer=customer, kind=ContactIdentity.Kind.EMAIL)


def customer_find(*, pk: int) -> Customer | None:
    return Customer.objects.filter(pk=pk).first()


def customer_get(*, pk: int) -> Customer:
    customer = customer_find(pk=pk)
    if customer is None:
        raise Http404("No such customer.")
    return customer


def customer_search(*, text: str, limit: int = 50) -> list[Customer]:
    """Customers by name, email address or phone number (prefix), newest first."""
    customers = Customer.objects.filter(merged_into__isnull=True)
    text = text.strip()
    if text:
        # Two index-served lookups instead of one OR with a subquery, which PostgreSQL
        # can only answer by scanning every customer.
        by_address = list(
            ContactIdentity.objects.filter(address__startswith=text.lower()).values_list(
                "customer_id", flat=True
            )[:limit]
        )
        name = Q()
        for word in text.split():
            name &= Q(first_name__istartswith=word) | Q(last_name__istartswith=word)
        customers = customers.filter(name | Q(pk__in=by_address))
    return list(customers.prefetch_related("identities").order_by("-id")[:limit])


def deadline_state(when: datetime | None, now: datetime) -> str:
    """'past', 'soon' (within two weeks) or 'open'; '' when there is no deadline."""
    if when is None:
        return ""
    if when < now:
        return "past"
    return "soon" if when - now <= SOON else "open"


@dataclass
class CustomerHistory:
    customer: Customer
    identities: list[ContactIdentity]
    consents: list[Consent]
    notes: list[CustomerNote]
    orders: list[Order]
    tickets: list[Any]
    panels: list[dict[str, Any]] = field(default_factory=list)


# --- The slot for later capabilities -------------------------------------------------------
#
# Surveys, loyalty and others add a panel to the customer sidebar and page without this
# app knowing them: in their AppConfig.ready() they call
#
#     customer_panel_register(loyalty.selectors.customer_loyalty_panel)
#
# with a function (customer, user, *, ticket=None) -> {"template": "loyalty/_customer_panel.html",
# "title": ..., "context": {...}} or None to show nothing. The template is included with
# ``panel`` as its context (templates/customers/_panels.html); the ready-made
# "customers/_panel_facts.html" shows ``{"facts": [(label, value), ...]}``. A panel
# function must run a fixed, small number of queries: it runs on every ticket page.

PanelProvider = Callable[..., dict[str, Any] | None]  # (customer, user, *, ticket)
customer_panel = Hook("customers.customer_panel", "(customer, user, *, ticket) -> panel | None")
customer_panel_register = customer_panel.register
customer_panel_unregister = customer_panel.unregister

customer_tickets = Hook(
    "customers.customer_tickets",
    "(customer, user, limit, columns) -> list: the customer's latest ``limit`` tickets this "
    "user may see, newest first, with only ``columns`` read (tickets registers it).",
)


def customer_panels(
    *, customer: Customer, user: AbstractUser, ticket: Any = None
) -> list[dict[str, Any]]:
    """The registered panels. Beside a ticket, ``ticket`` is the ticket on screen, so a
    panel can act on it (loyalty grants goodwill on that very ticket)."""
    return [panel for panel in customer_panel.call_all(customer, user, ticket=ticket) if panel]


# What the history's ticket list shows of each ticket.
TICKET_COLUMNS = ("id", "subject", "status", "created_at")


def customer_history(
    *,
    customer: Customer,
    user: AbstractUser,
    limit: int = 20,
    ticket: Any = None,
) -> CustomerHistory:
    """Everything an agent needs beside a ticket, in a fixed number of queries; the
    tickets are those the ``customer_tickets`` hook lets this user see."""

    now = timezone.now()
    identities, consents, notes, orders = _customer_lists(customer=customer, limit=limit)
    for order in orders:
        order.return_state = deadline_state(order.return_window_ends_at, now)
        order.warranty_state = deadline_state(order.warranty_ends_at, now)
    return CustomerHistory(
        customer=customer,
        identities=identities,
        consents=consents,
        notes=notes,
        orders=orders,
        tickets=customer_tickets.call_one(
            customer=customer, user=user, limit=limit, columns=TICKET_COLUMNS
        ),
        panels=customer_panels(customer=customer, user=user, ticket=ticket),
    )


def _customer_lists(*, customer: Customer, limit: int) -> tuple[list, list, list, list]:
    """The customer's addresses, consents, latest notes (with their authors) and latest
    orders (each with its ``lines``: items with their products), in one statement. Four
    lists of a few rows each cost far more in round trips and ORM work than in rows."""
    user = get_user_model()
    key = "t.customer_id = %(customer)s"
    lines = json_rows(OrderItem, alias="i", where="i.order_id = t.id", order_by="i.id",
                      related={"product": json_row(Product, "i.product_id")})  # fmt: skip
    parts = [
        json_rows(ContactIdentity, where=key, order_by="t.kind, t.address"),
        json_rows(Consent, where=key, order_by="t.purpose"),
        json_rows(CustomerNote, where=key, order_by="t.created_at DESC", limit=limit,
                  related={"author": json_row(user, "t.author_id")}),
        json_rows(Order, where=key, order_by="t.placed_at DESC", limit=limit,
                  related={"lines": lines}),
    ]  # fmt: skip
    identities, consents, notes, orders = select_together(parts, {"customer": customer.pk})
    return (
        instances(ContactIdentity, identities),
        instances(Consent, consents),
        instances(CustomerNote, notes, author=user),
        instances(Order, orders, lines=lambda rows: instances(OrderItem, rows, product=Product)),
    )


def customer_time_zone(*, customer: Customer) -> ZoneInfo:
    """The customer's time zone: their own when the shop told us, else their country's
    (its first zone, by population, for a country with several), else the shop's."""
    for name in (customer.time_zone, *_country_zones(customer.country)[:1]):
        if name:
            try:
                return ZoneInfo(name)
            except (ZoneInfoNotFoundError, ValueError):
                continue  # a zone this machine's tz database does not know
    return ZoneInfo(settings.SHOP_TIME_ZONE)


def _country_zones(country: str) -> list[str]:
    import pytz

    try:
        return list(pytz.country_timezones[country]) if country else []
    except KeyError:
        return []
