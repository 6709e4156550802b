"""Write the plan: bulk inserts, parents before children, with the planned timestamps.

``created_at`` and ``updated_at`` fields fill themselves with "now" on insert
(``auto_now_add``, ``auto_now``); the history needs its own moments, so those fields are
switched off for the length of the load. Search vectors are left to the database
triggers, as for every other write."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, models
from psycopg2.extras import execute_values

from core.models import Event
from customers.models import ContactIdentity, Customer, CustomerNote, Order, OrderItem, OrderRefund
from helpdesk.demodata.shop import orders_numbered
from helpdesk.demodata.world import World
from loyalty.models import Coupon, GoodwillRequest, LedgerEntry, LoyaltyAccount
from surveys.models import RecoveryCase, SurveyInvitation, SurveyOptOut, SurveyResponse
from surveys.services import recovery_ticket_text
from tickets.models import Message, Ticket, TicketRead, TicketTag

BATCH = 2000
# Parents first: every foreign key points at a row already written.
ORDER = [
    Customer, ContactIdentity, CustomerNote, Order, OrderItem, OrderRefund, Ticket, Message,
    TicketTag, TicketRead, SurveyInvitation, SurveyResponse, RecoveryCase, SurveyOptOut,
    LoyaltyAccount, LedgerEntry, Coupon, GoodwillRequest,
]  # fmt: skip


@contextmanager
def explicit_timestamps(*model_classes: type[models.Model]) -> Iterator[None]:
    """Let rows keep the ``created_at``/``updated_at`` they were planned with."""
    fields = [
        field for model in model_classes for field in model._meta.concrete_fields
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False)
    ]  # fmt: skip
    saved = [(field, field.auto_now, field.auto_now_add) for field in fields]
    for field in fields:
        field.auto_now = field.auto_now_add = False
    try:
        yield
    finally:
        for field, auto_now, auto_now_add in saved:
            field.auto_now, field.auto_now_add = auto_now, auto_now_add


def _resolve(value: Any, shift: timedelta) -> Any:
    """Event data as the services store it: rows by their id, moments as ISO text on the
    real calendar, lazy values computed."""
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, datetime):
        return (value + shift).isoformat()
    if isinstance(value, dict):
        return {key: _resolve(item, shift) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_resolve(item, shift) for item in value]
    if callable(value):
        return value()
    return value


def _texts_fill(world: World) -> None:
    for row, attribute, template, context in world.texts:
        setattr(row, attribute, template.format_map(context))


def _recovery_texts(world: World, tickets: list[Ticket]) -> None:
    """Recovery tickets say what ``surveys.services`` says, in the lead's language;
    they name the original ticket's number, so they are written after it."""
    for ticket in tickets:
        invitation, response, lead = ticket.recovery_for
        language = world.staff_language[lead.username]
        ticket.subject, ticket.recovery_note = recovery_ticket_text(
            invitation=invitation, response=response, language=language
        )


def plan_write(world: World) -> dict[str, int]:
    """Insert every planned row and event; returns how many rows of each kind."""
    orders_numbered(world)
    _texts_fill(world)
    for coupon in world.rows[Coupon]:
        if getattr(coupon, "used_for_order_row", None) is not None:
            coupon.used_for_order = coupon.used_for_order_row.number
    _to_real_calendar(world)
    counts: dict[str, int] = {}
    with explicit_timestamps(*ORDER):
        for model in ORDER:
            rows = world.rows[model]
            if model is Ticket:
                _tickets_write(world, rows)
            else:
                if model is Message:
                    for message in rows:
                        if getattr(message, "recovery_note_for", None) is not None:
                            message.body_text = message.ticket.recovery_note
                if model is LedgerEntry:
                    for entry in rows:
                        entry.idempotency_key = entry.key_for()
                        entry.request_fingerprint = entry.fingerprint_for()
                        if entry.reason_for is not None:
                            entry.reason = entry.reason_for()[:500]
                model.objects.bulk_create(rows, batch_size=BATCH)
            counts[model._meta.verbose_name_plural] = len(rows)
    counts["events"] = _events_write(world)
    return counts


def _events_write(world: World) -> int:
    """The audit trail, oldest first, in one multi-row INSERT per batch: tens of
    thousands of rows, where building a model instance each would take most of the
    load's time."""
    rows = [
        (spec.kind, spec.actor.pk if spec.actor is not None else None,
         spec.ticket.pk if spec.ticket is not None else None,
         spec.customer.pk if spec.customer is not None else None,
         json.dumps(_resolve(spec.data, world.shift), cls=DjangoJSONEncoder),
         spec.at + world.shift)
        for spec in sorted(world.events, key=lambda spec: spec.at)
    ]  # fmt: skip
    table = Event._meta.db_table
    with connection.cursor() as cursor:
        execute_values(
            cursor.cursor,
            f"INSERT INTO {table} (kind, actor_id, ticket_id, customer_id, data, created_at) "  # noqa: S608 - our own table name
            "VALUES %s",
            rows, page_size=BATCH,
        )  # fmt: skip
    return len(rows)


def _to_real_calendar(world: World) -> None:
    """Move every moment of every planned row by the plan's shift (whole days)."""
    for model in ORDER:
        names = [f.attname for f in model._meta.concrete_fields
                 if isinstance(f, models.DateTimeField)]  # fmt: skip
        for row in world.rows[model]:
            for name in names:
                value = getattr(row, name)
                if value is not None:
                    setattr(row, name, value + world.shift)


def _tickets_write(world: World, tickets: list[Ticket]) -> None:
    """Customer tickets first, then the links between them (follow-ups, merges), then
    the recovery tickets, whose subjects name the tickets they are about."""
    plain = [t for t in tickets if getattr(t, "recovery_for", None) is None]
    Ticket.objects.bulk_create(plain, batch_size=BATCH)
    linked = []
    for ticket in plain:
        if ticket.follow_up_target is not None or ticket.merge_target is not None:
            ticket.follow_up_of, ticket.merged_into = ticket.follow_up_target, ticket.merge_target
            linked.append(ticket)
    Ticket.objects.bulk_update(linked, ["follow_up_of", "merged_into"], batch_size=BATCH)
    recovery = [t for t in tickets if getattr(t, "recovery_for", None) is not None]
    _recovery_texts(world, recovery)
    Ticket.objects.bulk_create(recovery, batch_size=BATCH)
