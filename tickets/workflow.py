"""Workflow services of the agent workspace: field changes, tags, bulk actions, merge,
read state, macros and the auto-close sweep. Every write goes through here."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta

from django.contrib.auth.models import AbstractUser
from django.db import transaction
from django.http import QueryDict
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from core.events import event_record
from core.hooks import Hook
from core.models import Team
from tickets.models import Message, SavedView, Tag, Ticket, TicketRead, TicketTag
from tickets.promises.services import promises_move, promises_ticket_acted
from tickets.sla import sla_policy_changed, sla_status_changed

ticket_solved = Hook(
    "tickets.ticket_solved",
    "(ticket: Ticket) -> None: a ticket was just solved, inside the transaction (surveys "
    "schedule the CSAT survey after commit, and sweep for any the broker missed).",
)


class _Unchanged:
    """Marks a field the caller does not want to change (None means "clear it")."""

    def __repr__(self) -> str:
        return "UNCHANGED"


UNCHANGED = _Unchanged()


@transaction.atomic
def ticket_update(
    *,
    ticket: Ticket,
    by: AbstractUser | None,
    status: str | _Unchanged = UNCHANGED,
    priority: int | _Unchanged = UNCHANGED,
    team: Team | _Unchanged | None = UNCHANGED,
    assignee: AbstractUser | _Unchanged | None = UNCHANGED,
) -> Ticket:
    """Change status, priority, team or assignee; one audit event per field that changed."""
    ticket = Ticket.objects.select_for_update().get(pk=ticket.pk)
    now = timezone.now()
    changed: list[str] = []
    old_status = ticket.status

    def record(field: str, old: object, new: object) -> None:
        changed.append(field)
        event_record(
            kind=f"ticket.{field}_changed", actor=by, ticket=ticket,
            data={"from": old, "to": new},
        )  # fmt: skip

    if not isinstance(status, _Unchanged) and status != ticket.status:
        if status not in Ticket.Status.values:
            raise ValueError(f"unknown status {status!r}")
        record("status", ticket.status, status)
        ticket.status = status
        if status == Ticket.Status.SOLVED:
            ticket.solved_at = now
            changed.append("solved_at")
            # However a ticket gets solved (page, bulk action, admin), its survey follows.
            ticket_solved.call_all(ticket=ticket)
            promises_ticket_acted(ticket=ticket, by=by, action="solve", now=now)
        elif status == Ticket.Status.CLOSED:
            ticket.closed_at = now
            changed.append("closed_at")
    if not isinstance(priority, _Unchanged) and int(priority) != ticket.priority:
        if int(priority) not in Ticket.Priority.values:
            raise ValueError(f"unknown priority {priority!r}")
        record("priority", ticket.priority, int(priority))
        ticket.priority = int(priority)
    if not isinstance(team, _Unchanged) and (team.pk if team else None) != ticket.team_id:
        record("team", ticket.team_id, team.pk if team else None)
        ticket.team = team
    if (
        not isinstance(assignee, _Unchanged)
        and (assignee.pk if assignee else None) != ticket.assignee_id
    ):
        record("assignee", ticket.assignee_id, assignee.pk if assignee else None)
        ticket.assignee = assignee
    if changed:
        ticket.last_activity_at = now
        ticket.save(update_fields=[*changed, "last_activity_at", "updated_at"])
    # The SLA clocks follow: a new status pauses, resumes or stops them; a new team or
    # priority brings another policy's targets.
    if "status" in changed:
        sla_status_changed(ticket=ticket, old=old_status, at=now)
    if "priority" in changed or "team" in changed:
        sla_policy_changed(ticket=ticket)
    return ticket


TAG_MAX_LENGTH = Tag._meta.get_field("name").max_length


def _tag_get_or_create(name: str) -> Tag:
    name = " ".join(name.split()).lower()
    if not name:
        raise ValueError(_("A tag needs a name."))
    if len(name) > TAG_MAX_LENGTH:
        raise ValueError(_("A tag has at most %(count)d characters.") % {"count": TAG_MAX_LENGTH})
    tag, _created = Tag.objects.get_or_create(name=name)
    return tag


@transaction.atomic
def ticket_tags_add(*, tickets: Sequence[Ticket], name: str, by: AbstractUser | None) -> Tag:
    """Add one tag to several tickets; tickets that already carry it are left alone."""
    tag = _tag_get_or_create(name)
    # Lock the tickets (in id order, like every other multi-ticket write) so two agents
    # tagging the same ticket at once add it once, with one event.
    list(Ticket.objects.select_for_update().filter(pk__in=[t.pk for t in tickets]).order_by("pk"))
    have = set(
        TicketTag.objects.filter(tag=tag, ticket__in=tickets).values_list("ticket_id", flat=True)
    )
    new = [t for t in tickets if t.pk not in have]
    TicketTag.objects.bulk_create([TicketTag(ticket=t, tag=tag) for t in new])
    for ticket in new:
        event_record(kind="ticket.tag_added", actor=by, ticket=ticket, data={"tag": tag.name})
    return tag


@transaction.atomic
def ticket_tag_remove(*, ticket: Ticket, name: str, by: AbstractUser | None) -> None:
    deleted, _rows = TicketTag.objects.filter(ticket=ticket, tag__name=name).delete()
    if deleted:
        event_record(kind="ticket.tag_removed", actor=by, ticket=ticket, data={"tag": name})


@transaction.atomic
def ticket_edit(
    *, ticket: Ticket, by: AbstractUser, add_tag: str = "", remove_tag: str = "",
    **changes: object,
) -> Ticket:  # fmt: skip
    """What the ticket page's form asks for, all or nothing: property ``changes`` (as
    ``ticket_update`` takes them) and a tag to add or remove. A refused tag takes the
    property changes back too."""
    ticket = ticket_update(ticket=ticket, by=by, **changes)
    if add_tag:
        ticket_tags_add(tickets=[ticket], name=add_tag, by=by)
    if remove_tag:
        ticket_tag_remove(ticket=ticket, name=remove_tag, by=by)
    return ticket


@transaction.atomic
def ticket_bulk_update(
    *,
    tickets: Sequence[Ticket],
    by: AbstractUser,
    status: str | _Unchanged = UNCHANGED,
    assignee: AbstractUser | _Unchanged | None = UNCHANGED,
) -> int:
    """Apply one change to many tickets (already scoped by the caller)."""
    for ticket in tickets:
        ticket_update(ticket=ticket, by=by, status=status, assignee=assignee)
    return len(tickets)


@transaction.atomic
def ticket_merge(*, source: Ticket, target: Ticket, by: AbstractUser | None) -> Ticket:
    """Merge ``source`` into ``target``: its messages and tags move, it closes with a
    pointer to the target. Nothing is deleted; its audit events stay where they were."""
    if source.pk == target.pk:
        raise ValueError(_("A ticket cannot be merged into itself."))
    # Lock both rows in id order so two opposite merges cannot deadlock.
    locked = {
        t.pk: t
        for t in Ticket.objects.select_for_update()
        .filter(pk__in=[source.pk, target.pk])
        .order_by("pk")
    }
    source, target = locked[source.pk], locked[target.pk]
    if source.merged_into_id:
        raise ValueError(_("This ticket was already merged."))
    if target.merged_into_id:  # else two opposite merges would point at each other
        raise ValueError(
            _("Ticket #%(target)d was merged into #%(live)d; merge into that one.")
            % {"target": target.pk, "live": target.merged_into_id}
        )
    source_status = source.status
    moved = Message.objects.filter(ticket=source).update(ticket=target)
    promises_move(source=source, target=target)
    tag_ids = set(TicketTag.objects.filter(ticket=target).values_list("tag_id", flat=True))
    TicketTag.objects.bulk_create(
        [TicketTag(ticket=target, tag_id=t.tag_id) for t in source.ticket_tags.all()
         if t.tag_id not in tag_ids]
    )  # fmt: skip
    now = timezone.now()
    source.merged_into = target
    source.status = Ticket.Status.CLOSED
    source.closed_at = now
    source.last_activity_at = now
    source.save(update_fields=["merged_into", "status", "closed_at", "last_activity_at",
                               "updated_at"])  # fmt: skip
    target.last_activity_at = now
    target.save(update_fields=["last_activity_at", "updated_at"])
    sla_status_changed(ticket=source, old=source_status, at=now)
    data = {"source": source.pk, "target": target.pk, "messages": moved}
    event_record(kind="ticket.merged_away", actor=by, ticket=source, data=data)
    event_record(kind="ticket.merged_in", actor=by, ticket=target, data=data)
    return target


@transaction.atomic
def tickets_merge_into(
    *, sources: Sequence[Ticket], target: Ticket, by: AbstractUser | None
) -> Ticket:
    """Merge several tickets into ``target``, all or nothing: if any one merge is refused
    (a ticket already merged, the target itself among the sources) none of them happens."""
    # Lock every row up front, in id order like every other multi-ticket write, so two
    # bulk merges over overlapping selections cannot deadlock halfway through.
    ids = {target.pk, *(source.pk for source in sources)}
    list(Ticket.objects.select_for_update().filter(pk__in=ids).order_by("pk"))
    for source in sources:
        target = ticket_merge(source=source, target=target, by=by)
    return target


def ticket_mark_read(*, ticket: Ticket, user: AbstractUser) -> None:
    """Remember that this agent has seen the ticket as it is now (not audited). One
    INSERT … ON CONFLICT statement, and none when the ticket comes with this agent's
    ``seen_at`` (``ticket_get(seen_by=...)``) and nothing happened on it since: the row
    only tells whether the ticket is unread, and agents reload the same tickets all day."""
    seen_at = getattr(ticket, "seen_at", None)
    if seen_at is not None and seen_at >= ticket.last_activity_at:
        return
    TicketRead.objects.bulk_create(
        [TicketRead(ticket=ticket, user=user, seen_at=timezone.now())],
        update_conflicts=True,
        unique_fields=["user", "ticket"],
        update_fields=["seen_at"],
    )


# --- Macros -------------------------------------------------------------------------------

PLACEHOLDER = re.compile(r"\{\{\s*([^{}]*?)\s*\}\}")


class PlaceholderError(ValueError):
    """A text contains placeholders we cannot fill; it must never be sent raw."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class PlaceholderContext:
    customer_first_name: str
    latest_order_number: str | None
    agent_name: str
    # When the ticket's next open promise is due, in the customer's words.
    promise_due: str | None = None

    def values(self) -> dict[str, str | None]:
        return {
            "customer.first_name": self.customer_first_name,
            "order.number": self.latest_order_number,
            "agent.name": self.agent_name,
            "promise.due": self.promise_due,
        }


def placeholders_fill(*, text: str, context: PlaceholderContext) -> str:
    """Fill every ``{{ name }}``; raise PlaceholderError naming each unknown or empty one."""
    values = context.values()
    problems: list[str] = []
    for name in PLACEHOLDER.findall(text):
        if name not in values:
            problems.append(_("Unknown placeholder {{ %(name)s }}.") % {"name": name})
        elif not values[name]:
            problems.append(_("No value for {{ %(name)s }} on this ticket.") % {"name": name})
    if problems:
        raise PlaceholderError(list(dict.fromkeys(problems)))
    return PLACEHOLDER.sub(lambda m: str(values[m.group(1)]), text)


# --- Housekeeping -------------------------------------------------------------------------


def tickets_autoclose(*, quiet_for: timedelta, batch: int = 1000) -> int:
    """Close solved tickets that have been quiet for ``quiet_for``. Idempotent: a closed
    ticket is not solved any more, so a second run finds nothing."""
    cutoff = timezone.now() - quiet_for
    closed = 0
    while True:
        with transaction.atomic():
            tickets = list(
                Ticket.objects.select_for_update(skip_locked=True)
                .filter(status=Ticket.Status.SOLVED, solved_at__lt=cutoff,
                        last_activity_at__lt=cutoff)
                .order_by("solved_at")[:batch]
            )  # fmt: skip
            if not tickets:
                return closed
            now = timezone.now()
            Ticket.objects.filter(pk__in=[t.pk for t in tickets]).update(
                status=Ticket.Status.CLOSED, closed_at=now, updated_at=now
            )
            for ticket in tickets:
                event_record(kind="ticket.closed", ticket=ticket, data={"reason": "auto"})
            closed += len(tickets)


# --- Saved views --------------------------------------------------------------------------


@transaction.atomic
def saved_view_save(*, user: AbstractUser, name: str, params: QueryDict) -> SavedView:
    """Save (or overwrite) the agent's view under a name. Only allowlisted filter keys
    survive: the parameters go through the same parser as the inbox itself."""
    from tickets.inbox import InboxQuery

    name = " ".join(name.split())
    if not name:
        raise ValueError(_("A saved view needs a name."))
    if len(name) > SavedView._meta.get_field("name").max_length:
        raise ValueError(_("Give the view a shorter name."))
    query = urlencode(InboxQuery.from_querydict(params).as_params(), doseq=True)
    if len(query) > SavedView._meta.get_field("query").max_length:
        raise ValueError(_("These filters are too long to save; shorten the search text."))
    view, _created = SavedView.objects.update_or_create(
        user=user, name=name, defaults={"query": query}
    )
    return view


def saved_view_delete(*, view: SavedView) -> None:
    view.delete()


@transaction.atomic
def ticket_change(
    *, ticket: Ticket, by: AbstractUser | None, tags: Sequence[str] | None = None,
    **changes: object,
) -> Ticket:  # fmt: skip
    """What the API's PATCH asks for, all or nothing: property ``changes`` (as
    ``ticket_update`` takes them) and, when given, the ticket's whole set of tags."""
    ticket = ticket_update(ticket=ticket, by=by, **changes)
    if tags is not None:
        wanted = {" ".join(name.split()).lower() for name in tags}
        have = set(ticket.tags.values_list("name", flat=True))
        for name in sorted(wanted - have):
            ticket_tags_add(tickets=[ticket], name=name, by=by)
        for name in sorted(have - wanted):
            ticket_tag_remove(ticket=ticket, name=name, by=by)
    return ticket
