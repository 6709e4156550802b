"""Scoped reads of tickets. Every view fetches tickets through these functions."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractUser
from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.http import Http404
from django.utils.translation import gettext as _

from core.access import staff_scope, staff_scope_sql
from core.config_cache import config_cached
from core.models import Team
from core.rows import instances, json_row, json_rows, select_together
from customers.models import Customer
from messaging.models import OutboxMessage
from tickets.models import (
    Macro,
    Message,
    OpeningHours,
    SavedView,
    SlaPolicy,
    Tag,
    Ticket,
    TicketRead,
)
from tickets.sla import business_clock


def ticket_scope(*, user: AbstractUser) -> QuerySet[Ticket]:
    """Tickets this user may see: admins all, agents and leads their teams' tickets and
    tickets assigned to them; users without an agent profile nothing."""
    return staff_scope(Ticket.objects.all(), user=user, team="team", assignee="assignee")


def ticket_scope_sql(*, user: AbstractUser) -> tuple[str, dict[str, object]] | None:
    """``ticket_scope`` as a SQL condition over the alias ``t`` with its parameters, for
    the reads made with ``core.rows``; None when the user may see no ticket."""
    return staff_scope_sql(user=user, team="t.team_id", assignee="t.assignee_id")


def ticket_list_recent(*, user: AbstractUser, limit: int = 50) -> list[Ticket]:
    return list(
        ticket_scope(user=user)
        .select_related("customer", "team", "assignee")
        .order_by("-last_activity_at", "-id")[:limit]
    )


_SEEN_AT = TicketRead._meta.get_field("seen_at")


def ticket_get(*, user: AbstractUser, pk: int, seen_by: AbstractUser | None = None) -> Ticket:
    """The ticket with its customer, team and assignee if this user may see it; 404
    otherwise, never 403 (no existence leak). With ``seen_by``, also when that user last
    saw it (``seen_at``, None if never). Every ticket view starts here, so it is one
    prepared statement (``core.rows``) rather than a join the ORM builds anew."""
    scope = ticket_scope_sql(user=user)
    if scope is None:
        raise Http404("No such ticket.")
    condition, params = scope
    related = {
        "customer": json_row(Customer, "t.customer_id"),
        "team": json_row(Team, "t.team_id"),
        "assignee": json_row(get_user_model(), "t.assignee_id"),
    }
    if seen_by is not None:
        related["seen_at"] = (
            f"(SELECT r.seen_at FROM {TicketRead._meta.db_table} r "  # noqa: S608
            "WHERE r.ticket_id = t.id AND r.user_id = %(seen_by)s)"
        )
        params["seen_by"] = seen_by.pk
    (rows,) = select_together(
        [json_rows(Ticket, where=f"t.id = %(ticket)s AND {condition}", order_by="t.id",
                   related=related)],
        {**params, "ticket": pk},
    )  # fmt: skip
    if not rows:
        raise Http404("No such ticket.")
    seen = {"seen_at": _SEEN_AT.to_python} if seen_by is not None else {}
    (ticket,) = instances(Ticket, rows, customer=Customer, team=Team, assignee=get_user_model(),
                          **seen)  # fmt: skip
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


def macros_for(*, ticket: Ticket) -> QuerySet[Macro]:
    """The macros of the ticket's team and of every team: those in the customer's
    language first, then those for any language, then the others by language."""
    rank = Case(
        When(language=ticket.customer.language, then=Value(0)),
        When(language="", then=Value(1)),
        default=Value(2),
        output_field=IntegerField(),
    )
    return (
        Macro.objects.filter(Q(team__isnull=True) | Q(team=ticket.team_id))
        .annotate(language_rank=rank)
        .order_by("language_rank", "language", "name", "pk")
    )


@dataclass(frozen=True)
class MacroGroup:
    """Macros of one language (or of any), as the composer lists them under a heading."""

    label: str
    macros: list[MacroChoice]


def macro_groups(*, ticket: Ticket) -> list[MacroGroup]:
    """``macros_for`` in groups, one per language, in the same order. The macros are
    configuration, read once per change of them (core.config_cache; ``Macro`` is
    watched); only their order, by the customer's language, is worked out per ticket."""
    names = dict(settings.LANGUAGES)
    language_of_customer = ticket.customer.language
    # The cached list is in (language, name, pk) order as the database sorts it; a stable
    # sort by rank gives ``macros_for``'s order without comparing names in Python.
    macros = sorted(
        team_macros(team_id=ticket.team_id),
        key=lambda m: 0 if m.language == language_of_customer else 1 if not m.language else 2,
    )
    by_language: dict[str, list[MacroChoice]] = {}
    for macro in macros:
        by_language.setdefault(macro.language, []).append(macro)
    groups = []
    for language, grouped in by_language.items():
        if language == language_of_customer:
            label = _("%(language)s (the customer's language)") % {
                "language": names.get(language, language)
            }
        elif not language:
            label = _("Any language")
        else:
            label = str(names.get(language, language))
        groups.append(MacroGroup(label=label, macros=grouped))
    return groups


def team_macros(*, team_id: int | None) -> tuple[MacroChoice, ...]:
    """The macros of a team and of every team, by language, name and pk: every ticket
    page lists them and they change seldom, so they are read once per change."""

    def build() -> tuple[MacroChoice, ...]:
        rows = Macro.objects.filter(Q(team__isnull=True) | Q(team=team_id))
        return tuple(
            MacroChoice(pk, name, language)
            for pk, name, language in rows.order_by("language", "name", "pk").values_list(
                "pk", "name", "language"
            )
        )

    return config_cached(f"team_macros:{team_id}", build)


@dataclass(frozen=True)
class Choice:
    """One option of a list: a value and its label (unpacks as the pair)."""

    pk: int
    name: str

    def __iter__(self) -> Iterator[int | str]:
        return iter((self.pk, self.name))


@dataclass(frozen=True)
class MacroChoice(Choice):
    """A macro as the composer's list shows it (its text is read when it is chosen)."""

    language: str


@dataclass(frozen=True)
class InboxChoices:
    """What the inbox's filters and bulk actions offer."""

    teams: tuple[Choice, ...]
    tags: tuple[tuple[str, str], ...]
    agents: AgentChoices


def inbox_choices() -> InboxChoices:
    """The teams, tags and assignable agents of the inbox's filters. Every inbox load
    shows them and they change seldom, so they are configuration: read once per change
    (core.config_cache; teams, tags, agents and their names are watched)."""
    return InboxChoices(
        teams=team_choices(),
        tags=config_cached("tag_choices", _tag_choices),
        agents=team_agents(team_id=None),
    )


def _tag_choices() -> tuple[tuple[str, str], ...]:
    return tuple((name, name) for name in Tag.objects.values_list("name", flat=True)[:200])


def assignable_agents(*, ticket: Ticket | None = None, team_id: int | None = None) -> QuerySet:
    """Active agents, of the ticket's team (or ``team_id``) when it has one."""
    users = get_user_model().objects.filter(agent_profile__isnull=False, is_active=True)
    team_id = ticket.team_id if ticket is not None else team_id
    if team_id:
        users = users.filter(agent_profile__teams=team_id)
    return users.order_by("first_name", "username")


class AgentChoices(tuple):
    """Agents as the ticket page's lists offer them (``Choice``: pk and name); ``user in
    agents`` asks whether that user is among them."""

    def __contains__(self, user: object) -> bool:
        pk = getattr(user, "pk", user)
        return any(choice.pk == pk for choice in iter(self))


def team_agents(*, team_id: int | None) -> AgentChoices:
    """``assignable_agents`` of a team (all of them without one), as choices. Every
    ticket page offers them and they change seldom, so they are configuration, read once
    per change (users' names, agent profiles and their teams are watched)."""

    def build() -> AgentChoices:
        users = assignable_agents(team_id=team_id)
        return AgentChoices(
            Choice(user.pk, user.get_full_name() or user.get_username())
            for user in users.only("first_name", "last_name", "username")
        )

    return config_cached(f"team_agents:{team_id}", build)


def team_choices() -> tuple[Choice, ...]:
    """Every team, as the ticket page's team list offers them (teams are watched)."""
    return config_cached(
        "team_choices",
        lambda: tuple(Choice(pk, name) for pk, name in Team.objects.values_list("pk", "name")),
    )


@dataclass(frozen=True)
class TicketLists:
    """The ticket page's short lists of one ticket, read together."""

    tags: list[Tag]  # by name
    promises: list  # open ones first by due time, then the rest (as promises_of_ticket)
    clocks: list  # every SLA clock, oldest first (sla_clocks keeps the latest of each)
    undelivered: list[OutboxMessage]  # failed, retrying or suppressed, newest first


def ticket_lists(*, ticket: Ticket) -> TicketLists:
    """The ticket's tags, promises with their owners, SLA clocks and undelivered
    messages in one statement: four short reads cost more in round trips and ORM work
    than in rows."""
    from tickets.models import Promise, SlaClock, TicketTag

    user = get_user_model()
    key = "t.ticket_id = %(ticket)s"
    links = TicketTag._meta.db_table
    tagged = f"t.id IN (SELECT tag_id FROM {links} WHERE ticket_id = %(ticket)s)"  # noqa: S608
    parts = [
        json_rows(Tag, where=tagged, order_by="t.name"),
        json_rows(Promise, where=key, order_by="t.state DESC, t.due_at",
                  related={"owner": json_row(user, "t.owner_id")}),
        json_rows(SlaClock, where=key, order_by="t.started_at, t.id"),
        json_rows(OutboxMessage, where=f"{key} AND t.state = ANY(%(undelivered)s)",
                  order_by="t.created_at DESC"),
    ]  # fmt: skip
    undelivered = [OutboxMessage.State.FAILED.value, OutboxMessage.State.RETRYING.value,
                   OutboxMessage.State.SUPPRESSED.value]  # fmt: skip
    tags, promises, clocks, outbox = select_together(
        parts, {"ticket": ticket.pk, "undelivered": undelivered}
    )
    return TicketLists(
        tags=instances(Tag, tags),
        promises=instances(Promise, promises, owner=user),
        clocks=instances(SlaClock, clocks),
        undelivered=instances(OutboxMessage, outbox),
    )


def saved_views(*, user: AbstractUser) -> list[SavedView]:
    """The user's own inbox views by name (on every inbox page: one prepared statement)."""
    (rows,) = select_together(
        [json_rows(SavedView, where="t.user_id = %(user)s", order_by="t.name, t.id")],
        {"user": user.pk},
    )
    return instances(SavedView, rows)


def tickets_of_customer(
    *, customer, user: AbstractUser, limit: int, columns: tuple[str, ...]
) -> list[Ticket]:
    """The customer's latest ``limit`` tickets this user may see, newest first, with only
    ``columns`` read (the customer history's list, beside every ticket): one prepared
    statement (``core.rows``)."""
    scope = ticket_scope_sql(user=user)
    if scope is None:
        return []
    condition, params = scope
    (rows,) = select_together(
        [json_rows(Ticket, where=f"t.customer_id = %(customer)s AND {condition}",
                   order_by="t.created_at DESC, t.id DESC", limit=limit, columns=columns)],
        {**params, "customer": customer.pk},
    )  # fmt: skip
    return instances(Ticket, rows)


@dataclass(frozen=True)
class Promise:
    """What one team promises, as the public service-promise page shows it."""

    team: str
    time_zone: str
    week: list  # (day's name, [(opens, closes), ...]) for Monday to Sunday
    holidays: list  # (day, name, is a half day) in the coming weeks
    closures: list  # (first, last, reason) in the coming weeks
    targets: list  # (priority, first response, next response, resolution) in business minutes


def service_promises(*, today: date, days_ahead: int = 60, language: str = "en") -> list[Promise]:
    """Each team's live SLA targets by priority (the policy that applies, as
    ``sla_policy_for`` picks it), its opening hours, and the holidays and closures of
    the next ``days_ahead`` days. A fixed number of queries plus two per team."""
    policies = list(SlaPolicy.objects.all())
    holiday_language = {"en": "en_US"}.get(language, language)
    until = today + timedelta(days=days_ahead)
    promises = []
    for team in Team.objects.order_by("name"):
        targets = []
        for priority, label in Ticket.Priority.choices:
            policy = min(
                (p for p in policies if p.team_id in (team.pk, None)
                 and p.priority in (priority, None)),
                key=lambda p: (p.team_id is None, p.priority is None), default=None,
            )  # fmt: skip
            if policy is not None and any(
                policy.minutes(t) for t in ("first_response", "next_response", "resolution")
            ):
                targets.append(
                    (
                        label,
                        policy.first_response_minutes,
                        policy.next_response_minutes,
                        policy.resolution_minutes,
                    )
                )
        clock = business_clock(team=team)
        try:
            holidays = clock.holidays_between(today, until, language=holiday_language)
        except (KeyError, NotImplementedError, ValueError):
            holidays = clock.holidays_between(today, until)
        closures = [(c.first, c.last, c.reason) for c in clock.closures
                    if c.last >= today and c.first <= until]  # fmt: skip
        week = [(OpeningHours.Weekday(day).label, shifts) for day, shifts in clock.week()]
        promises.append(Promise(team=team.name, time_zone=team.time_zone, week=week,
                                holidays=holidays, closures=closures, targets=targets))  # fmt: skip
    return promises
