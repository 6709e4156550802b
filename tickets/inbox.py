"""The inbox as a selector: saved views, allowlisted filters, sorting, keyset pagination
and full-text search, always inside the user's ticket scope.

Query budget per page, whatever its size: one for the rows (only the columns a row shows,
customer and assignee joined, unread state as an EXISTS, read as plain values), one for the
rows' tag names.
Keyset pagination compares row values against the last row of the previous page, so page
2,000 costs what page 1 costs."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import ClassVar

from django.contrib.auth.models import AbstractUser
from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.db.models.fields.tuple_lookups import Tuple, TupleGreaterThan, TupleLessThan
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.access import agent_team_ids, staff_name
from core.models import Event
from core.params import datetime_param, ids_param, int_param, text_param
from core.rows import select_together
from customers.models import Customer
from messaging.models import Channel
from tickets.models import Tag, Ticket, TicketRead, TicketTag
from tickets.selectors import ticket_scope

UNSOLVED = [Ticket.Status.NEW, Ticket.Status.OPEN, Ticket.Status.PENDING, Ticket.Status.ON_HOLD]

# Saved views: the name in the URL, its label, and the filter it stands for.
VIEWS: dict[str, tuple[str, object]] = {
    "mine": (_("My open tickets"), lambda user: Q(assignee=user, status__in=UNSOLVED)),
    "unassigned": (_("Unassigned"), lambda user: Q(assignee__isnull=True, status__in=UNSOLVED)),
    "my_teams": (_("My teams"), lambda user: Q(team__in=agent_team_ids(user), status__in=UNSOLVED)),
    "all_open": (_("All open"), lambda user: Q(status__in=UNSOLVED)),
    "pending": (_("Pending"), lambda user: Q(status=Ticket.Status.PENDING)),
    "on_hold": (_("On hold"), lambda user: Q(status=Ticket.Status.ON_HOLD)),
    # SLA: a running clock past the share of its target that makes it at risk, or past due.
    "at_risk": (
        _("At risk"),
        lambda user: Q(sla_at_risk_at__lte=timezone.now(), sla_due__gt=timezone.now()),
    ),
    "breached": (_("Overdue"), lambda user: Q(sla_due__lte=timezone.now())),
    # Solving is activity, so a ticket solved since then was active since then too: the
    # activity bound lets the list walk the newest solved tickets instead of sorting all.
    "solved": (
        _("Recently solved"),
        lambda user: Q(
            status=Ticket.Status.SOLVED,
            solved_at__gte=timezone.now() - timedelta(days=7),
            last_activity_at__gte=timezone.now() - timedelta(days=7),
        ),
    ),
}
DEFAULT_VIEW = "all_open"

# What a row shows, and the columns the sorts page on: a row reads nothing else.
# The columns a row shows, in InboxRow's order (is_unread and the rank are annotations).
ROW_COLUMNS = (
    "id", "subject", "status", "priority", "channel", "sla_due", "sla_at_risk_at",
    "last_activity_at", "created_at", "customer_id", "customer__first_name",
    "customer__last_name", "assignee__first_name", "assignee__last_name", "assignee__username",
)  # fmt: skip

# Sort key → the descending column tuple the keyset runs on (id last breaks ties).
SORTS: dict[str, tuple[str, tuple[str, ...]]] = {
    "activity": (_("Last activity"), ("last_activity_at", "id")),
    "created": (_("Created"), ("created_at", "id")),
    "priority": (_("Priority"), ("priority", "last_activity_at", "id")),
    "due": (_("Due"), ("sla_due", "id")),
}
# Sorts that run ascending, empty values last: the soonest due first, no due time at the end.
ASCENDING = {"due"}
# The sort a view opens with when the URL names none.
VIEW_SORT = {"at_risk": "due", "breached": "due"}
DATETIME_COLUMNS = {"last_activity_at", "created_at", "sla_due"}
FILTER_KEYS = ("view", "status", "priority", "channel", "team", "assignee", "tag", "customer", "q",
               "sort", *(f"{m}_{e}" for m in ("created", "responded", "solved", "reopened")
                         for e in ("from", "to")))  # fmt: skip
# Moments a list can be narrowed to a range of (the dashboards' numbers link to them):
# URL prefix → the ticket's column. A range is [from, to), ISO 8601 with its offset.
RANGES = {"created": "created_at", "responded": "first_response_at", "solved": "solved_at",
          "reopened": None}  # fmt: skip
RANGE_LABELS = {"created": _("Created"), "responded": _("First response"), "solved": _("Solved"),
                "reopened": _("Reopened")}  # fmt: skip
# A reopening: the customer wrote to a solved ticket, or someone set it back from solved.
REOPENED = Q(kind="ticket.reopened") | (
    Q(kind="ticket.status_changed", data__from__in=["solved", "closed"])
    & ~Q(data__to__in=["solved", "closed"])
)
PAGE_SIZES = (10, 25, 50, 100)
SEARCH_CONFIGS = ("english", "german", "turkish", "simple")
SEARCH_CANDIDATES = 200


@dataclass
class InboxQuery:
    """The inbox request after validation; unknown keys and values are dropped."""

    view: str = DEFAULT_VIEW
    status: list[str] = field(default_factory=list)
    priority: list[int] = field(default_factory=list)
    channel: list[str] = field(default_factory=list)
    team: list[int] = field(default_factory=list)
    assignee: str = ""  # "me", "none" or a user id
    tag: str = ""
    customer: int | None = None
    q: str = ""
    sort: str = "activity"
    size: int = 50
    after: str = ""
    ranges: dict[str, tuple[datetime | None, datetime | None]] = field(default_factory=dict)

    @classmethod
    def from_querydict(cls, params: QueryDict) -> InboxQuery:
        query = cls()
        if params.get("view") in VIEWS or params.get("view") == "none":
            query.view = params["view"]
        query.status = [s for s in params.getlist("status") if s in Ticket.Status.values]
        query.priority = [
            p for p in map(int_param, params.getlist("priority")) if p in Ticket.Priority.values
        ]
        query.channel = [c for c in params.getlist("channel") if c in Channel.values]
        query.team = ids_param(params.getlist("team"))
        assignee = params.get("assignee", "")
        if assignee in ("me", "none") or int_param(assignee):
            query.assignee = assignee
        query.tag = text_param(params.get("tag")).lower()[:50]
        query.customer = int_param(params.get("customer"))
        query.q = text_param(params.get("q"))[:200]
        if params.get("sort") in SORTS:
            query.sort = params["sort"]
        elif query.view in VIEW_SORT:
            query.sort = VIEW_SORT[query.view]
        if (size := int_param(params.get("size"))) in PAGE_SIZES:
            query.size = size
        query.after = params.get("after", "")[:100]
        for name in RANGES:
            start = datetime_param(params.get(f"{name}_from", "")[:40])
            end = datetime_param(params.get(f"{name}_to", "")[:40])
            if start or end:
                query.ranges[name] = (start, end)
        return query

    def as_params(self, **override: object) -> dict[str, object]:
        """The URL parameters that reproduce this query (for links and the next page)."""
        values = {
            "view": self.view, "status": self.status, "priority": self.priority,
            "channel": self.channel, "team": self.team, "assignee": self.assignee,
            "tag": self.tag, "customer": self.customer, "q": self.q,
            "sort": self.sort if self.sort != "activity" else "",
            "size": self.size if self.size != 50 else "",
        }  # fmt: skip
        for name, (start, end) in self.ranges.items():
            values[f"{name}_from"] = start.isoformat() if start else ""
            values[f"{name}_to"] = end.isoformat() if end else ""
        values.update(override)
        return {k: v for k, v in values.items() if v not in ("", [], None)}


@dataclass(slots=True, eq=False)
class InboxRow:
    """One inbox row, made from the values it shows: a page of model instances (50
    tickets, their customers and their assignees) cost more than its query."""

    id: int
    subject: str
    status: str
    priority: int
    channel: str
    sla_due: datetime | None
    sla_at_risk_at: datetime | None
    last_activity_at: datetime
    created_at: datetime
    customer_name: str
    assignee_name: str | None
    is_unread: bool
    tag_names: list[str] = field(default_factory=list)
    # The badges read the labels of status, priority and channel from the ticket's fields.
    _meta: ClassVar = Ticket._meta

    @property
    def pk(self) -> int:
        return self.id

    @classmethod
    def of(cls, values: tuple) -> InboxRow:
        (pk, subject, status, priority, channel, due, at_risk, activity, created, customer_id,
         first, last, assignee_first, assignee_last, username, is_unread) = values[:16]  # fmt: skip
        assignee = None
        if username is not None:
            assignee = staff_name(assignee_first, assignee_last, username)
        return cls(pk, subject, status, priority, channel, due, at_risk, activity, created,
                   Customer.name_of(first, last, customer_id), assignee, is_unread)  # fmt: skip


@dataclass
class InboxPage:
    tickets: list[InboxRow]
    next_cursor: str | None
    query: InboxQuery


def inbox_cursor(ticket: Ticket, *, sort: str) -> str:
    """The cursor that pages to the rows after ``ticket`` in the ``sort`` order."""
    return _cursor_encode(ticket, SORTS[sort][1])


def _cursor_encode(ticket: Ticket, columns: tuple[str, ...]) -> str:
    parts = []
    for column in columns:
        value = getattr(ticket, column)
        if value is None:
            parts.append("none")
        else:
            parts.append(value.isoformat() if isinstance(value, datetime) else str(value))
    return "~".join(parts)


def _cursor_decode(cursor: str, columns: tuple[str, ...]) -> list[object] | None:
    parts = cursor.split("~")
    if len(parts) != len(columns):
        return None
    values: list[object] = []
    for column, part in zip(columns, parts, strict=True):
        if part == "none" and column == "sla_due":
            values.append(None)
        elif column in DATETIME_COLUMNS:
            if (moment := datetime_param(part)) is None:
                return None
            values.append(moment)
        elif (number := int_param(part, minimum=0)) is not None:
            values.append(number)
        else:
            return None
    return values


def search_query(text: str) -> SearchQuery:
    """One query in every language we index, OR-ed: a German customer's ticket is found
    by a German stem, an English one by an English stem."""
    combined = None
    for config in SEARCH_CONFIGS:
        part = SearchQuery(text, search_type="websearch", config=config)
        combined = part if combined is None else combined | part
    return combined


def inbox_filter(*, user: AbstractUser, query: InboxQuery) -> QuerySet[Ticket]:
    tickets = ticket_scope(user=user)
    if query.view in VIEWS:
        tickets = tickets.filter(VIEWS[query.view][1](user))
    if query.status:
        tickets = tickets.filter(status__in=query.status)
    if query.priority:
        tickets = tickets.filter(priority__in=query.priority)
    if query.channel:
        tickets = tickets.filter(channel__in=query.channel)
    if query.team:
        tickets = tickets.filter(team__in=query.team)
    if query.assignee == "me":
        tickets = tickets.filter(assignee=user)
    elif query.assignee == "none":
        tickets = tickets.filter(assignee__isnull=True)
    elif query.assignee:
        tickets = tickets.filter(assignee_id=int(query.assignee))
    if query.customer:
        tickets = tickets.filter(customer_id=query.customer)
    for name, (start, end) in query.ranges.items():
        if RANGES[name] is None:  # reopened in the range: an event says so
            events = Event.objects.filter(REOPENED, ticket_id=OuterRef("pk"))
            if start:
                events = events.filter(created_at__gte=start)
            if end:
                events = events.filter(created_at__lt=end)
            tickets = tickets.filter(Exists(events))
            continue
        if start:
            tickets = tickets.filter(**{f"{RANGES[name]}__gte": start})
        if end:
            tickets = tickets.filter(**{f"{RANGES[name]}__lt": end})
    if query.tag:
        tickets = tickets.filter(Exists(
            Tag.objects.filter(name=query.tag, ticket_tags__ticket=OuterRef("pk"))
        ))  # fmt: skip
    return tickets


def inbox_page(*, user: AbstractUser, query: InboxQuery) -> InboxPage:
    """One page of the inbox. With a search text the rows are ranked by relevance and
    paged by rank; otherwise they are keyset-paged on the chosen sort."""
    filtered = inbox_filter(user=user, query=query)
    unread = ~Exists(
        TicketRead.objects.filter(
            ticket=OuterRef("pk"), user=user, seen_at__gte=OuterRef("last_activity_at")
        )
    )

    def rows_of(tickets: QuerySet[Ticket]) -> QuerySet[Ticket]:
        return tickets.annotate(is_unread=unread).values_list(*ROW_COLUMNS, "is_unread")

    if query.q:
        tickets = rows_of(filtered)
        search = search_query(query.q)
        # Rank only the most recent matches: a common word matches a tenth of a million
        # tickets, and ranking them all costs a heap read per match. The candidates come
        # from walking the recency index (frequent words) or the GIN index (rare words),
        # whichever the planner finds cheaper; both stop early.
        candidates = (
            tickets.filter(search_vector=search)
            .order_by("-last_activity_at", "-id")
            .values("pk")[:SEARCH_CANDIDATES]
        )
        tickets = tickets.filter(pk__in=candidates).annotate(
            rank=SearchRank(F("search_vector"), search)
        )
        offset = int_param(query.after, minimum=0, maximum=SEARCH_CANDIDATES) or 0
        rows = _rows(tickets.order_by("-rank", "-id")[offset : offset + query.size + 1])
        more = len(rows) > query.size
        rows = _with_tag_names(rows[: query.size])
        return InboxPage(rows, str(offset + query.size) if more else None, query)

    columns = SORTS[query.sort][1]
    if query.sort in ASCENDING:
        return _ascending_page(filtered, query, columns, rows_of)
    tickets = filtered
    if query.after:
        values = _cursor_decode(query.after, columns)
        if values is not None and None not in values:
            tickets = tickets.filter(TupleLessThan(Tuple(*[F(c) for c in columns]), tuple(values)))
    rows = _page_rows(tickets, [f"-{c}" for c in columns], query.size + 1, rows_of)
    more = len(rows) > query.size
    rows = _with_tag_names(rows[: query.size])
    return InboxPage(rows, _cursor_encode(rows[-1], columns) if more and rows else None, query)


def _rows(values: QuerySet) -> list[InboxRow]:
    return [InboxRow.of(row) for row in values]


# The tags of the tickets %(tickets)s, as [[ticket id, tag name], ...] by name.
_TAG_NAMES = (
    "(SELECT coalesce(json_agg(json_build_array(l.ticket_id, g.name) ORDER BY g.name), '[]') "  # noqa: S608
    f"FROM {TicketTag._meta.db_table} l JOIN {Tag._meta.db_table} g ON g.id = l.tag_id "
    "WHERE l.ticket_id = ANY(%(tickets)s))"
)


def _with_tag_names(rows: list[InboxRow]) -> list[InboxRow]:
    """Each row's tag names (``row.tag_names``, sorted) from one prepared statement
    (``core.rows``); a prefetch would build a queryset per row, which cost more than the
    query itself."""
    if rows:
        names = defaultdict(list)
        (links,) = select_together([_TAG_NAMES], {"tickets": [row.pk for row in rows]})
        for ticket_id, name in links:
            names[ticket_id].append(name)
        for row in rows:
            row.tag_names = names[row.pk]
    return rows


def _page_rows(tickets: QuerySet[Ticket], order: list, limit: int, rows_of) -> list[InboxRow]:
    """The page's ids first, then their rows, in one query: where the plan must sort many
    matches (a week's solved tickets), it sorts ids alone and joins the customer and the
    assignee for the page's rows only, not for every match."""
    page = tickets.order_by(*order).values("pk")[:limit]
    return _rows(rows_of(Ticket.objects.filter(pk__in=page)).order_by(*order))


def _ascending_page(tickets: QuerySet[Ticket], query: InboxQuery, columns: tuple[str, ...],
                    rows_of) -> InboxPage:  # fmt: skip
    """Keyset paging soonest first with empty values last, on (value, id): past the
    cursor means a later value, the same value and a higher id, or no value at all."""
    first, key = columns
    if query.after and (values := _cursor_decode(query.after, columns)) is not None:
        value, pk = values
        if value is None:
            tickets = tickets.filter(**{f"{first}__isnull": True, f"{key}__gt": pk})
        else:
            tickets = tickets.filter(
                TupleGreaterThan(Tuple(F(first), F(key)), (value, pk))
                | Q(**{f"{first}__isnull": True})
            )
    rows = _page_rows(tickets, [F(first).asc(nulls_last=True), key], query.size + 1, rows_of)
    more = len(rows) > query.size
    rows = _with_tag_names(rows[: query.size])
    return InboxPage(rows, _cursor_encode(rows[-1], columns) if more and rows else None, query)


def inbox_news_count(*, user: AbstractUser, query: InboxQuery, since: datetime,
                     most: int = 100) -> int:  # fmt: skip
    """How many tickets of this list have had activity since ``since`` (counted up to
    ``most``): the recency index answers it from the newest rows only."""
    changed = inbox_filter(user=user, query=query).filter(last_activity_at__gt=since)
    return changed.values("pk")[:most].count()
