"""Scoped reads of tickets. Every view fetches tickets through these functions."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db.models import QuerySet
from django.http import Http404

from core.access import staff_scope
from messaging.models import OutboxMessage
from tickets.models import Message, Ticket


def ticket_scope(*, user: AbstractUser) -> QuerySet[Ticket]:
    """Tickets this user may see: admins all, agents and leads their teams' tickets and
    tickets assigned to them; users without an agent profile nothing."""
    return staff_scope(Ticket.objects.all(), user=user, team="team", assignee="assignee")


def ticket_list_recent(*, user: AbstractUser, limit: int = 50) -> list[Ticket]:
    return list(
        ticket_scope(user=user)
        .select_related("customer", "team", "assignee")
        .order_by("-last_activity_at", "-id")[:limit]
    )


def ticket_get(*, user: AbstractUser, pk: int) -> Ticket:
    """The ticket if this user may see it; 404 otherwise, never 403 (no existence leak)."""
    ticket = (
        ticket_scope(user=user).select_related("customer", "team", "assignee").filter(pk=pk).first()
    )
    if ticket is None:
        raise Http404("No such ticket.")
    return ticket


def message_html_get(*, user: AbstractUser, pk: int) -> str:
    """The sanitised HTML of a message on a ticket in the user's scope; 404 otherwise."""
    html = (
        Message.objects.filter(pk=pk, ticket__in=ticket_scope(user=user).values("pk"))
        .exclude(body_html="")
        .values_list("body_html", flat=True)
        .first()
    )
    if html is None:
        raise Http404("No such message.")
    return html


def attachment_get(*, user: AbstractUser, pk: int):
    """An attachment on a ticket in the user's scope; 404 otherwise."""
    from tickets.models import Attachment

    attachment = (
        Attachment.objects.select_related("message")
        .filter(pk=pk, message__ticket__in=ticket_scope(user=user).values("pk"))
        .first()
    )
    if attachment is None:
        raise Http404("No such attachment.")
    return attachment


def tickets_in_scope(*, user: AbstractUser, ids: list[int]) -> list[Ticket]:
    """All of these tickets, or 404 when any one is out of scope or missing: a bulk action
    never applies to part of a selection silently."""
    tickets = list(ticket_scope(user=user).filter(pk__in=ids).order_by("pk"))
    if not ids or len(tickets) != len(set(ids)):
        raise Http404("No such ticket.")
    return tickets


def macros_for(*, ticket: Ticket) -> QuerySet:
    from django.db.models import Q

    from tickets.models import Macro

    return Macro.objects.filter(Q(team__isnull=True) | Q(team=ticket.team_id)).order_by("name")


def assignable_agents(*, ticket: Ticket | None = None) -> QuerySet:
    from django.contrib.auth import get_user_model

    users = get_user_model().objects.filter(agent_profile__isnull=False, is_active=True)
    if ticket is not None and ticket.team_id:
        users = users.filter(agent_profile__teams=ticket.team_id)
    return users.order_by("first_name", "username")


def ticket_undelivered(*, ticket: Ticket) -> QuerySet[OutboxMessage]:
    """Messages of this ticket that did not (yet) arrive: failed, retrying or suppressed."""
    return OutboxMessage.objects.filter(
        ticket_id=ticket.pk, state__in=[OutboxMessage.State.FAILED,
        OutboxMessage.State.RETRYING, OutboxMessage.State.SUPPRESSED],
    ).order_by("-created_at")  # fmt: skip


def tickets_of_customer(*, customer, user: AbstractUser) -> QuerySet[Ticket]:
    """The customer's tickets this user may see, newest first (the customer page's)."""
    return ticket_scope(user=user).filter(customer=customer).order_by("-created_at", "-id")
