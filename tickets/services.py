"""Every write to tickets, teams and agents goes through here."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from uuid import UUID

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractUser, Group
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from customers.models import ContactIdentity, Customer
from customers.selectors import customer_email_address
from helpdesk.services import event_record
from tickets.channels import FileData
from tickets.models import AgentProfile, Attachment, Channel, Message, Team, Ticket


@transaction.atomic
def agent_create(
    *,
    username: str,
    email: str,
    password: str | None,
    role: str = AgentProfile.Role.AGENT,
    teams: Iterable[Team] = (),
    first_name: str = "",
    last_name: str = "",
    language: str = "en",
) -> AgentProfile:
    """Create a staff member with a role. Admins and leads may use the admin site."""
    user = get_user_model().objects.create_user(
        username=username, email=email, password=password, first_name=first_name,
        last_name=last_name,
    )  # fmt: skip
    profile = AgentProfile.objects.create(user=user, language=language)
    profile.teams.set(teams)
    agent_set_role(profile=profile, role=role)
    return profile


@transaction.atomic
def agent_set_role(*, profile: AgentProfile, role: str, by: AbstractUser | None = None) -> None:
    """Give a staff member a role: their group, admin-site access and superuser flag."""
    user = profile.user
    profile.role = role
    profile.save(update_fields=["role"])
    user.groups.remove(*Group.objects.filter(name__in=AgentProfile.Role.values))
    user.groups.add(Group.objects.get(name=role))
    user.is_staff = role in (AgentProfile.Role.LEAD, AgentProfile.Role.ADMIN)
    user.is_superuser = role == AgentProfile.Role.ADMIN
    user.save(update_fields=["is_staff", "is_superuser"])
    event_record(kind="agent.role_set", actor=by, data={"user": user.pk, "role": role})


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
    return ticket


def ticket_solve(*, ticket: Ticket, by: AbstractUser | None) -> Ticket:
    """Mark a ticket solved (idempotent); the same path as solving from the ticket page."""
    from tickets.workflow import ticket_update

    return ticket_update(ticket=ticket, by=by, status=Ticket.Status.SOLVED)


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
    return ticket


def _reply_address(ticket: Ticket) -> str | None:
    """Where a reply goes: the address the customer last wrote from, else their first."""
    last = (
        ticket.messages.filter(
            direction=Message.Direction.INBOUND, sender__kind=ContactIdentity.Kind.EMAIL
        )
        .select_related("sender")
        .order_by("-created_at", "-id")
        .first()
    )
    if last is not None and last.sender is not None:
        return last.sender.address
    return customer_email_address(customer=ticket.customer)


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
) -> Message:  # fmt: skip
    """An agent's public reply: the message, its files and its outbox row in one
    transaction, so the email (files attached) leaves if and only if the reply is saved.
    The same ``composer_token`` twice sends once."""
    from tickets.outbox import outbox_enqueue

    ticket = Ticket.objects.select_for_update().select_related("customer").get(pk=ticket.pk)
    if (sent := _already_sent(composer_token=composer_token)) is not None:
        return sent
    now = timezone.now()
    message = Message.objects.create(
        ticket=ticket, direction=Message.Direction.OUTBOUND, channel=ticket.channel,
        author=by, body_text=text, body_html=html, composer_token=composer_token,
    )  # fmt: skip
    attachments_store(message=message, files=attachments)
    to = _reply_address(ticket)
    if to is not None and ticket.channel == Channel.EMAIL:
        last_in = (
            ticket.messages.filter(direction=Message.Direction.INBOUND)
            .exclude(external_id="")
            .order_by("-created_at", "-id")
            .first()
        )
        headers = {}
        if last_in is not None:
            headers = {"In-Reply-To": last_in.external_id, "References": last_in.external_id}
        outbound = outbox_enqueue(
            to=to, subject=f"Re: {ticket.subject} [#{ticket.pk}]", text=text, html=html,
            customer=ticket.customer, ticket=ticket, message=message, kind="reply",
            language=ticket.customer.language, headers=headers,
        )  # fmt: skip
        message.external_id = outbound.message_id_header
        message.save(update_fields=["external_id"])
    fields = ["last_activity_at", "updated_at"]
    ticket.last_activity_at = now
    if ticket.first_response_at is None:
        ticket.first_response_at = now
        fields.append("first_response_at")
    if ticket.status == Ticket.Status.NEW:
        ticket.status = Ticket.Status.OPEN
        fields.append("status")
    ticket.save(update_fields=fields)
    event_record(kind="ticket.replied", actor=by, ticket=ticket, customer=ticket.customer,
                 data={"message": message.pk})  # fmt: skip
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
