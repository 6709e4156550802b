"""``message_ingest``: the one service that decides what an inbound message means, on
any channel (messaging's ``inbound_ingest`` hook calls it for every parsed payload).

It finds or creates the customer from the contact identity, threads the message into
the conversations the adapter proved (email: only Message-IDs we issued, checked by
HMAC) when the sender is a participant of that ticket, routes a new ticket to a team,
applies loop protection, stores the message, and acknowledges a new ticket once.
"""

from __future__ import annotations

import copy
import hashlib
import logging
from collections.abc import Sequence
from datetime import datetime, timedelta

from django.conf import settings
from django.db import connection, transaction
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from core.config_cache import config_cached
from core.events import event_new, event_record, events_record
from core.i18n import language_for
from core.models import Event, Team
from core.rows import instances, json_row, json_rows, rows_select, select_together
from core.staff import staff_address_is
from customers.language import language_detect
from customers.models import ContactIdentity, Customer
from customers.services import address_normalise, customer_create_for_identity
from messaging.models import InboundPayload, OutboxMessage
from messaging.outbox import OutboxRefusedError, outbox_enqueue
from messaging.types import InboundMessage, header_value_clean
from tickets.models import Attachment, Flag, Message, RoutingRule, SlaClock, Ticket
from tickets.services import attachments_store
from tickets.sla import (
    sla_customer_wrote,
    sla_status_changed,
    sla_ticket_clocks_insert,
    sla_ticket_plan,
)

logger = logging.getLogger(__name__)

REOPENABLE = {Ticket.Status.SOLVED, Ticket.Status.PENDING, Ticket.Status.ON_HOLD}


def _is_participant(*, ticket: Ticket, identity: ContactIdentity) -> bool:
    """The ticket's customer, or someone who has already written on it (for example Cc)."""
    if identity.customer_id == ticket.customer_id:
        return True
    return ticket.messages.filter(sender=identity).exists()


def _thread(*, inbound: InboundMessage, identity: ContactIdentity) -> tuple[Ticket | None, bool]:
    """The ticket this message replies to and whether the sender was checked as a
    participant. Only conversations the adapter proved count (for email, our own
    HMAC-signed Message-IDs); a forged or foreign one falls through to a new ticket."""
    for ticket_id in inbound.conversation_ids:
        locked = rows_select(Ticket, where="t.id = %s", params=[ticket_id], lock="FOR UPDATE")
        if not locked:
            continue
        ticket = locked[0]
        if _is_participant(ticket=ticket, identity=identity):
            return _merge_target(ticket), True
        if inbound.is_bounce:
            # A bounce of our own mail comes from a mail system, never a participant;
            # it belongs on the ticket as an internal note and changes nothing else.
            return _merge_target(ticket), False
    return None, False


def _merge_target(ticket: Ticket) -> Ticket:
    """Where the conversation of a merged ticket went on: the customer answers the email
    they have, and it belongs in the ticket the agents now work."""
    seen = {ticket.pk}
    while ticket.merged_into_id and ticket.merged_into_id not in seen:
        seen.add(ticket.merged_into_id)
        ticket = Ticket.objects.select_for_update().get(pk=ticket.merged_into_id)
    return ticket


def _automatic_reason(inbound: InboundMessage) -> str:
    if inbound.sender_address.lower() in settings.SUPPORT_ADDRESSES:
        return "sent from one of our own support addresses"
    return inbound.automatic_reason


def _language(inbound: InboundMessage) -> str:
    """A new customer speaks the language their message says (Content-Language), else the
    one it is written in."""
    return inbound.language or language_detect(
        text=f"{inbound.subject}\n{inbound.text or inbound.text_original}", default="en"
    )


def team_route(*, channel: str, recipients: list[str]) -> Team | None:
    """The team a new ticket lands in: the first routing rule that matches an address
    the customer wrote to (or the channel), else the default team. The rules are read
    once per configuration change (``core.config_cache``)."""
    wanted = {address.strip().lower() for address in recipients}
    rules, default = config_cached("routing", _routing)
    for rule_channel, address, team in rules:
        if rule_channel and rule_channel != channel:
            continue
        if address and address not in wanted:
            continue
        return copy.copy(team)  # the caller's own row: the cached one stays as read
    return copy.copy(default)


def _routing() -> tuple[tuple[tuple[str, str, Team], ...], Team | None]:
    """The routing rules in order, as (channel, address, team), and the default team."""
    rules = tuple(
        (rule.channel, rule.address.strip().lower(), rule.team)
        for rule in RoutingRule.objects.select_related("team").order_by("position", "pk")
    )
    return rules, Team.objects.filter(is_default=True).first()


# The files of a message, as their SHA-256 digests (``_earlier_copy`` compares them).
_FILES = (
    f"(SELECT coalesce(array_agg(a.sha256), '{{}}') FROM {Attachment._meta.db_table} a "  # noqa: S608
    "WHERE a.message_id = m.id)"
)


def _sender(*, inbound: InboundMessage) -> tuple[Customer, ContactIdentity, list[Message]]:
    """The sender's customer and contact identity, made when the address is new, and
    what this sender already sent us under this message's Message-ID (each with its
    ``files``, sorted digests). A known sender's are read in one statement: every message
    asks both, and each round trip costs the worker more than the rows."""
    kind = inbound.identity_kind
    address = address_normalise(kind=kind, address=inbound.sender_address)
    message_id = inbound.message_id[:255]
    sender = "t.kind = %(kind)s AND t.address = %(address)s"
    parts = [
        json_rows(ContactIdentity, where=sender, order_by="t.id",
                  related={"customer": json_row(Customer, "t.customer_id")})
    ]  # fmt: skip
    if message_id:
        identities = ContactIdentity._meta.db_table
        identity_id = f"(SELECT t.id FROM {identities} t WHERE {sender})"  # noqa: S608
        parts.append(
            json_rows(Message, alias="m", order_by="m.id", related={"files": _FILES},
                      where=f"m.sender_id = {identity_id} AND m.external_id = %(message_id)s")
        )  # fmt: skip
    read = select_together(parts, {"kind": kind, "address": address, "message_id": message_id})
    identities = instances(ContactIdentity, read[0], customer=Customer)
    if identities:
        earlier = instances(Message, read[1], files=sorted) if message_id else []
        return identities[0].customer, identities[0], earlier
    customer, identity, created = customer_create_for_identity(
        kind=kind, address=address, display_name=inbound.sender_name,
        language=lambda: _language(inbound),
    )  # fmt: skip
    # A new address has sent nothing yet; one that another message created meanwhile may have.
    earlier = [] if created else _same_message_id(inbound=inbound, identity=identity)
    return customer, identity, earlier


def _same_message_id(*, inbound: InboundMessage, identity: ContactIdentity) -> list[Message]:
    """What this sender already sent us under this message's Message-ID."""
    if not inbound.message_id:
        return []
    earlier = list(
        Message.objects.filter(sender=identity, external_id=inbound.message_id[:255])
        .only("pk", "ticket_id", "body_original", "body_html")
        .prefetch_related("attachments")
        .order_by("pk")
    )
    for message in earlier:
        message.files = sorted(a.sha256 for a in message.attachments.all())
    return earlier


def _earlier_copy(*, inbound: InboundMessage, earlier: list[Message]) -> Message | None:
    """The message we have when this is the same mail again by another way in, whose
    trace headers (Received, Delivered-To) differ, so its raw bytes do: same sender,
    Message-ID, text, HTML and files. Never the Message-ID alone (the sender controls
    it): a new text under an old id is kept, and flagged."""
    if not earlier:
        return None
    files = sorted(hashlib.sha256(item.content).hexdigest() for item in inbound.attachments)
    for message in earlier:
        if (
            message.body_original == inbound.text_original
            and message.body_html == inbound.html
            and message.files == files
        ):
            return message
    return None


def _flags(*, inbound: InboundMessage, earlier: list[Message]) -> list[str]:
    """What the agent should be warned of about where this message came from."""
    flags = []
    if inbound.identity_kind == ContactIdentity.Kind.EMAIL and staff_address_is(
        inbound.sender_address
    ):
        flags.append(Flag.POSSIBLE_SPOOF)
    if any(message.body_original != inbound.text_original for message in earlier):
        flags.append(Flag.POSSIBLE_DUPLICATE)
    return flags


@transaction.atomic(savepoint=False)  # all-or-nothing with the caller's transaction
def message_ingest(*, inbound: InboundMessage, payload: InboundPayload | None = None) -> Message:
    """Turn one parsed inbound message into a ticket message; see the module docstring.

    Mail claiming to come from a staff address is flagged as a possible spoof: it never
    threads into a ticket as that agent, and gets no acknowledgement. A copy of a
    message we already have (see ``_earlier_copy``) changes nothing and returns that
    message."""
    customer, identity, earlier = _sender(inbound=inbound)
    if inbound.sender_name and not identity.display_name:
        identity.display_name = inbound.sender_name[:200]
        identity.save(update_fields=["display_name"])
    if (known := _earlier_copy(inbound=inbound, earlier=earlier)) is not None:
        logger.info("inbound %s is a copy of message %s", payload and payload.pk, known.pk)
        return known
    automatic = _automatic_reason(inbound)
    flags = _flags(inbound=inbound, earlier=earlier)
    spoof = Flag.POSSIBLE_SPOOF in flags
    ticket, participant = (None, False) if spoof else _thread(inbound=inbound, identity=identity)
    now = timezone.now()
    is_new = False
    clocks: list[SlaClock] = []
    created: Event | None = None  # the new ticket's event, recorded with the message's
    waiting = not automatic and not spoof  # a new ticket's customer waits for an answer
    if ticket is not None and ticket.status == Ticket.Status.CLOSED and participant:
        ticket, clocks, created = _ticket_create(
            inbound=inbound, customer=customer, follow_up_of=ticket, customer_waiting=waiting
        )
        is_new = True
    elif ticket is None:
        ticket, clocks, created = _ticket_create(
            inbound=inbound, customer=customer, follow_up_of=None, customer_waiting=waiting
        )
        is_new = True

    message = Message.objects.create(
        ticket=ticket, direction=Message.Direction.INBOUND, channel=inbound.channel,
        visibility=Message.Visibility.PUBLIC if participant or is_new
        else Message.Visibility.INTERNAL,
        sender=identity, body_text=inbound.text or inbound.text_original,
        body_original=inbound.text_original, body_html=inbound.html,
        external_id=inbound.message_id[:255], automatic=bool(automatic),
        inbound_payload=payload, flags=flags,
    )  # fmt: skip
    attachments_store(message=message, files=inbound.attachments)

    fields = ["last_activity_at", "updated_at"]
    ticket.last_activity_at = now
    reopened_from = None
    if is_new:
        fields = []  # created a moment ago with this activity time
    elif not automatic and ticket.status in REOPENABLE and participant:
        event_record(kind="ticket.reopened", ticket=ticket, customer=customer,
                     data={"from": ticket.status, "message": message.pk})  # fmt: skip
        reopened_from = ticket.status
        ticket.status = Ticket.Status.OPEN
        ticket.solved_at = None
        fields += ["status", "solved_at"]
    if fields:
        ticket.save(update_fields=fields)
    if is_new:
        clocks = sla_ticket_clocks_insert(ticket=ticket, clocks=clocks)
    elif not automatic and participant:
        if reopened_from is not None:
            sla_status_changed(ticket=ticket, old=reopened_from, at=now)
        sla_customer_wrote(ticket=ticket, at=now)
    received = event_new(
        kind="message.received", ticket=ticket, customer=customer,
        data={"message": message.pk, "channel": inbound.channel, "automatic": automatic,
              "threaded": not is_new, "flags": flags},
    )  # fmt: skip
    # A new ticket's events (opened, received, and its acknowledgement queued) go in with
    # one insert.
    events = [created, received] if created is not None else [received]
    if is_new and waiting:
        due = next((c.due_at for c in clocks if c.target == SlaClock.Target.FIRST_RESPONSE), None)
        ack_send(ticket=ticket, customer=customer, to=identity.address, inbound=inbound,
                 first_response_due=due, events=events)  # fmt: skip
    else:
        events_record(events)
    return message


def _ticket_create(
    *,
    inbound: InboundMessage,
    customer: Customer,
    follow_up_of: Ticket | None,
    customer_waiting: bool,
) -> tuple[Ticket, list[SlaClock], Event]:
    """The new ticket, inserted once with its SLA summary; its SLA clocks to insert
    (``sla_ticket_plan``); and its "ticket.created" event, for the caller to record with
    the message's in one insert."""
    team = (
        follow_up_of.team
        if follow_up_of and follow_up_of.team_id
        else team_route(channel=inbound.channel, recipients=inbound.recipients)
    )
    # One line whatever the channel handed over: it goes out in every reply's subject.
    subject = header_value_clean(inbound.subject)[:255]
    ticket = Ticket(
        customer=customer, subject=subject or _("(no subject)"),
        channel=inbound.channel, follow_up_of=follow_up_of, team=team,
    )  # fmt: skip
    clocks = sla_ticket_plan(ticket=ticket, at=timezone.now(), customer_waiting=customer_waiting)
    ticket.save(force_insert=True)
    created = event_new(
        kind="ticket.created", ticket=ticket, customer=customer,
        data={"channel": inbound.channel, "team": team.pk if team else None,
              "follow_up_of": follow_up_of.pk if follow_up_of else None},
    )  # fmt: skip
    return ticket, clocks, created


def ack_send(
    *,
    ticket: Ticket,
    customer: Customer,
    to: str,
    inbound: InboundMessage,
    first_response_due: datetime | None,
    events: Sequence[Event] = (),
) -> OutboxMessage | None:
    """Acknowledge a new ticket on the channel it came in on, at most once per sender
    per EMAIL_ACK_INTERVAL_HOURS; not at all on a channel that cannot deliver.
    ``first_response_due``: the ticket's first-response target, from the clocks it was
    opened with (no need to read them back). ``events``: the caller's, not yet recorded;
    they are recorded with the acknowledgement's own, or alone when none goes out."""
    with connection.cursor() as cursor:
        # Serialise acknowledgements per address so two first messages racing each other
        # still produce one acknowledgement.
        cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [f"ack:{to}"])
    since = timezone.now() - timedelta(hours=settings.EMAIL_ACK_INTERVAL_HOURS)
    if OutboxMessage.objects.filter(to=to, kind="ack", created_at__gte=since).exists():
        events_record(list(events))
        return None
    language = language_for(customer)
    subject, text = ack_render(
        ticket=ticket, customer=customer, language=language, due=first_response_due
    )
    headers = {}
    if inbound.message_id:
        headers = {"In-Reply-To": inbound.message_id, "References": inbound.message_id}
    try:
        return outbox_enqueue(
            channel=inbound.channel, to=to, subject=subject, text=text, customer=customer,
            ticket_id=ticket.pk, automatic=OutboxMessage.Automatic.AUTO_REPLIED, kind="ack",
            language=language, headers=headers, events=events,
        )  # fmt: skip
    except OutboxRefusedError:
        events_record(list(events))
        return None  # a channel we cannot answer on: no acknowledgement


def ack_render(
    *, ticket: Ticket, customer: Customer, language: str, due: datetime | None
) -> tuple[str, str]:
    """Subject and text of the acknowledgement, in the customer's language. ``due``: the
    first-response target of the ticket's SLA clock, in its team's business time."""
    zone = ticket.team.time_zone if ticket.team else settings.SHOP_TIME_ZONE
    with translation.override(language), timezone.override(zone):
        greeting = (
            _("Hello %(first_name)s,") % {"first_name": customer.first_name}
            if customer.first_name
            else _("Hello,")
        )
        subject = _("We have your message: %(subject)s [#%(ticket)s]") % {
            "subject": ticket.subject, "ticket": ticket.pk,
        }  # fmt: skip
        paragraphs = [
            greeting,
            _(
                "thank you for writing to us. Your message has arrived and we have opened "
                "ticket #%(ticket)s for it."
            )
            % {"ticket": ticket.pk},
            _ack_promise(due, zone),
            _(
                "If you would like to add something, simply reply to this email; it will "
                "go straight to your ticket."
            ),
            _("Kind regards,\nYour customer care team"),
        ]
    return subject[:255], "\n\n".join(paragraphs) + "\n"


def _ack_promise(due: datetime | None, zone: str) -> str:
    """When the customer will hear from us, in the active language and ``zone``."""
    if due is None:
        return _("A member of our team will read it and answer you personally.")
    local_due = timezone.localtime(due)
    when = ", ".join(
        [
            formats.date_format(local_due, "l"),
            formats.date_format(local_due, "DATE_FORMAT"),
            formats.time_format(local_due, "TIME_FORMAT"),
        ]
    )
    return _(
        "A member of our team will read it and answer you personally by "
        "%(when)s (%(zone)s time) at the latest."
    ) % {"when": when, "zone": zone}
