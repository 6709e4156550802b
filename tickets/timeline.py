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
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from core.access import staff_name, staff_name_sql
from core.events import event_kind, event_kinds_told
from core.models import Event, Team
from core.rows import instances, json_row, json_rows, select_together
from customers.models import ContactIdentity
from tickets.models import Attachment, Message, Ticket

# Past this many messages the page opens on the latest ones, with a link to the rest:
# a ticket that an email loop or many merges made huge still opens at once.
RECENT_MESSAGES = 100


@dataclass
class Timeline:
    entries: list[dict[str, Any]]
    earlier: bool  # older messages exist that are not in ``entries``


# What the timeline shows of a message beside its columns: whether it has a formatted
# version, its author's names, its sender's display name, and its attachments as
# [[id, file name, size], ...]. The HTML and untrimmed originals stay in the database.
_MESSAGE_COLUMNS = ("id", "direction", "visibility", "channel", "flags", "body_text", "created_at")
_MESSAGE_MEMBERS = {
    "has_html": "t.body_html <> ''",
    "author": staff_name_sql("t.author_id"),
    "sender_name": (
        f"(SELECT s.display_name FROM {ContactIdentity._meta.db_table} s "  # noqa: S608
        "WHERE s.id = t.sender_id)"
    ),
    "files": (
        "(SELECT coalesce(json_agg(json_build_array(a.id, a.filename, a.size) "  # noqa: S608
        f"ORDER BY a.id), '[]') FROM {Attachment._meta.db_table} a WHERE a.message_id = t.id)"
    ),
}
_CREATED_AT = Message._meta.get_field("created_at")


@dataclass(slots=True, eq=False)
class TimelineMessage:
    """One message of the timeline, made from the values it shows: fifty messages with
    their authors and senders as model instances cost more than their query."""

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
    def of(cls, row: dict[str, Any]) -> TimelineMessage:
        author = row["author"]
        return cls(
            row["id"], row["direction"], row["visibility"], row["channel"], row["flags"],
            row["body_text"], _CREATED_AT.to_python(row["created_at"]),
            None if author is None else staff_name(*author), row["sender_name"],
            row["has_html"], tuple(tuple(file) for file in row["files"]),
        )  # fmt: skip


def ticket_timeline(*, ticket: Ticket, recent: int | None = RECENT_MESSAGES) -> Timeline:
    """Messages and events in one chronological list: the latest ``recent`` messages
    (all with None) and the events since the first of them. The messages (with their
    attachments) and the events come in one prepared statement (``core.rows``); the
    names of agents and teams that events mention take one more query each, when some do."""
    messages = Message._meta.db_table
    where = "t.ticket_id = %(ticket)s AND t.kind = ANY(%(kinds)s)"
    if recent is not None:  # when older messages are left out, so are their events
        more = (
            f"EXISTS (SELECT 1 FROM {messages} m WHERE m.ticket_id = %(ticket)s "  # noqa: S608
            f"OFFSET {int(recent)})"
        )
        oldest_shown = (
            f"(SELECT m.created_at FROM {messages} m WHERE m.ticket_id = %(ticket)s "  # noqa: S608
            f"ORDER BY m.created_at DESC, m.id DESC OFFSET {int(recent) - 1} LIMIT 1)"
        )
        where += f" AND (NOT {more} OR t.created_at >= {oldest_shown})"
    message_rows, event_rows = select_together(
        [
            json_rows(Message, where="t.ticket_id = %(ticket)s",
                      order_by="t.created_at DESC, t.id DESC",
                      limit=None if recent is None else recent + 1, columns=_MESSAGE_COLUMNS,
                      related=_MESSAGE_MEMBERS),
            json_rows(Event, where=where, order_by="t.created_at, t.id",
                      related={"actor": json_row(get_user_model(), "t.actor_id")}),
        ],
        {"ticket": ticket.pk, "kinds": event_kinds_told()},
    )  # fmt: skip
    earlier = recent is not None and len(message_rows) > recent
    if earlier:
        message_rows = message_rows[:recent]
    shown = [TimelineMessage.of(row) for row in message_rows]
    events = instances(Event, event_rows, actor=get_user_model())
    events = [event for event in events if _label(event) is not None]
    entries = [{"kind": "message", "at": m.created_at, "id": m.pk, "message": m} for m in shown]
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
