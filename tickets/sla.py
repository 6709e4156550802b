"""SLA clocks: the targets a ticket's policy sets, run in its team's business time.

The services that change a ticket call one of the ``sla_*`` functions below inside their
transaction; each brings the ticket's clocks up to date and stores the soonest running
due time (and when it turns at risk) on the ticket, so the inbox sorts and filters on
indexed columns and nothing is computed on read. ``sla_sweep`` (beat, every minute)
tells the assignee and the team's leads once when a clock turns at risk and once when it
is breached.

- first response: from the ticket's creation to the first public reply;
- next response: from a customer message that waits for an answer to the next public
  reply (one clock at a time: later messages while it runs wait with the first);
- resolution: from creation (or a reopening) until the ticket is solved.

Pending and on hold pause the clocks when the policy says so; a paused clock's due time
moves by the business time it spent paused. Solving stops every clock.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Min, Q
from django.utils import timezone

from core.config_cache import config_cached, config_watch
from core.events import event_record
from core.models import AgentProfile, Team
from core.rows import rows_select
from tickets.business_time import BusinessClock, Closure, shifts_parse
from tickets.models import (
    BusinessCalendar,
    Message,
    OpeningHours,
    SlaClock,
    SlaPolicy,
    Ticket,
)
from tickets.models import Closure as CalendarClosure
from tickets.notify import notification_send

Target = SlaClock.Target
RUNNING = Q(stopped_at__isnull=True, paused_at__isnull=True)
STOPPING = (Ticket.Status.SOLVED, Ticket.Status.CLOSED)


# --- calendars and policies ---------------------------------------------------------------


def default_clock(*, time_zone: str, country: str) -> BusinessClock:
    """The opening hours of a team with no calendar of its own (``SLA_DEFAULT_HOURS``)."""
    return BusinessClock(
        time_zone=time_zone, country=country, shifts=shifts_parse(settings.SLA_DEFAULT_HOURS)
    )


def business_clock(*, team: Team | None) -> BusinessClock:
    """The business clock of ``team`` (the shop's default hours when it has no calendar,
    or for a ticket with no team). The calendars are read once per configuration change
    (``core.config_cache``)."""
    if team is None:
        return default_clock(time_zone=settings.SHOP_TIME_ZONE, country=settings.SHOP_COUNTRY)
    clock = config_cached("business_clocks", _business_clocks).get(team.pk)
    if clock is None:
        return default_clock(time_zone=team.time_zone, country=team.country)
    return clock


def _business_clocks() -> dict[int, BusinessClock]:
    """Every team calendar's clock, by team id."""
    calendars = BusinessCalendar.objects.select_related("team").prefetch_related(
        "opening_hours", "closures"
    )
    return {calendar.team_id: clock_of(calendar=calendar, team=calendar.team)
            for calendar in calendars}  # fmt: skip


def clock_of(*, calendar: BusinessCalendar, team: Team) -> BusinessClock:
    return BusinessClock(
        time_zone=team.time_zone,
        country=team.country if calendar.observe_holidays else "",
        subdivision=calendar.subdivision,
        half_day_closes=calendar.half_day_closes,
        shifts=shifts_parse(
            (h.weekday, h.opens.isoformat(), h.closes.isoformat())
            for h in calendar.opening_hours.all()
        ),
        closures=tuple(Closure(c.first, c.last, c.reason) for c in calendar.closures.all()),
    )


def sla_policy_for(*, team_id: int | None, priority: int) -> SlaPolicy | None:
    """The most specific policy: this team and priority, this team, this priority, any.
    The policies are read once per configuration change (``core.config_cache``); the
    row returned is shared, read it only."""
    candidates = (
        policy
        for policy in config_cached("sla_policies", _sla_policies)
        if policy.team_id in (team_id, None) and policy.priority in (priority, None)
    )
    return min(
        candidates,
        key=lambda p: (p.team_id is None, p.priority is None),
        default=None,
    )


def _sla_policies() -> tuple[SlaPolicy, ...]:
    return tuple(SlaPolicy.objects.order_by("pk"))


def sla_config_watch() -> None:
    """What the cached policies and calendars are read from (the app's ``ready()``)."""
    for model in (SlaPolicy, BusinessCalendar, OpeningHours, CalendarClosure, Team):
        config_watch(model)


def _pauses(policy: SlaPolicy | None, status: str) -> bool:
    if policy is None:
        return False
    return (status == Ticket.Status.PENDING and policy.pause_when_pending) or (
        status == Ticket.Status.ON_HOLD and policy.pause_when_on_hold
    )


class _Context:
    """What one ticket's SLA work needs, loaded once: its policy and business clock."""

    def __init__(self, ticket: Ticket) -> None:
        self.ticket = ticket
        self.policy = sla_policy_for(team_id=ticket.team_id, priority=ticket.priority)
        self._clock: BusinessClock | None = None

    @property
    def clock(self) -> BusinessClock:
        if self._clock is None:  # the ticket's team is usually loaded with it already
            self._clock = business_clock(team=self.ticket.team)
        return self._clock

    def place(self, clock: SlaClock) -> None:
        """Set due and at-risk times from the clock's start, target and paused time."""
        policy = self.policy
        share = (policy.at_risk_percent if policy else 75) / 100
        spent = timedelta(seconds=clock.paused_seconds)
        target = timedelta(seconds=clock.target_seconds)
        clock.due_at = self.clock.add(clock.started_at, target + spent)
        clock.at_risk_at = self.clock.add(clock.started_at, target * share + spent)

    def start(self, target: str, at: datetime, *, save: bool = True) -> SlaClock | None:
        """A new clock for ``target`` from ``at`` (None when the policy sets no such
        target); ``save=False`` leaves the insert to the caller (several at once)."""
        minutes = self.policy.minutes(target) if self.policy else None
        if not minutes:
            return None
        clock = SlaClock(
            ticket=self.ticket, target=target, policy=self.policy, started_at=at,
            target_seconds=minutes * 60,
        )  # fmt: skip
        self.place(clock)
        if _pauses(self.policy, self.ticket.status):
            clock.paused_at = at
        if save:
            clock.save()
        return clock

    def start_all(self, starts: Iterable[tuple[str, datetime]]) -> list[SlaClock]:
        """Start several clocks with one insert."""
        clocks = [c for target, at in starts if (c := self.start(target, at, save=False))]
        return SlaClock.objects.bulk_create(clocks) if clocks else []


def _running(ticket: Ticket, targets: Iterable[str] | None = None) -> list[SlaClock]:
    """The ticket's clocks not stopped (of ``targets``), locked, in their order. Every
    message a customer writes reads them: one plain statement (``core.rows``)."""
    where, params = "t.ticket_id = %s AND t.stopped_at IS NULL", [ticket.pk]
    if targets is not None:
        where, params = f"{where} AND t.target = ANY(%s)", [*params, list(targets)]
    return rows_select(
        SlaClock, where=where, params=params, order_by="t.started_at, t.id", lock="FOR UPDATE"
    )


def _stop(clocks: Iterable[SlaClock], at: datetime, *, record: bool = True) -> None:
    for clock in clocks:
        counted_until = clock.paused_at or at  # a paused clock stopped counting then
        clock.stopped_at, clock.paused_at = at, None
        fields = ["stopped_at", "paused_at"]
        if clock.breached_at is None and counted_until > clock.due_at:
            clock.breached_at = clock.due_at
            fields.append("breached_at")
            if record:
                _breach_record(clock)
        clock.save(update_fields=fields)


def _breach_record(clock: SlaClock) -> None:
    event_record(
        kind="sla.breached", ticket_id=clock.ticket_id,
        data={"target": clock.target, "due": clock.due_at.isoformat()},
    )  # fmt: skip


def _summary_refresh(ticket: Ticket, unstopped: Iterable[SlaClock] | None = None) -> None:
    """Store the soonest running due time, and when it turns at risk, on the ticket.
    ``unstopped``: every clock of the ticket not stopped, when the caller holds them all
    (locked or just created), so they need not be read again."""
    if unstopped is None:
        summary = SlaClock.objects.filter(RUNNING, ticket=ticket).aggregate(
            due=Min("due_at"), risk=Min("at_risk_at")
        )
    else:
        summary = _summary(unstopped)
    if (summary["due"], summary["risk"]) != (ticket.sla_due, ticket.sla_at_risk_at):
        ticket.sla_due, ticket.sla_at_risk_at = summary["due"], summary["risk"]
        Ticket.objects.filter(pk=ticket.pk).update(
            sla_due=summary["due"], sla_at_risk_at=summary["risk"]
        )


def _summary(unstopped: Iterable[SlaClock]) -> dict[str, datetime | None]:
    running = [c for c in unstopped if c.stopped_at is None and c.paused_at is None]
    return {
        "due": min((c.due_at for c in running), default=None),
        "risk": min((c.at_risk_at for c in running), default=None),
    }


def _opening_clocks(ticket: Ticket, at: datetime, customer_waiting: bool) -> list[SlaClock]:
    """A new ticket's clocks, not yet inserted: resolution, and first response when a
    customer waits for one."""
    context = _Context(ticket)
    starts = []
    if customer_waiting and ticket.first_response_at is None:
        starts.append((Target.FIRST_RESPONSE, at))
    if ticket.status not in STOPPING:
        starts.append((Target.RESOLUTION, at))
    return [c for target, when in starts if (c := context.start(target, when, save=False))]


# --- what the ticket services call --------------------------------------------------------


@transaction.atomic(savepoint=False)
def sla_ticket_opened(
    *, ticket: Ticket, at: datetime | None = None, customer_waiting: bool = True
) -> None:
    """A new ticket (created in the caller's transaction, no clocks yet): its resolution
    clock, and its first response clock when a customer waits for one (not when an agent
    opened it after a call, or the shop wrote first)."""
    at = at or ticket.created_at or timezone.now()
    clocks = _opening_clocks(ticket, at, customer_waiting)
    # A ticket created in this transaction: the clocks started here are all it has.
    _summary_refresh(ticket, SlaClock.objects.bulk_create(clocks) if clocks else [])


def sla_ticket_plan(
    *, ticket: Ticket, at: datetime, customer_waiting: bool = True
) -> list[SlaClock]:
    """``sla_ticket_opened`` for a ticket not yet inserted: sets its SLA summary (soonest
    due and at-risk times) on the row, so the insert writes it and no update follows,
    and returns its clocks for ``sla_ticket_clocks_insert`` once the row has its key.
    ``at`` is when the ticket opens, taken just before its insert."""
    clocks = _opening_clocks(ticket, at, customer_waiting)
    summary = _summary(clocks)
    ticket.sla_due, ticket.sla_at_risk_at = summary["due"], summary["risk"]
    return clocks


def sla_ticket_clocks_insert(*, ticket: Ticket, clocks: list[SlaClock]) -> list[SlaClock]:
    """Insert the clocks ``sla_ticket_plan`` made, with one statement, now the ticket is
    inserted."""
    for clock in clocks:
        clock.ticket = ticket
    return SlaClock.objects.bulk_create(clocks) if clocks else []


@transaction.atomic(savepoint=False)
def sla_customer_wrote(*, ticket: Ticket, at: datetime) -> None:
    """A customer message on an existing ticket now waits for an answer (the caller has
    reopened the ticket if it was solved)."""
    if ticket.status in STOPPING:
        return
    unstopped = _running(ticket)
    running = {clock.target for clock in unstopped}
    context = _Context(ticket)
    starts = []
    if ticket.first_response_at is not None and Target.NEXT_RESPONSE not in running:
        starts.append((Target.NEXT_RESPONSE, at))
    if Target.RESOLUTION not in running:  # reopened after it was solved
        starts.append((Target.RESOLUTION, at))
    _summary_refresh(ticket, [*unstopped, *context.start_all(starts)])


@transaction.atomic(savepoint=False)
def sla_agent_replied(*, ticket: Ticket, at: datetime) -> None:
    """A public reply: the first and next response targets are met (or late)."""
    _stop(_running(ticket, [Target.FIRST_RESPONSE, Target.NEXT_RESPONSE]), at)
    _summary_refresh(ticket)


@transaction.atomic(savepoint=False)
def sla_status_changed(*, ticket: Ticket, old: str, at: datetime) -> None:
    """Solving or closing stops every clock; pending and on hold pause them when the
    policy says so, and leaving those states resumes them (the due time moves by the
    business time spent paused); reopening a solved ticket starts its resolution again."""
    new = ticket.status
    context = _Context(ticket)
    clocks = _running(ticket)
    if new in STOPPING:
        _stop(clocks, at)
    elif old in STOPPING:
        if not any(c.target == Target.RESOLUTION for c in clocks):
            context.start(Target.RESOLUTION, at)
    else:
        pause = _pauses(context.policy, new)
        for clock in clocks:
            if pause and clock.paused_at is None:
                clock.paused_at = at
                clock.save(update_fields=["paused_at"])
            elif not pause and clock.paused_at is not None:
                paused = context.clock.between(clock.paused_at, at)
                clock.paused_seconds += int(paused.total_seconds())
                clock.paused_at = None
                context.place(clock)
                clock.save(update_fields=["paused_seconds", "paused_at", "due_at", "at_risk_at"])
    _summary_refresh(ticket)


@transaction.atomic(savepoint=False)
def sla_policy_changed(*, ticket: Ticket) -> None:
    """The team or priority changed: the running clocks take the new policy's targets
    (from their own start); a target the new policy does not set stops counting."""
    context = _Context(ticket)
    for clock in _running(ticket):
        minutes = context.policy.minutes(clock.target) if context.policy else None
        if not minutes:
            clock.delete()
            continue
        clock.policy = context.policy
        clock.target_seconds = minutes * 60
        context.place(clock)
        clock.save(update_fields=["policy", "target_seconds", "due_at", "at_risk_at"])
    _summary_refresh(ticket)


@transaction.atomic
def sla_rebuild(*, ticket: Ticket) -> list[SlaClock]:
    """Replace the ticket's clocks with what its history says (for tickets that were
    imported or loaded in bulk, whose services never ran): the first response from its
    creation to its first reply, the resolution to its solving, and the next response
    when the customer's latest message came after the latest reply. A paused ticket
    counts as paused since its last activity."""
    ticket = Ticket.objects.select_for_update().get(pk=ticket.pk)
    SlaClock.objects.filter(ticket=ticket).delete()
    context = _Context(ticket)
    public = ticket.messages.filter(visibility=Message.Visibility.PUBLIC, automatic=False)
    last_in = public.filter(direction=Message.Direction.INBOUND).order_by("-created_at").first()
    last_out = public.filter(direction=Message.Direction.OUTBOUND).order_by("-created_at").first()
    done = ticket.solved_at or ticket.closed_at if ticket.status in STOPPING else None
    clocks = []
    starts = [
        (Target.FIRST_RESPONSE, ticket.created_at, ticket.first_response_at or done),
        (Target.RESOLUTION, ticket.created_at, done),
    ]
    if (
        last_in is not None and last_out is not None and last_in.created_at > last_out.created_at
        and ticket.first_response_at is not None and done is None
    ):  # fmt: skip
        starts.append((Target.NEXT_RESPONSE, last_in.created_at, None))
    for target, started, stopped in starts:
        if (clock := context.start(target, started)) is None:
            continue
        clock.paused_at = None
        if stopped is not None:
            _stop([clock], stopped, record=False)  # history, not news
            clocks.append(clock)
            continue
        if _pauses(context.policy, ticket.status):
            clock.paused_at = max(ticket.last_activity_at, started)
        # What was already late or at risk before the rebuild is not news either.
        now = timezone.now()
        clock.at_risk_notified_at = now if clock.at_risk_at <= now else None
        clock.breach_notified_at = clock.breached_at = clock.due_at if clock.due_at <= now else None
        if clock.breach_notified_at:
            clock.breach_notified_at = now
        clock.save(update_fields=["paused_at", "at_risk_notified_at", "breach_notified_at",
                                  "breached_at"])  # fmt: skip
        clocks.append(clock)
    _summary_refresh(ticket)
    return clocks


# --- reading ------------------------------------------------------------------------------


def sla_clocks(*, ticket: Ticket) -> list[SlaClock]:
    """The ticket's clocks for its page: the latest of each target, in target order.
    Every clock of the ticket, oldest first, when the page read them already
    (``ticket.clocks_read``, see ``ticket_lists``)."""
    read = getattr(ticket, "clocks_read", None)
    if read is None:
        read = SlaClock.objects.filter(ticket=ticket).order_by("started_at", "pk")
    latest: dict[str, SlaClock] = {}
    for clock in read:
        latest[clock.target] = clock
    return [latest[t] for t in Target.values if t in latest]


def first_response_due(*, ticket: Ticket) -> datetime | None:
    clock = (
        SlaClock.objects.filter(ticket=ticket, target=Target.FIRST_RESPONSE, stopped_at=None)
        .order_by("-started_at")
        .first()
    )
    return clock.due_at if clock else None


def sla_compliance(*, since: datetime, until: datetime, team_ids: Iterable[int] | None = None
                   ) -> dict[str, dict[str, int]]:  # fmt: skip
    """For the dashboards: per target, how many clocks stopped in the period and how many
    of those were breached."""
    clocks = SlaClock.objects.filter(stopped_at__gte=since, stopped_at__lt=until)
    if team_ids is not None:
        clocks = clocks.filter(ticket__team_id__in=list(team_ids))
    rows = clocks.values("target").annotate(
        total=Count("pk"), breached=Count("pk", filter=Q(breached_at__isnull=False))
    )
    return {r["target"]: {"total": r["total"], "breached": r["breached"]} for r in rows}


# --- the sweep ----------------------------------------------------------------------------


def _recipients(ticket: Ticket) -> list:
    """The assignee and the leads of the ticket's team, each once."""
    people = {}
    if ticket.assignee_id and ticket.assignee.is_active:
        people[ticket.assignee_id] = ticket.assignee
    if ticket.team_id:
        leads = AgentProfile.objects.filter(
            role__in=[AgentProfile.Role.LEAD], teams=ticket.team_id, user__is_active=True
        ).select_related("user")
        for profile in leads:
            people.setdefault(profile.user_id, profile.user)
    return list(people.values())


def sla_sweep(*, now: datetime | None = None, batch: int = 500) -> dict[str, int]:
    """Tell the assignee and the team's leads about clocks that turned at risk or were
    breached, each clock once (idempotent: a clock told is marked in the same
    transaction; a second run finds nothing)."""
    now = now or timezone.now()
    told = {"at_risk": 0, "breached": 0}
    for kind, field, mark in (
        ("breached", "due_at", "breach_notified_at"),
        ("at_risk", "at_risk_at", "at_risk_notified_at"),
    ):
        while True:
            with transaction.atomic():
                clocks = list(
                    SlaClock.objects.select_for_update(skip_locked=True, of=("self",))
                    .select_related("ticket__assignee", "ticket__team")
                    .filter(RUNNING, **{f"{field}__lte": now, f"{mark}__isnull": True})
                    .order_by(field)[:batch]
                )
                if not clocks:
                    break
                for clock in clocks:
                    updates = {mark: now}
                    if kind == "breached":
                        clock.breached_at = clock.due_at
                        updates["breached_at"] = clock.due_at
                        # Too late for a warning: the breach says it all.
                        if clock.at_risk_notified_at is None:
                            updates["at_risk_notified_at"] = now
                        _breach_record(clock)
                    SlaClock.objects.filter(pk=clock.pk).update(**updates)
                    for person in _recipients(clock.ticket):
                        notification_send(
                            recipient=person, kind=f"sla.{kind}", ticket=clock.ticket,
                            dedupe_key=f"sla.{kind}:{clock.pk}",
                            params={"target": clock.target, "due": clock.due_at.isoformat()},
                        )  # fmt: skip
                    told[kind] += 1
    return told
