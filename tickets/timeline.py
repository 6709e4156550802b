"""The ticket page's timeline: messages and the audit events worth reading, in the
agent's words, in a fixed number of queries however long the ticket is."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import BooleanField, ExpressionWrapper, Q, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from helpdesk.models import Event
from tickets.models import Message, Team, Ticket

# Past this many messages the page opens on the latest ones, with a link to the rest:
# a ticket that an email loop or many merges made huge still opens at once.
RECENT_MESSAGES = 100

# The audit events a timeline shows, by kind or by "kind:variant" (the event's data
# "kind" or "reason"), phrased to follow who did it. Other events stay in the audit log
# only: the message they belong to is on the timeline already (message.received,
# ticket.replied) or they are plumbing (email.queued, email.sent).
EVENT_LABELS = {
    "ticket.status_changed": gettext_lazy("changed the status"),
    "ticket.priority_changed": gettext_lazy("changed the priority"),
    "ticket.team_changed": gettext_lazy("moved the ticket to another team"),
    "ticket.assignee_changed": gettext_lazy("changed the assignee"),
    "ticket.tag_added": gettext_lazy("added a tag"),
    "ticket.tag_removed": gettext_lazy("removed a tag"),
    "ticket.merged_in": gettext_lazy("merged a ticket into this one"),
    "ticket.merged_away": gettext_lazy("merged this ticket into another"),
    "ticket.closed": gettext_lazy("closed the ticket"),
    "ticket.closed:auto": gettext_lazy("closed the ticket after a quiet period"),
    "ticket.reopened": gettext_lazy("replied and reopened the ticket"),
    "email.queued:ack": gettext_lazy("sent the automatic acknowledgement"),
    "email.failed": gettext_lazy("could not deliver an email"),
    "email.suppressed": gettext_lazy("did not send an email: the address bounced before"),
    "email.retry_requested": gettext_lazy("asked for an undelivered email to be sent again"),
    "survey.sent": gettext_lazy("sent the satisfaction survey"),
    "survey.answered": gettext_lazy("answered the satisfaction survey"),
    "survey.changed": gettext_lazy("changed the survey answer"),
    "survey.recovery_opened": gettext_lazy("opened a recovery ticket for a low score"),
    "survey.recovered": gettext_lazy("marked the unhappy customer as recovered"),
    "loyalty.earn": gettext_lazy("granted loyalty points"),
    "loyalty.goodwill_requested": gettext_lazy("asked a lead to approve goodwill points"),
    "loyalty.goodwill_approved": gettext_lazy("approved the goodwill points"),
    "loyalty.goodwill_rejected": gettext_lazy("turned down the goodwill points"),
    "loyalty.link_sent": gettext_lazy("emailed the customer the link to their loyalty page"),
}
# Events the customer caused: told as theirs, not the system's.
CUSTOMER_EVENTS = {"ticket.reopened", "survey.answered", "survey.changed"}
_KINDS = sorted({label.split(":")[0] for label in EVENT_LABELS})


@dataclass
class Timeline:
    entries: list[dict[str, Any]]
    earlier: bool  # older messages exist that are not in ``entries``


def ticket_messages(*, ticket: Ticket) -> QuerySet[Message]:
    """The conversation, newest first. The HTML and untrimmed originals stay in the
    database (``has_html`` says whether there is a formatted version to open)."""
    return (
        ticket.messages.select_related("author", "sender")
        .prefetch_related("attachments")
        .defer("body_html", "body_original")
        .annotate(has_html=ExpressionWrapper(~Q(body_html=""), output_field=BooleanField()))
        .order_by("-created_at", "-id")
    )


def ticket_timeline(*, ticket: Ticket, recent: int | None = RECENT_MESSAGES) -> Timeline:
    """Messages and events in one chronological list, the latest ``recent`` messages
    (all with None) and the events since the first of them: four queries at most
    (messages, attachments, events, and the names events mention)."""
    messages = ticket_messages(ticket=ticket)
    messages = list(messages if recent is None else messages[: recent + 1])
    earlier = recent is not None and len(messages) > recent
    messages = messages[:recent] if earlier else messages
    events = Event.objects.filter(ticket=ticket, kind__in=_KINDS).select_related("actor")
    if earlier:
        events = events.filter(created_at__gte=messages[-1].created_at)
    events = [e for e in events.order_by("created_at", "id") if _label(e) is not None]
    entries = [{"kind": "message", "at": m.created_at, "id": m.pk, "message": m} for m in messages]
    entries += [
        {"kind": "event", "at": e.created_at, "id": e.pk, "event": e, "who": who, "text": text}
        for e, (who, text) in zip(events, _event_lines(events, ticket), strict=True)
    ]
    entries.sort(key=lambda entry: (entry["at"], entry["kind"] == "event", entry["id"]))
    return Timeline(entries=entries, earlier=earlier)


def _label(event: Event) -> Any:
    data = event.data or {}
    variant = data.get("kind") or data.get("reason")
    return EVENT_LABELS.get(f"{event.kind}:{variant}") or EVENT_LABELS.get(event.kind)


def _names(model, ids: set) -> dict:
    if not ids:
        return {}
    return {obj.pk: getattr(obj, "get_full_name", lambda: "")() or str(obj)
            for obj in model.objects.filter(pk__in=ids)}  # fmt: skip


def _event_lines(events: list[Event], ticket: Ticket) -> list[tuple[str, str]]:
    """Who did it and what, one line per event; names of agents and teams in two
    queries at most, whatever the number of events."""

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

    lines = []
    for event in events:
        text = str(_label(event))
        data = event.data or {}
        if "to" in data and "from" in data:
            text += f": {value(event.kind, data['from'])} → {value(event.kind, data['to'])}"
        elif "tag" in data:
            text += f": {data['tag']}"
        elif "target" in data:
            text += f": #{data['source']} → #{data['target']}"
        elif "score" in data:
            text += f": {data['score']}"
        elif data.get("points"):
            text += f": {data['points']}"
        if event.actor is not None:
            who = event.actor.get_full_name() or event.actor.get_username()
        elif event.kind in CUSTOMER_EVENTS:
            who = str(ticket.customer)
        else:
            who = _("System")
        lines.append((who, text))
    return lines
