"""The ticket page's timeline: messages and the audit events worth reading, in the
agent's words, in a fixed number of queries however long the ticket is.

Which events are worth reading, and in which words, each app declares for its own kinds
(``core.events.event_kinds_declare`` in its ``ready()``); other events stay in the audit
log only (the message they belong to is on the timeline already, or they are plumbing)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, ClassVar

from django.contrib.auth import get_user_model
from django.db.models import BooleanField, ExpressionWrapper, Q, QuerySet
from django.db.models.expressions import RawSQL
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from core.access import staff_name
from core.events import event_kind, event_kinds_told
from core.models import Event, Team
from tickets.models import Attachment, Message, Ticket

# Past this many messages the page opens on the latest ones, with a link to the rest:
# a ticket that an email loop or many merges made huge still opens at once.
RECENT_MESSAGES = 100


@dataclass
class Timeline:
    entries: list[dict[str, Any]]
    earlier: bool  # older messages exist that are not in ``entries``


# Each message's attachments as [[id, file name, size], ...], read with the message.
_FILES = RawSQL(  # noqa: S611 - names from the models, no input
    f"SELECT coalesce(json_agg(json_build_array(a.id, a.filename, a.size) ORDER BY a.id), "  # noqa: S608
    f"'[]') FROM {Attachment._meta.db_table} a WHERE a.message_id = {Message._meta.db_table}.id",
    (),
)
_COLUMNS = (
    "id", "direction", "visibility", "channel", "flags", "body_text", "created_at",
    "author__first_name", "author__last_name", "author__username", "sender__display_name",
)  # fmt: skip


@dataclass(slots=True, eq=False)
class TimelineMessage:
    """One message of the timeline, made from the values it shows: fifty messages with
    their authors and senders as model instances cost more than their query. The HTML
    and untrimmed originals stay in the database (``has_html`` says whether there is a
    formatted version to open)."""

    id: int
    direction: str
    visibility: str
    channel: str
    flags: list[str]
    body_text: str
    created_at: datetime
    author_name: str | None  # the agent's (staff_name)
    sender_name: str | None  # the sender identity's display name, when it has one
    has_html: bool
    files: tuple[tuple[int, str, int], ...]  # (id, file name, size)
    # The channel badge reads the channel's label from the message's field.
    _meta: ClassVar = Message._meta

    @property
    def pk(self) -> int:
        return self.id

    flag_labels = Message.flag_labels  # the warnings of ``flags``, as a message words them

    @classmethod
    def of(cls, values: tuple) -> TimelineMessage:
        (pk, direction, visibility, channel, flags, body, created, first, last, username,
         sender_name, has_html, files) = values  # fmt: skip
        author = None if username is None else staff_name(first, last, username)
        return cls(pk, direction, visibility, channel, flags, body, created, author,
                   sender_name, has_html, tuple(tuple(row) for row in files))  # fmt: skip


def ticket_messages(*, ticket: Ticket) -> QuerySet[Message]:
    """The conversation as the values its timeline shows, newest first."""
    return (
        ticket.messages.annotate(
            has_html=ExpressionWrapper(~Q(body_html=""), output_field=BooleanField()),
            file_rows=_FILES,
        )
        .order_by("-created_at", "-id")
        .values_list(*_COLUMNS, "has_html", "file_rows")
    )


def ticket_timeline(*, ticket: Ticket, recent: int | None = RECENT_MESSAGES) -> Timeline:
    """Messages and events in one chronological list, the latest ``recent`` messages
    (all with None) and the events since the first of them: four queries at most
    (messages with their attachments, events, and the names of agents and teams events
    mention)."""
    messages = ticket_messages(ticket=ticket)
    messages = list(messages if recent is None else messages[: recent + 1])
    earlier = recent is not None and len(messages) > recent
    messages = [TimelineMessage.of(row) for row in (messages[:recent] if earlier else messages)]
    events = Event.objects.filter(ticket_id=ticket.pk, kind__in=event_kinds_told())
    events = events.select_related("actor")
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
    kind = event_kind(event.kind)
    return kind.label_for(event.data or {}) if kind is not None else None


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
        elif data.get("until") and (until := parse_datetime(str(data["until"]))) is not None:
            # A postponed message: until when ("quiet hours: until 2 Dec, 08:00").
            text += ": " + _("until %(when)s") % {
                "when": date_format(timezone.localtime(until), "SHORT_DATETIME_FORMAT")
            }
        if event.actor is not None:
            who = event.actor.get_full_name() or event.actor.get_username()
        elif (kind := event_kind(event.kind)) is not None and kind.by_customer:
            who = str(ticket.customer)
        else:
            who = _("System")
        lines.append((who, text))
    return lines
