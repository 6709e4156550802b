# ruff: noqa: E501, S608  (SQL reads better unwrapped; it is assembled from literal fragments, every value is a parameter)
"""The rollups: per-ticket facts (the samples percentiles are taken over) and hourly
counts, derived from the raw rows of tickets, SLA clocks, surveys and the loyalty ledger.

They are kept incrementally from the committed audit trail: every event wakes
``rollups_refresh`` after its transaction commits (``on_event_recorded``), and the beat
runs it every minute as the catch-up sweep. It reads the events past its cursor,
rebuilds the facts of the tickets they tell of, and recounts every hour those tickets
(or the events) touch, from scratch. Recounting a whole hour instead of adding deltas
makes a refresh idempotent: running it twice, or for an event already counted, changes
nothing.

An event whose transaction commits after a later one was read would be skipped by a
plain id cursor; the cursor therefore stops short of the last ``CURSOR_LAG`` of events,
which the next run reads again (idempotently). ``manage.py reports_reconcile`` recomputes
any period from the raw rows and proves the rollups equal, and repairs them."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from time import monotonic
from typing import Any

from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from core.models import Event, Team
from reports.models import RollupCursor, TicketFact
from reports.routers import report_session

logger = logging.getLogger(__name__)

HOUR = timedelta(hours=1)
CURSOR_LAG = timedelta(seconds=30)
MAX_GAPS = 1000
# A burst of events wakes one refresh, not one each: the first queues it a moment later.
REFRESH_DEBOUNCE_SECONDS = 2
EVENT_BATCH = 2000
FACT_BATCH = 5000
UNSOLVED = ("new", "open", "pending", "on_hold")
SOLVED = ("solved", "closed")
# Everything the dashboards count. Survey metrics are "<kind>_<what>".
METRICS = (
    "created", "solved", "responded", "one_touch", "reopened",
    "sla_first_response_total", "sla_first_response_breached",
    "sla_next_response_total", "sla_next_response_breached",
    "sla_resolution_total", "sla_resolution_breached",
    "csat_sent", "csat_answered", "csat_happy", "nps_sent", "nps_answered",
    "nps_promoter", "nps_passive", "nps_detractor", "recovery_opened", "recovery_recovered",
    "points_issued", "points_redeemed", "points_expired", "goodwill_granted",
    "goodwill_approved", "kudos", "promise_kept", "promise_broken",
)  # fmt: skip

REOPEN = """(e.kind = 'ticket.reopened' OR (e.kind = 'ticket.status_changed'
             AND e.data->>'from' IN ('solved', 'closed') AND e.data->>'to' NOT IN ('solved', 'closed')))"""


def hour_of(moment: datetime) -> datetime:
    return moment.astimezone(UTC).replace(minute=0, second=0, microsecond=0)


# --- facts --------------------------------------------------------------------------------

FACT_COLUMNS = (
    "ticket_id", "team_id", "agent_id", "channel", "status", "created_at", "first_response_at",
    "solved_at", "first_response_seconds", "first_response_business_seconds",
    "resolution_seconds", "resolution_business_seconds", "replies", "reopens", "one_touch",
)  # fmt: skip

RAW_TICKETS = f"""
SELECT t.id, t.team_id, t.assignee_id, t.channel, t.status, t.created_at, t.first_response_at,
       CASE WHEN t.status IN ('solved', 'closed') THEN t.solved_at END,
       (SELECT count(*) FROM tickets_message m WHERE m.ticket_id = t.id AND m.direction = 'out'
          AND m.visibility = 'public' AND NOT m.automatic),
       (SELECT count(*) FROM core_event e WHERE e.ticket_id = t.id AND {REOPEN})
FROM tickets_ticket t WHERE t.id = ANY(%s) ORDER BY t.id"""


class _Clocks:
    """Business clocks by team, built once per refresh."""

    def __init__(self) -> None:
        from tickets.sla import business_clock

        self._clock = business_clock
        self._clocks: dict[int | None, Any] = {}
        self._teams: dict[int, Team] | None = None

    def of(self, team_id: int | None) -> Any:
        if team_id not in self._clocks:
            if self._teams is None:
                self._teams = {t.pk: t for t in Team.objects.all()}
            self._clocks[team_id] = self._clock(team=self._teams.get(team_id))
        return self._clocks[team_id]


def facts_compute(ticket_ids: Iterable[int], *, clocks: _Clocks | None = None) -> list[tuple]:
    """The facts of these tickets from their raw rows, as ``FACT_COLUMNS`` tuples."""
    ids = sorted(set(ticket_ids))
    if not ids:
        return []
    clocks = clocks or _Clocks()
    with report_session(using="default") as cur:
        cur.execute(RAW_TICKETS, [ids])
        raw = cur.fetchall()
    rows = []
    for pk, team_id, agent_id, channel, status, created, responded, solved, replies, reopens in raw:
        clock = clocks.of(team_id)

        def spans(end: datetime | None, clock: Any = clock, created: datetime = created) -> tuple:
            if end is None or end < created:
                return None, None
            return (end - created).total_seconds(), clock.between(created, end).total_seconds()

        first, first_business = spans(responded)
        resolution, resolution_business = spans(solved)
        rows.append((
            pk, team_id, agent_id, channel, status, created, responded, solved, first,
            first_business, resolution, resolution_business, replies, reopens,
            solved is not None and replies == 1 and reopens == 0,
        ))  # fmt: skip
    return rows


def facts_store(rows: list[tuple], *, ticket_ids: Iterable[int]) -> None:
    """Replace the facts of ``ticket_ids`` with ``rows`` (a ticket gone loses its facts)."""
    ids = sorted(set(ticket_ids))
    with connection.cursor() as cur:
        cur.execute("DELETE FROM reports_ticketfact WHERE ticket_id = ANY(%s)", [ids])
        if rows:
            columns = ", ".join(FACT_COLUMNS)
            values = ", ".join(["(" + ", ".join(["%s"] * len(FACT_COLUMNS)) + ")"] * len(rows))
            cur.execute(
                f"INSERT INTO reports_ticketfact ({columns}) VALUES {values}",
                [value for row in rows for value in row],
            )


# --- hourly counts ------------------------------------------------------------------------

# Each part yields (bucket, metric, team_id, agent_id, channel, amount) for the hours in h.
COUNT_PARTS = [
    # Tickets, by when each thing happened; attributed to the ticket's team and assignee.
    """SELECT h.bucket, m.metric, f.team_id, f.agent_id, f.channel, 1::bigint
        FROM h JOIN reports_ticketfact f ON f.created_at >= h.bucket AND f.created_at < h.bucket + interval '1 hour'
        CROSS JOIN LATERAL (VALUES ('created')) m(metric)""",
    """SELECT h.bucket, m.metric, f.team_id, f.agent_id, f.channel, 1::bigint
        FROM h JOIN reports_ticketfact f ON f.solved_at >= h.bucket AND f.solved_at < h.bucket + interval '1 hour'
        CROSS JOIN LATERAL (VALUES ('solved', true), ('one_touch', f.one_touch)) m(metric, hit) WHERE m.hit""",
    """SELECT h.bucket, 'responded', f.team_id, f.agent_id, f.channel, 1::bigint
        FROM h JOIN reports_ticketfact f ON f.first_response_at >= h.bucket AND f.first_response_at < h.bucket + interval '1 hour'""",
    f"""SELECT h.bucket, 'reopened', f.team_id, f.agent_id, f.channel, 1::bigint
        FROM h JOIN core_event e ON e.created_at >= h.bucket AND e.created_at < h.bucket + interval '1 hour' AND {REOPEN}
        JOIN reports_ticketfact f ON f.ticket_id = e.ticket_id""",
    # SLA clocks, when they stopped: met or breached.
    """SELECT h.bucket, 'sla_' || c.target || m.suffix, f.team_id, f.agent_id, f.channel, 1::bigint
        FROM h JOIN tickets_slaclock c ON c.stopped_at >= h.bucket AND c.stopped_at < h.bucket + interval '1 hour'
        JOIN reports_ticketfact f ON f.ticket_id = c.ticket_id
        CROSS JOIN LATERAL (VALUES ('_total', true), ('_breached', c.breached_at IS NOT NULL)) m(suffix, hit) WHERE m.hit""",
    # Promises, by when they were due (as the promises app reports its kept rate), once
    # kept or broken; on the ticket's team, for the promise's owner.
    """SELECT h.bucket, 'promise_' || p.state, f.team_id, p.owner_id, f.channel, 1::bigint
        FROM h JOIN tickets_promise p ON p.due_at >= h.bucket AND p.due_at < h.bucket + interval '1 hour'
             AND p.state IN ('kept', 'broken')
        JOIN reports_ticketfact f ON f.ticket_id = p.ticket_id""",
    # Surveys, by when the invitation was sent; the invitation's team and agent.
    """SELECT h.bucket, m.metric, i.team_id, i.agent_id, coalesce(t.channel, ''), 1::bigint
        FROM h JOIN surveys_surveyinvitation i ON i.state = 'sent' AND i.sent_at >= h.bucket AND i.sent_at < h.bucket + interval '1 hour'
        LEFT JOIN surveys_surveyresponse r ON r.invitation_id = i.id AND NOT r.looks_automated
        LEFT JOIN tickets_ticket t ON t.id = i.ticket_id
        CROSS JOIN LATERAL (VALUES (i.kind || '_sent', true), (i.kind || '_answered', r.id IS NOT NULL),
            ('csat_happy', i.kind = 'csat' AND r.score >= 4),
            ('nps_promoter', i.kind = 'nps' AND r.score >= 9),
            ('nps_passive', i.kind = 'nps' AND r.score BETWEEN 7 AND 8),
            ('nps_detractor', i.kind = 'nps' AND r.score <= 6)) m(metric, hit) WHERE m.hit""",
    """SELECT h.bucket, m.metric, i.team_id, i.agent_id, coalesce(t.channel, ''), 1::bigint
        FROM h JOIN surveys_recoverycase rc ON rc.created_at >= h.bucket AND rc.created_at < h.bucket + interval '1 hour'
        JOIN surveys_surveyinvitation i ON i.id = rc.invitation_id
        LEFT JOIN tickets_ticket t ON t.id = i.ticket_id
        CROSS JOIN LATERAL (VALUES ('recovery_opened', true), ('recovery_recovered', rc.state = 'recovered')) m(metric, hit) WHERE m.hit""",
    # Loyalty points (sums), on the team of the ticket they were granted on.
    """SELECT h.bucket, m.metric, t.team_id, le.actor_id, coalesce(t.channel, ''), m.amount::bigint
        FROM h JOIN loyalty_ledgerentry le ON le.created_at >= h.bucket AND le.created_at < h.bucket + interval '1 hour'
        LEFT JOIN tickets_ticket t ON t.id = le.ticket_id
        CROSS JOIN LATERAL (VALUES ('points_issued', le.points, le.kind IN ('earn', 'approve') AND le.points > 0),
            ('points_redeemed', -le.points, le.kind = 'redeem' AND le.points < 0),
            ('points_expired', -le.points, le.kind = 'expire' AND le.points < 0),
            ('goodwill_granted', le.points, le.source = 'goodwill' AND le.kind = 'earn' AND le.points > 0)) m(metric, amount, hit) WHERE m.hit""",
    """SELECT h.bucket, 'goodwill_approved', t.team_id, g.requested_by_id, coalesce(t.channel, ''), 1::bigint
        FROM h JOIN loyalty_goodwillrequest g ON g.status = 'approved' AND g.decided_at >= h.bucket AND g.decided_at < h.bucket + interval '1 hour'
        LEFT JOIN tickets_ticket t ON t.id = g.ticket_id""",
    # Kudos, to the colleague thanked.
    """SELECT h.bucket, 'kudos', t.team_id, k.receiver_id, coalesce(t.channel, ''), 1::bigint
        FROM h JOIN reports_kudos k ON k.created_at >= h.bucket AND k.created_at < h.bucket + interval '1 hour'
        LEFT JOIN tickets_ticket t ON t.id = k.ticket_id""",
]
COUNTS = (
    "WITH h AS (SELECT DISTINCT unnest(%s::timestamptz[]) AS bucket) "
    "SELECT bucket, metric, team_id, agent_id, channel, sum(amount)::bigint FROM ("
    + " UNION ALL ".join(COUNT_PARTS)
    + ") parts(bucket, metric, team_id, agent_id, channel, amount) GROUP BY 1, 2, 3, 4, 5"
)


def hours_recount(hours: Iterable[datetime]) -> int:
    """Recount every metric of these UTC hours from the facts and raw rows."""
    buckets = sorted({hour_of(h) for h in hours})
    if not buckets:
        return 0
    with report_session(using="default") as cur:
        cur.execute("DELETE FROM reports_rollup WHERE bucket = ANY(%s::timestamptz[])", [buckets])
        cur.execute(
            "INSERT INTO reports_rollup (bucket, metric, team_id, agent_id, channel, value, hour) "
            "SELECT *, extract(hour FROM bucket AT TIME ZONE 'UTC') FROM (" + COUNTS + ") counted",
            [buckets],
        )
        counted = cur.rowcount
    days_resum({b.date() for b in buckets})
    return counted


DAY_SUMS = """SELECT (bucket AT TIME ZONE 'UTC')::date, metric, team_id, channel, sum(value)::bigint
    FROM reports_rollup WHERE bucket >= %(first)s AND bucket < %(last)s
      AND (bucket AT TIME ZONE 'UTC')::date = ANY(%(days)s::date[]) GROUP BY 1, 2, 3, 4"""


def _day_params(days: Iterable[date]) -> dict[str, Any]:
    days = sorted(days)
    return {
        "days": days,
        "first": datetime.combine(days[0], time(0), tzinfo=UTC),
        "last": datetime.combine(days[-1], time(0), tzinfo=UTC) + timedelta(days=1),
    }


def days_resum(days: Iterable[date]) -> None:
    """Sum these UTC days' hourly counts into the daily rollup."""
    days = sorted(set(days))
    if not days:
        return
    with report_session(using="default") as cur:
        cur.execute("DELETE FROM reports_rollupday WHERE day = ANY(%s::date[])", [days])
        cur.execute(
            "INSERT INTO reports_rollupday (day, metric, team_id, channel, value) " + DAY_SUMS,
            _day_params(days),
        )


def days_differing(days: Iterable[date]) -> set[tuple]:
    """Daily rows that differ from the sum of their hours (either side)."""
    days = sorted(set(days))
    if not days:
        return set()
    with report_session(using="default") as cur:
        cur.execute(DAY_SUMS, _day_params(days))
        expected = {tuple(row) for row in cur.fetchall()}
        cur.execute(
            "SELECT day, metric, team_id, channel, value FROM reports_rollupday WHERE day = ANY(%s::date[])",
            [days],
        )
        stored = {tuple(row) for row in cur.fetchall()}
    return expected ^ stored


def counts_expected(hours: Iterable[datetime]) -> set[tuple]:
    """What ``hours_recount`` would store for these hours (for reconciling)."""
    buckets = sorted({hour_of(h) for h in hours})
    if not buckets:
        return set()
    with report_session(using="default") as cur:
        cur.execute(COUNTS, [buckets])
        return {tuple(row) for row in cur.fetchall()}


TICKET_HOURS = f"""
SELECT date_trunc('hour', at) FROM (
  SELECT created_at AS at FROM reports_ticketfact WHERE ticket_id = ANY(%(ids)s)
  UNION SELECT solved_at FROM reports_ticketfact WHERE ticket_id = ANY(%(ids)s)
  UNION SELECT first_response_at FROM reports_ticketfact WHERE ticket_id = ANY(%(ids)s)
  UNION SELECT stopped_at FROM tickets_slaclock WHERE ticket_id = ANY(%(ids)s)
  UNION SELECT due_at FROM tickets_promise WHERE ticket_id = ANY(%(ids)s)
  UNION SELECT e.created_at FROM core_event e WHERE e.ticket_id = ANY(%(ids)s) AND {REOPEN}
  UNION SELECT sent_at FROM surveys_surveyinvitation WHERE ticket_id = ANY(%(ids)s)
  UNION SELECT rc.created_at FROM surveys_recoverycase rc JOIN surveys_surveyinvitation i ON i.id = rc.invitation_id WHERE i.ticket_id = ANY(%(ids)s)
  UNION SELECT created_at FROM loyalty_ledgerentry WHERE ticket_id = ANY(%(ids)s)
  UNION SELECT decided_at FROM loyalty_goodwillrequest WHERE ticket_id = ANY(%(ids)s)
  UNION SELECT created_at FROM reports_kudos WHERE ticket_id = ANY(%(ids)s)
  UNION SELECT sent_at FROM surveys_surveyinvitation WHERE customer_id = ANY(%(customers)s) AND ticket_id IS NULL
  UNION SELECT rc.created_at FROM surveys_recoverycase rc WHERE rc.customer_id = ANY(%(customers)s)
) moments WHERE at IS NOT NULL"""


def _hours_touched(ticket_ids: list[int], customer_ids: list[int]) -> set[datetime]:
    with report_session(using="default") as cur:
        cur.execute(TICKET_HOURS, {"ids": ticket_ids, "customers": customer_ids})
        return {row[0] for row in cur.fetchall()}


def tickets_refresh(*, ticket_ids: Iterable[int], customer_ids: Iterable[int] = (),
                    hours: Iterable[datetime] = ()) -> int:  # fmt: skip
    """Rebuild these tickets' facts and recount every hour they touch, before and after."""
    ids, customers = sorted(set(ticket_ids)), sorted(set(customer_ids))
    touched = set(hours) | _hours_touched(ids, customers)
    facts_store(facts_compute(ids), ticket_ids=ids)
    touched |= _hours_touched(ids, customers)
    return hours_recount(touched)


@dataclass
class RefreshResult:
    events: int
    tickets: int
    hours: int


def rollups_refresh(*, now: datetime | None = None, batch: int = EVENT_BATCH) -> RefreshResult:
    """Fold the events past the cursor into the rollups (idempotent; safe to run at once
    from several workers: the cursor row is locked). The current and the previous hour
    are always recounted too, for rows that no event tells of (loyalty points).

    Ids skipped below the newest one read are kept as gaps for ``CURSOR_LAG``: a gap is
    a transaction that took its id and has not committed yet (or rolled back). Its event
    is read when it appears; after the lag the gap is given up (reconcile repairs)."""
    now = now or timezone.now()
    with transaction.atomic():
        RollupCursor.objects.get_or_create(pk=1)
        cursor = RollupCursor.objects.select_for_update().get(pk=1)
        gaps = {int(pk): seen for pk, seen in cursor.gaps.items()}
        events = list(
            Event.objects.filter(Q(pk__gt=cursor.last_event_id) | Q(pk__in=list(gaps)))
            .order_by("pk")
            .values_list("pk", "ticket_id", "customer_id", "created_at")[:batch]
        )
        ticket_ids = [e[1] for e in events if e[1] is not None]
        customer_ids = [e[2] for e in events if e[2] is not None and e[1] is None]
        hours = {hour_of(now), hour_of(now) - HOUR, *(hour_of(e[3]) for e in events)}
        counted = tickets_refresh(ticket_ids=ticket_ids, customer_ids=customer_ids, hours=hours)
        read = {e[0] for e in events}
        newest = max([cursor.last_event_id, *read])
        for pk in range(cursor.last_event_id + 1, newest):
            if pk not in read:
                gaps.setdefault(pk, now.isoformat())
        horizon = (now - CURSOR_LAG).isoformat()
        gaps = {pk: seen for pk, seen in gaps.items() if pk not in read and seen > horizon}
        if len(gaps) > MAX_GAPS:  # a sequence that jumped (a cache, a restore): keep the newest
            gaps = dict(sorted(gaps.items())[-MAX_GAPS:])
        cursor.last_event_id = newest
        cursor.gaps = {str(pk): seen for pk, seen in gaps.items()}
        cursor.save(update_fields=["last_event_id", "gaps", "updated_at"])
    return RefreshResult(events=len(events), tickets=len(set(ticket_ids)), hours=counted)


# Until when the key this process added stands (monotonic clock): an add before then
# would find it, so the round trip to the cache is saved.
_queued_until = 0.0


def on_event_recorded(event: Event) -> None:
    """Queue one refresh for after the commit of the transaction recording ``event``:
    one per transaction, and one per ``REFRESH_DEBOUNCE_SECONDS`` for all of them (the
    refresh reads every event committed by then)."""
    conn = transaction.get_connection()
    if conn.in_atomic_block and any(
        getattr(func, "reports_refresh", False) for _sids, func, _robust in conn.run_on_commit
    ):
        return

    def publish() -> None:
        global _queued_until
        from core.reactions import task_publish
        from reports.tasks import reports_refresh

        if monotonic() < _queued_until:
            return  # this process queued one, and its key has not expired yet
        try:
            first = cache.add("reports:refresh-queued", 1, timeout=REFRESH_DEBOUNCE_SECONDS)
            if first:
                _queued_until = monotonic() + REFRESH_DEBOUNCE_SECONDS
        except Exception:  # no cache: queue it anyway; the refresh is idempotent
            first = True
        if first:
            task_publish(reports_refresh, countdown=REFRESH_DEBOUNCE_SECONDS)

    publish.reports_refresh = True  # type: ignore[attr-defined]
    transaction.on_commit(publish)


# --- rebuilding and reconciling -----------------------------------------------------------


def _ticket_ids_between(since: datetime | None, until: datetime | None) -> list[int]:
    """Tickets with anything to count in [since, until): created, answered or solved then."""
    with connection.cursor() as cur:
        if since is None:
            cur.execute("SELECT id FROM tickets_ticket ORDER BY id")
        else:
            cur.execute(
                """SELECT id FROM tickets_ticket WHERE (created_at >= %(s)s AND created_at < %(u)s)
                     OR (first_response_at >= %(s)s AND first_response_at < %(u)s)
                     OR (solved_at >= %(s)s AND solved_at < %(u)s)
                   UNION SELECT ticket_id FROM reports_ticketfact WHERE (created_at >= %(s)s AND created_at < %(u)s)
                     OR (solved_at >= %(s)s AND solved_at < %(u)s)
                     OR (first_response_at >= %(s)s AND first_response_at < %(u)s)
                   ORDER BY 1""",
                {"s": since, "u": until},
            )
        return [row[0] for row in cur.fetchall()]


def _hours_between(since: datetime, until: datetime) -> list[datetime]:
    hours, at = [], hour_of(since)
    while at < until:
        hours.append(at)
        at += HOUR
    return hours


def _span(since: datetime | None, until: datetime | None) -> tuple[datetime, datetime]:
    if since is None:
        with connection.cursor() as cur:
            # The earliest moment any counted row has: every source, not only tickets.
            cur.execute(
                """SELECT least((SELECT min(created_at) FROM tickets_ticket), (SELECT min(created_at) FROM core_event),
                                (SELECT min(sent_at) FROM surveys_surveyinvitation), (SELECT min(created_at) FROM surveys_recoverycase),
                                (SELECT min(created_at) FROM loyalty_ledgerentry), (SELECT min(decided_at) FROM loyalty_goodwillrequest),
                                (SELECT min(stopped_at) FROM tickets_slaclock), (SELECT min(created_at) FROM reports_kudos),
                                (SELECT min(due_at) FROM tickets_promise), now())"""
            )
            since = cur.fetchone()[0]
    if until is None:
        # Up to now, and to the latest promise kept ahead of its due time.
        with connection.cursor() as cur:
            cur.execute("SELECT greatest(max(due_at), now()) FROM tickets_promise")
            latest = cur.fetchone()[0]
        until = max(timezone.now(), latest or timezone.now()) + HOUR
    return since, until


@dataclass
class Reconciliation:
    since: datetime
    until: datetime
    tickets: int
    facts_differing: list[int]
    counts_missing: list[tuple]
    counts_extra: list[tuple]

    @property
    def equal(self) -> bool:
        return not (self.facts_differing or self.counts_missing or self.counts_extra)


def rollups_reconcile(*, since: datetime | None = None, until: datetime | None = None,
                      repair: bool = False, log: Any = None) -> Reconciliation:  # fmt: skip
    """Recompute [since, until) (everything when ``since`` is None) from the raw rows and
    compare with the stored rollups; with ``repair`` store the recomputed ones."""
    since, until = _span(since, until)
    ids = _ticket_ids_between(None if since is None else since, until)
    clocks, differing = _Clocks(), []
    for start in range(0, len(ids), FACT_BATCH):
        chunk = ids[start : start + FACT_BATCH]
        expected = {row[0]: row for row in facts_compute(chunk, clocks=clocks)}
        stored = {
            row[0]: row
            for row in TicketFact.objects.filter(ticket_id__in=chunk).values_list(*FACT_COLUMNS)
        }
        wrong = [pk for pk in chunk if _fact_key(expected.get(pk)) != _fact_key(stored.get(pk))]
        differing += wrong
        if repair and wrong:
            with transaction.atomic():
                facts_store([expected[pk] for pk in wrong if pk in expected], ticket_ids=wrong)
        if log and start and start % (FACT_BATCH * 20) == 0:
            log(f"facts: {start} of {len(ids)}")
    hours = _hours_between(since, until)
    missing: list[tuple] = []
    extra: list[tuple] = []
    for start in range(0, len(hours), 24 * 7):
        week = hours[start : start + 24 * 7]
        expected_counts = counts_expected(week)
        with connection.cursor() as cur:
            cur.execute(
                "SELECT bucket, metric, team_id, agent_id, channel, value FROM reports_rollup "
                "WHERE bucket >= %s AND bucket < %s",
                [week[0], week[-1] + HOUR],
            )
            stored_counts = {tuple(row) for row in cur.fetchall()}
        week_missing, week_extra = expected_counts - stored_counts, stored_counts - expected_counts
        missing += sorted(week_missing, key=str)
        extra += sorted(week_extra, key=str)
        if repair and (week_missing or week_extra):
            with transaction.atomic():
                hours_recount(week)
    days = sorted({h.date() for h in hours})
    for start in range(0, len(days), 31):
        month = days[start : start + 31]
        wrong_days = days_differing(month)
        missing += sorted(wrong_days, key=str)
        if repair and wrong_days:
            with transaction.atomic():
                days_resum(month)
    return Reconciliation(since, until, len(ids), differing, missing, extra)


def _fact_key(row: tuple | None) -> tuple | None:
    if row is None:
        return None
    # Business and calendar seconds are floats: compare them to the millisecond.
    return tuple(round(v, 3) if isinstance(v, float) else v for v in row)


def rollups_rebuild(*, log: Any = None) -> Reconciliation:
    """Build every rollup from the raw rows (the demo and benchmark data sets, a new
    installation): the reconcile path with repair."""
    result = rollups_reconcile(repair=True, log=log)
    with connection.cursor() as cur:
        cur.execute("SELECT coalesce(max(id), 0) FROM core_event")
        last = cur.fetchone()[0]
    RollupCursor.objects.update_or_create(pk=1, defaults={"last_event_id": last})
    return result
