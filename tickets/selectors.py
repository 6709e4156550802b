"""Scoped reads of tickets. Every view fetches tickets through these functions."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db.models import BooleanField, ExpressionWrapper, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from tickets.models import AgentProfile, Message, Ticket


def agent_profile(user: AbstractUser) -> AgentProfile | None:
    if not user.is_authenticated:
        return None
    try:
        return user.agent_profile
    except AgentProfile.DoesNotExist:
        return None


def agent_team_ids(user: AbstractUser) -> list[int]:
    """The user's team ids, read once per request (the profile is cached on the user)."""
    profile = agent_profile(user)
    if profile is None:
        return []
    if not hasattr(profile, "_team_ids"):
        profile._team_ids = list(profile.teams.values_list("pk", flat=True))
    return profile._team_ids


def ticket_scope(*, user: AbstractUser) -> QuerySet[Ticket]:
    """Tickets this user may see: admins all, agents and leads their teams' tickets and
    tickets assigned to them; users without an agent profile nothing."""
    profile = agent_profile(user)
    if profile is None:
        return Ticket.objects.none()
    if profile.role == AgentProfile.Role.ADMIN:
        return Ticket.objects.all()
    return Ticket.objects.filter(Q(team_id__in=agent_team_ids(user)) | Q(assignee=user))


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
    """The conversation, oldest first. The HTML and untrimmed originals stay in the
    database (``has_html`` says whether there is a formatted version to open)."""
    return (
        ticket.messages.select_related("author", "sender")
        .prefetch_related("attachments")
        .defer("body_html", "body_original")
        .annotate(has_html=ExpressionWrapper(~Q(body_html=""), output_field=BooleanField()))
        .order_by("created_at", "id")
    )


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


def ticket_timeline(*, ticket: Ticket) -> list[dict]:
    """Messages and audit events in one chronological list: three queries whatever the
    ticket's length (messages, their attachments, events)."""
    from helpdesk.models import Event

    entries = [
        {"kind": "message", "at": m.created_at, "id": m.pk, "message": m}
        for m in ticket_messages(ticket=ticket)
    ]
    events = [
        e
        for e in Event.objects.filter(ticket=ticket)
        .select_related("actor")
        .order_by("created_at", "id")
        if e.kind not in ("ticket.replied", "ticket.note_added", "ticket.created")
    ]
    entries += [
        {"kind": "event", "at": e.created_at, "id": e.pk, "event": e, "text": text}
        for e, text in zip(events, _event_texts(events), strict=True)
    ]
    entries.sort(key=lambda entry: (entry["at"], entry["kind"] == "event", entry["id"]))
    return entries


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


EVENT_LABELS = {
    "ticket.status_changed": _("changed the status"),
    "ticket.priority_changed": _("changed the priority"),
    "ticket.team_changed": _("moved the ticket to another team"),
    "ticket.assignee_changed": _("changed the assignee"),
    "ticket.tag_added": _("added a tag"),
    "ticket.tag_removed": _("removed a tag"),
    "ticket.merged_in": _("merged a ticket into this one"),
    "ticket.merged_away": _("merged this ticket into another"),
    "ticket.closed": _("closed the ticket"),
}


def _names(model, ids: set) -> dict:
    if not ids:
        return {}
    return {obj.pk: getattr(obj, "get_full_name", lambda: "")() or str(obj)
            for obj in model.objects.filter(pk__in=ids)}  # fmt: skip


def _event_texts(events: list) -> list[str]:
    """One readable line per audit event; names of agents and teams in two queries at
    most, whatever the number of events."""
    from django.contrib.auth import get_user_model

    from tickets.models import Team

    def ids(kind: str) -> set:
        return {v for e in events if e.kind == kind
                for v in (e.data.get("from"), e.data.get("to")) if v}  # fmt: skip

    users = _names(get_user_model(), ids("ticket.assignee_changed"))
    teams = _names(Team, ids("ticket.team_changed"))

    def value(kind: str, raw: object) -> str:
        if raw in (None, ""):
            return "–"
        if kind == "ticket.status_changed" and raw in Ticket.Status.values:
            return str(Ticket.Status(raw).label)
        if kind == "ticket.priority_changed" and raw in Ticket.Priority.values:
            return str(Ticket.Priority(raw).label)
        if kind == "ticket.assignee_changed":
            return users.get(raw, f"#{raw}")
        if kind == "ticket.team_changed":
            return teams.get(raw, f"#{raw}")
        return str(raw)

    texts = []
    for event in events:
        text = str(EVENT_LABELS.get(event.kind, event.kind))
        data = event.data or {}
        if "to" in data and "from" in data:
            text += f": {value(event.kind, data['from'])} → {value(event.kind, data['to'])}"
        elif "tag" in data:
            text += f": {data['tag']}"
        elif "target" in data:
            text += f": #{data['source']} → #{data['target']}"
        texts.append(text)
    return texts


def ticket_undelivered_emails(*, ticket: Ticket) -> QuerySet:
    """Emails of this ticket that did not (yet) arrive: failed, retrying or suppressed."""
    from tickets.models import OutboundEmail

    return ticket.outbound_emails.filter(
        state__in=[OutboundEmail.State.FAILED, OutboundEmail.State.RETRYING,
                   OutboundEmail.State.SUPPRESSED]
    ).order_by("-created_at")  # fmt: skip
