"""Every write to tickets, teams and agents goes through here."""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractUser, Group
from django.db import transaction
from django.utils import timezone

from customers.models import ContactIdentity, Customer
from helpdesk.services import event_record
from tickets.models import AgentProfile, Message, Team, Ticket


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


@transaction.atomic
def ticket_solve(*, ticket: Ticket, by: AbstractUser | None) -> Ticket:
    """Mark a ticket solved (idempotent)."""
    ticket = Ticket.objects.select_for_update().get(pk=ticket.pk)
    if ticket.status == Ticket.Status.SOLVED:
        return ticket
    now = timezone.now()
    ticket.status = Ticket.Status.SOLVED
    ticket.solved_at = now
    ticket.last_activity_at = now
    ticket.save(update_fields=["status", "solved_at", "last_activity_at", "updated_at"])
    event_record(kind="ticket.solved", actor=by, ticket=ticket)
    return ticket


@transaction.atomic
def ticket_reply(
    *, ticket: Ticket, author: AbstractUser, body_text: str, internal: bool = False
) -> Message:
    """An agent's public reply or internal note on the ticket's channel.

    Minimal version until the email channel's outbox lands: it stores the message and
    moves the ticket's clocks; sending is the outbox's job."""
    ticket = Ticket.objects.select_for_update().get(pk=ticket.pk)
    now = timezone.now()
    message = Message.objects.create(
        ticket=ticket, direction=Message.Direction.OUTBOUND, channel=ticket.channel,
        author=author, body_text=body_text,
        visibility=Message.Visibility.INTERNAL if internal else Message.Visibility.PUBLIC,
    )  # fmt: skip
    fields = ["last_activity_at", "updated_at"]
    ticket.last_activity_at = now
    if not internal and ticket.first_response_at is None:
        ticket.first_response_at = now
        fields.append("first_response_at")
    if not internal and ticket.status == Ticket.Status.NEW:
        ticket.status = Ticket.Status.OPEN
        fields.append("status")
    ticket.save(update_fields=fields)
    event_record(
        kind="ticket.note_added" if internal else "ticket.replied", actor=author, ticket=ticket,
        data={"message": message.pk},
    )  # fmt: skip
    return message
