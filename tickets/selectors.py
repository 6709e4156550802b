"""Scoped reads of tickets. Every view fetches tickets through these functions."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db.models import QuerySet
from django.http import Http404

from tickets.models import AgentProfile, Message, Ticket


def agent_profile(user: AbstractUser) -> AgentProfile | None:
    if not user.is_authenticated:
        return None
    try:
        return user.agent_profile
    except AgentProfile.DoesNotExist:
        return None


def ticket_scope(*, user: AbstractUser) -> QuerySet[Ticket]:
    """Tickets this user may see: admins all, agents and leads their teams' tickets and
    tickets assigned to them; users without an agent profile nothing."""
    profile = agent_profile(user)
    if profile is None:
        return Ticket.objects.none()
    if profile.role == AgentProfile.Role.ADMIN:
        return Ticket.objects.all()
    team_ids = list(profile.teams.values_list("pk", flat=True))
    return Ticket.objects.filter(team_id__in=team_ids) | Ticket.objects.filter(assignee=user)


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


def ticket_messages(*, ticket: Ticket) -> QuerySet[Message]:
    return (
        ticket.messages.select_related("author", "sender")
        .prefetch_related("attachments")
        .order_by("created_at", "id")
    )
