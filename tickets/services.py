"""Every write to tickets and their messages goes through here (the workspace's
property changes, tags and merges are in ``tickets.workflow``)."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from uuid import UUID

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.files.base import ContentFile
from django.db import connection, transaction
from django.utils import timezone

from core.access import agent_profile
from core.events import event_record
from core.models import Team
from customers.models import ContactIdentity, Customer
from customers.selectors import customer_address
from customers.services import customer_create
from messaging.adapters import NoAdapterError, adapter_for
from messaging.models import Channel
from messaging.outbox import outbox_enqueue, outbox_refusal
from messaging.types import FileData, StoredFile
from tickets.models import Attachment, Message, Ticket
from tickets.promises.services import promises_ticket_acted
from tickets.sla import sla_agent_replied, sla_ticket_opened


@transaction.atomic
def ticket_open(
    *,
    customer: Customer,
    subject: str,
    body_text: str,
    channel: str,
    team: Team | None = None,
    sender: ContactIdentity | None = None,
    priority: int = Ticket.Priority.NORMAL,
) -> Ticket:
    """Open a ticket with the customer's first message."""
    ticket = Ticket.objects.create(
        customer=customer, subject=subject[:255] or "(no subject)", channel=channel, team=team,
        priority=priority,
    )  # fmt: skip
    Message.objects.create(
        ticket=ticket, direction=Message.Direction.INBOUND, channel=channel, sender=sender,
        body_text=body_text,
    )  # fmt: skip
    event_record(kind="ticket.created", ticket=ticket, customer=customer, data={"channel": channel})
    sla_ticket_opened(ticket=ticket)
    return ticket


@transaction.atomic
def ticket_open_internal(
    *,
    customer: Customer,
    subject: str,
    note: str,
    team: Team | None,
    assignee: AbstractUser | None,
    channel: str = "email",
) -> Ticket:
    """Open a ticket on the shop's own initiative (no customer message yet), starting with
    an internal note that says why. Replies go out on ``channel``."""
    ticket = Ticket.objects.create(
        customer=customer, subject=subject[:255], channel=channel, team=team,
        assignee=assignee, status=Ticket.Status.OPEN, priority=Ticket.Priority.HIGH,
    )  # fmt: skip
    Message.objects.create(
        ticket=ticket, direction=Message.Direction.OUTBOUND, channel=channel,
        visibility=Message.Visibility.INTERNAL, body_text=note,
    )  # fmt: skip
    event_record(kind="ticket.created", ticket=ticket, customer=customer,
                 data={"channel": channel, "internal": True})  # fmt: skip
    sla_ticket_opened(ticket=ticket, customer_waiting=False)  # the shop spoke first
    return ticket


# How an agent's own ticket came about: a call, a visit or an email the shop sends first.
AGENT_CHANNELS = (Channel.PHONE, Channel.IN_PERSON, Channel.EMAIL)


@dataclass(frozen=True)
class NewCustomer:
    """A customer an agent enters while opening a ticket (a national phone number is
    read as one of ``region``)."""

    first_name: str
    last_name: str = ""
    email: str = ""
    phone: str = ""
    language: str = "en"
    region: str | None = None


@transaction.atomic
def ticket_open_by_agent(
    *, by: AbstractUser, channel: str, subject: str, text: str, team: Team | None,
    customer: Customer | None = None, new_customer: NewCustomer | None = None,
    composer_token: UUID | None = None,
) -> Ticket:  # fmt: skip
    """A ticket an agent opens themselves, assigned to them, for an existing customer or
    one entered now. After a phone call or a visit the first message is the agent's
    internal record of it (the customer was answered there and then); an outbound email
    is sent to the customer like a reply, and a refused one saves nothing (raises
    ``ReplyRefusedError``; a new customer's taken address raises ``IdentityTakenError``).
    The same ``composer_token`` twice opens one ticket."""
    if channel not in AGENT_CHANNELS:
        raise ValueError(f"an agent opens tickets on {AGENT_CHANNELS}, not {channel!r}")
    if (customer is None) == (new_customer is None):
        raise ValueError("give either a customer or a new customer")
    if composer_token is not None:
        # Two submits of one form wait for each other here, so the second finds the first.
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [composer_token.int >> 65])
        if (done := _already_sent(composer_token=composer_token)) is not None:
            return done.ticket
    if new_customer is not None:
        customer = customer_create(
            first_name=new_customer.first_name, last_name=new_customer.last_name,
            language=new_customer.language, email=new_customer.email,
            phone=new_customer.phone, by=by, region=new_customer.region,
        )  # fmt: skip
    now = timezone.now()
    live = channel != Channel.EMAIL
    ticket = Ticket.objects.create(
        customer=customer, subject=subject[:255], channel=channel, team=team, assignee=by,
        status=Ticket.Status.OPEN, first_response_at=now if live else None,
    )  # fmt: skip
    event_record(kind="ticket.created", actor=by, ticket=ticket, customer=customer,
                 data={"channel": channel, "by_agent": True})  # fmt: skip
    sla_ticket_opened(ticket=ticket, customer_waiting=False)
    if live:
        note = Message.objects.create(
            ticket=ticket, direction=Message.Direction.OUTBOUND, channel=channel, author=by,
            visibility=Message.Visibility.INTERNAL, body_text=text, composer_token=composer_token,
        )  # fmt: skip
        event_record(kind="ticket.note_added", actor=by, ticket=ticket, data={"message": note.pk})
    else:
        ticket_reply(ticket=ticket, by=by, text=text, composer_token=composer_token,
                     channel=Channel.EMAIL)  # fmt: skip
    return ticket


# The kind of contact identity a reply on each channel goes to.
REPLY_IDENTITY = {
    Channel.EMAIL: ContactIdentity.Kind.EMAIL,
    Channel.SMS: ContactIdentity.Kind.PHONE,
    Channel.PHONE: ContactIdentity.Kind.PHONE,
    Channel.WHATSAPP: ContactIdentity.Kind.WHATSAPP,
    Channel.CHAT: ContactIdentity.Kind.CHAT,
}


def reply_destination(*, ticket: Ticket, channel: str | None = None) -> str | None:
    """Where a reply on ``channel`` (the ticket's own by default) goes: the address the
    customer last wrote from on it, else their first address of that kind; None when
    there is none (or the channel has no kind of address, like the web form)."""
    channel = channel or ticket.channel
    kind = REPLY_IDENTITY.get(channel)
    if kind is None:
        return None
    last = (
        ticket.messages.filter(direction=Message.Direction.INBOUND, sender__kind=kind)
        .select_related("sender")
        .order_by("-created_at", "-id")
        .first()
    )
    if last is not None and last.sender is not None:
        return last.sender.address
    return customer_address(customer=ticket.customer, kind=kind)


def _has_adapter(channel: str) -> bool:
    try:
        adapter_for(channel)
    except NoAdapterError:
        return False
    return True


def reply_channels(*, ticket: Ticket, kinds: Iterable[str] | None = None) -> list[str]:
    """The channels a reply on this ticket can leave on, the ticket's own first: those
    with a connection here on which the customer has an address. A ticket of a phone
    call or a visit (no connection to answer on) is answered on another, by email say.
    One query, none when the caller has the kinds of the customer's addresses."""
    if kinds is None:
        kinds = ticket.customer.identities.values_list("kind", flat=True)
    kinds = set(kinds)
    candidates = [ticket.channel, *(c for c in REPLY_IDENTITY if c != ticket.channel)]
    return [
        channel
        for channel in candidates
        if REPLY_IDENTITY.get(channel) in kinds and _has_adapter(channel)
    ]


def reply_channel_default(*, ticket: Ticket) -> str:
    """The channel a reply goes out on unless the agent picks another: the ticket's own
    when it can deliver, else the first that can; the ticket's own when none can (the
    refusal then names it)."""
    return next(iter(reply_channels(ticket=ticket)), ticket.channel)


class ReplyRefusedError(ValueError):
    """A reply that cannot be delivered; nothing was saved. ``str(error)`` says why."""


def attachments_store(*, message: Message, files: Sequence[FileData]) -> list[Attachment]:
    """Keep files with a message under server-generated names; the sender's name is only
    ever displayed (and served as a download, never inline)."""
    stored = []
    for item in files:
        attachment = Attachment(
            message=message, filename=item.filename[:255], content_type=item.content_type[:255],
            size=len(item.content), sha256=hashlib.sha256(item.content).hexdigest(),
        )  # fmt: skip
        attachment.file.save(item.filename, ContentFile(item.content), save=False)
        attachment.save()
        stored.append(attachment)
    return stored


def _already_sent(*, composer_token: UUID | None) -> Message | None:
    """The message this composer already produced (a double submit), if any; it may have
    moved to another ticket by a merge since. Callers hold the ticket's row lock, so two
    submits of one composer cannot both miss it."""
    if composer_token is None:
        return None
    return Message.objects.filter(composer_token=composer_token).first()


@transaction.atomic
def ticket_reply(
    *, ticket: Ticket, by: AbstractUser, text: str, html: str = "",
    composer_token: UUID | None = None, attachments: Sequence[FileData] = (),
    channel: str | None = None,
) -> Message:  # fmt: skip
    """An agent's public reply, sent on ``channel`` (by default the ticket's own, or the
    first that can deliver: ``reply_channel_default``): the message, its files and its
    outbox row in one transaction, so the reply leaves if and only if it is saved.
    The same ``composer_token`` twice sends once. Raises ``ReplyRefusedError`` (and saves
    nothing) when the channel cannot deliver it: no adapter, no address, too long. An
    unassigned ticket becomes the replying agent's (``REPLY_ASSIGNS_UNASSIGNED``)."""
    ticket = Ticket.objects.select_for_update().select_related("customer").get(pk=ticket.pk)
    if (sent := _already_sent(composer_token=composer_token)) is not None:
        return sent
    channel = channel or reply_channel_default(ticket=ticket)
    to = reply_destination(ticket=ticket, channel=channel)
    refusal = outbox_refusal(channel=channel, to=to, text=text, files=len(attachments))
    if refusal:
        raise ReplyRefusedError(refusal)
    now = timezone.now()
    message = Message.objects.create(
        ticket=ticket, direction=Message.Direction.OUTBOUND, channel=channel,
        author=by, body_text=text, body_html=html, composer_token=composer_token,
    )  # fmt: skip
    stored = attachments_store(message=message, files=attachments)
    inbound = ticket.messages.filter(direction=Message.Direction.INBOUND)
    headers = {}
    if channel == Channel.EMAIL:
        last_in = (
            inbound.filter(channel=Channel.EMAIL)
            .exclude(external_id="")
            .order_by("-created_at", "-id")
            .first()
        )
        if last_in is not None:
            headers = {"In-Reply-To": last_in.external_id, "References": last_in.external_id}
    # "Re:" only answers something: the first email of a ticket the shop opened has none.
    subject = f"{ticket.subject} [#{ticket.pk}]"
    if inbound.exists():
        subject = f"Re: {subject}"
    outbox = outbox_enqueue(
        channel=channel, to=to, subject=subject,
        text=text, html=html, customer=ticket.customer, ticket_id=ticket.pk,
        message_id=message.pk, kind="reply", language=ticket.customer.language,
        headers=headers,
        attachments=[StoredFile(filename=a.filename, content_type=a.content_type,
                                path=a.file.name) for a in stored],
    )  # fmt: skip
    message.external_id = outbox.message_id_header
    message.save(update_fields=["external_id"])
    fields = ["last_activity_at", "updated_at"]
    ticket.last_activity_at = now
    if ticket.first_response_at is None:
        ticket.first_response_at = now
        fields.append("first_response_at")
    if ticket.status == Ticket.Status.NEW:
        ticket.status = Ticket.Status.OPEN
        fields.append("status")
    assign = (
        ticket.assignee_id is None
        and settings.REPLY_ASSIGNS_UNASSIGNED
        and agent_profile(by) is not None
    )
    if assign:
        ticket.assignee = by
        fields.append("assignee")
    ticket.save(update_fields=fields)
    sla_agent_replied(ticket=ticket, at=now)
    event_record(kind="ticket.replied", actor=by, ticket=ticket, customer=ticket.customer,
                 data={"message": message.pk})  # fmt: skip
    if assign:
        event_record(kind="ticket.assignee_changed", actor=by, ticket=ticket,
                     data={"from": None, "to": by.pk, "reason": "reply"})  # fmt: skip
    promises_ticket_acted(ticket=ticket, by=by, action="reply", now=now,
                          composer_token=composer_token)  # fmt: skip
    return message


@transaction.atomic
def ticket_call_log(
    *, ticket: Ticket, by: AbstractUser, text: str, composer_token: UUID | None = None,
    attachments: Sequence[FileData] = (),
) -> Message:  # fmt: skip
    """A phone call with the customer, logged by the agent who made or took it: an
    internal record on the phone channel (nothing is sent). It counts as acting on the
    ticket, so it keeps the agent's promises due later ("we will call you tomorrow")."""
    ticket = Ticket.objects.select_for_update().get(pk=ticket.pk)
    if (added := _already_sent(composer_token=composer_token)) is not None:
        return added
    now = timezone.now()
    message = Message.objects.create(
        ticket=ticket, direction=Message.Direction.OUTBOUND, channel=Channel.PHONE,
        author=by, body_text=text, visibility=Message.Visibility.INTERNAL,
        composer_token=composer_token,
    )  # fmt: skip
    attachments_store(message=message, files=attachments)
    ticket.last_activity_at = now
    ticket.save(update_fields=["last_activity_at", "updated_at"])
    event_record(kind="ticket.call_logged", actor=by, ticket=ticket, data={"message": message.pk})
    promises_ticket_acted(ticket=ticket, by=by, action="call", now=now,
                          composer_token=composer_token)  # fmt: skip
    return message


@transaction.atomic
def ticket_note_add(
    *, ticket: Ticket, by: AbstractUser, text: str, composer_token: UUID | None = None,
    attachments: Sequence[FileData] = (),
) -> Message:  # fmt: skip
    """An internal note: seen by agents only, never sent, no effect on response clocks."""
    ticket = Ticket.objects.select_for_update().get(pk=ticket.pk)
    if (added := _already_sent(composer_token=composer_token)) is not None:
        return added
    message = Message.objects.create(
        ticket=ticket, direction=Message.Direction.OUTBOUND, channel=ticket.channel,
        author=by, body_text=text, visibility=Message.Visibility.INTERNAL,
        composer_token=composer_token,
    )  # fmt: skip
    attachments_store(message=message, files=attachments)
    ticket.last_activity_at = timezone.now()
    ticket.save(update_fields=["last_activity_at", "updated_at"])
    event_record(kind="ticket.note_added", actor=by, ticket=ticket, data={"message": message.pk})
    return message


def tickets_customer_merge(*, source: Customer, target: Customer) -> dict[str, int]:
    """Move a merged duplicate's tickets to the customer who stays (inside
    ``customer_merge``'s transaction)."""
    return {"tickets": Ticket.objects.filter(customer=source).update(customer=target)}
