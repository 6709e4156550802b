# ruff: noqa: E501  (SQL statements read better unwrapped)
"""The dashboards' reads, from the rollups only, in a fixed number of queries whatever the
period or the data's size: one for every count of the period and the previous one, one
for the daily series, one for the percentiles, one for the backlog."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from reports.periods import Period, Scope
from reports.rollups import UNSOLVED
from reports.routers import report_session

AGE_BANDS = [  # (key, from hours, to hours)
    ("lt_1d", 0, 24), ("1_3d", 24, 72), ("3_7d", 72, 168), ("7_30d", 168, 720), ("gt_30d", 720, None),
]  # fmt: skip
SLA_TARGETS = ("first_response", "next_response", "resolution")


def _fetch(sql: str, params: list[Any]) -> list[tuple]:
    with report_session() as cur:
        cur.execute(sql, params)
        return cur.fetchall()


def _split(since: datetime, until: datetime) -> tuple[date, date, datetime, datetime]:
    """[since, until) as whole UTC days [first, last) and the edge hours around them:
    [since, days_start) and [days_end, until)."""
    start = since.astimezone(UTC)
    first = start.date() + timedelta(days=1) if start.time() != time(0) else start.date()
    last = until.astimezone(UTC).date()
    if first >= last:  # no whole day inside: all hours
        return first, first, until, until
    return (first, last, datetime.combine(first, time(0), tzinfo=UTC),
            datetime.combine(last, time(0), tzinfo=UTC))  # fmt: skip


def counts(*, period: Period, scope: Scope) -> tuple[dict[str, int], dict[str, int]]:
    """Every metric's total in the period and in the previous one (one query). Without
    an agent filter: whole UTC days from the daily rollup, the hours at the edges from
    the hourly one; for one agent, that agent's hourly rows."""
    where, params = scope.where()
    if scope.agent_id is not None:
        rows = _fetch(
            f"""SELECT metric, coalesce(sum(value) FILTER (WHERE bucket >= %s), 0),
                       coalesce(sum(value) FILTER (WHERE bucket < %s), 0)
                FROM reports_rollup WHERE bucket >= %s AND bucket < %s AND {where} GROUP BY metric""",  # noqa: S608
            [period.since, period.since, period.previous_since, period.until, *params],
        )
    else:
        p_first, p_last, p_start, p_end = _split(period.previous_since, period.since)
        c_first, c_last, c_start, c_end = _split(period.since, period.until)
        rows = _fetch(
            f"""SELECT metric, coalesce(sum(value) FILTER (WHERE current), 0),
                       coalesce(sum(value) FILTER (WHERE NOT current), 0)
                FROM (
                  SELECT metric, value, day >= %s AS current FROM reports_rollupday
                  WHERE ((day >= %s AND day < %s) OR (day >= %s AND day < %s)) AND {where}
                  UNION ALL
                  SELECT metric, value, bucket >= %s FROM reports_rollup
                  WHERE ((bucket >= %s AND bucket < %s) OR (bucket >= %s AND bucket < %s)
                      OR (bucket >= %s AND bucket < %s) OR (bucket >= %s AND bucket < %s)) AND {where}
                ) parts GROUP BY metric""",  # noqa: S608
            [c_first, p_first, p_last, c_first, c_last, *params,
             period.since, period.previous_since, p_start, p_end, period.since,
             period.since, c_start, c_end, period.until, *params],
        )  # fmt: skip
    current = {metric: int(now) for metric, now, _before in rows}
    previous = {metric: int(before) for metric, _now, before in rows}
    return current, previous


def _shifted_hours(period: Period) -> list[int]:
    """UTC hours of the day whose date in the viewer's zone differs from the zone's date
    at that UTC day's noon (the date a whole UTC day is counted on): for Berlin in
    winter 23:00, for New York 00:00–04:00."""
    zone = ZoneInfo(period.time_zone)
    hours = set()
    for day in [
        period.first_day - timedelta(days=1),
        *period.days,
        period.last_day + timedelta(days=1),
    ]:
        noon = datetime.combine(day, time(12), tzinfo=UTC)
        for hour in range(24):
            moment = datetime.combine(day, time(hour), tzinfo=UTC)
            if moment.astimezone(zone).date() != noon.astimezone(zone).date():
                hours.add(hour)
    return sorted(hours)


def daily(
    *, period: Period, scope: Scope, metrics: tuple[str, ...]
) -> dict[tuple[date, str, str], int]:
    """(local day, metric, channel) → total, for the charts (one query). Without an agent
    filter: each whole UTC day counted on its local date at noon, corrected by the few
    hours of the day whose local date differs."""
    where, params = scope.where()
    if scope.agent_id is not None:
        rows = _fetch(
            f"""SELECT (bucket AT TIME ZONE %s)::date, metric, channel, sum(value)
                FROM reports_rollup WHERE bucket >= %s AND bucket < %s AND metric = ANY(%s) AND {where}
                GROUP BY 1, 2, 3""",  # noqa: S608
            [period.time_zone, period.since, period.until, list(metrics), *params],
        )
        return {(day, metric, channel): int(value) for day, metric, channel, value in rows}
    zone, widen = period.time_zone, timedelta(days=1)
    rows = _fetch(
        f"""WITH shifted AS (
              SELECT (bucket AT TIME ZONE %s)::date AS own_day,
                     ((date_trunc('day', bucket AT TIME ZONE 'UTC') + interval '12 hours') AT TIME ZONE 'UTC' AT TIME ZONE %s)::date AS counted_on,
                     metric, channel, value
              FROM reports_rollup WHERE hour = ANY(%s) AND bucket >= %s AND bucket < %s AND metric = ANY(%s) AND {where})
            SELECT day, metric, channel, sum(value) FROM (
              SELECT ((day + time '12:00') AT TIME ZONE 'UTC' AT TIME ZONE %s)::date AS day, metric, channel, value
              FROM reports_rollupday WHERE day >= %s AND day <= %s AND metric = ANY(%s) AND {where}
              UNION ALL SELECT own_day, metric, channel, value FROM shifted WHERE own_day <> counted_on
              UNION ALL SELECT counted_on, metric, channel, -value FROM shifted WHERE own_day <> counted_on
            ) parts WHERE day >= %s AND day <= %s GROUP BY 1, 2, 3""",  # noqa: S608
        [zone, zone, _shifted_hours(period), period.since - widen, period.until + widen, list(metrics), *params,
         zone, period.first_day - widen, period.last_day + widen, list(metrics), *params,
         period.first_day, period.last_day],
    )  # fmt: skip
    return {(day, metric, channel): int(value) for day, metric, channel, value in rows if value}


MEASURES = [
    # (key, the moment that places a sample in a period, the sample column)
    ("first_response", "first_response_at", "first_response_seconds"),
    ("first_response_business", "first_response_at", "first_response_business_seconds"),
    ("resolution", "solved_at", "resolution_seconds"),
    ("resolution_business", "solved_at", "resolution_business_seconds"),
]


def percentiles(*, period: Period, scope: Scope) -> dict[str, dict[str, float | None]]:
    """Median and p90 of each response time, now and before, by ``percentile_cont`` over
    the facts: one query per moment that places a sample (first response, solved), each
    read from that moment's covering index alone. Keys like ``first_response_business``
    → {"median", "p90", "previous_median", "previous_p90", "samples"}."""
    where, params = scope.where()
    periods = ((period.since, period.until), (period.previous_since, period.since))
    result = {}
    for moment in dict.fromkeys(moment for _key, moment, _column in MEASURES):
        measures = [(key, column) for key, at, column in MEASURES if at == moment]
        select, select_params = [], []
        for _key, column in measures:
            for since, until in periods:
                # Both fractions from one sort: the array form of percentile_cont.
                select.append(
                    f"percentile_cont(ARRAY[0.5, 0.9]) WITHIN GROUP (ORDER BY {column}) FILTER (WHERE {moment} >= %s AND {moment} < %s)"
                )
                select_params += [since, until]
            select.append(f"count({column}) FILTER (WHERE {moment} >= %s AND {moment} < %s)")
            select_params += [period.since, period.until]
        rows = _fetch(
            f"""SELECT {", ".join(select)} FROM reports_ticketfact
                WHERE {moment} >= %s AND {moment} < %s AND {where}""",  # noqa: S608
            [*select_params, period.previous_since, period.until, *params],
        )
        values = list(rows[0])
        for key, _column in measures:
            now, before, samples = values[:3]
            values = values[3:]
            median, p90 = now or (None, None)
            previous_median, previous_p90 = before or (None, None)
            result[key] = {
                "median": median, "p90": p90, "previous_median": previous_median,
                "previous_p90": previous_p90, "samples": samples,
            }  # fmt: skip
    return result


def backlog(*, scope: Scope, now: datetime) -> dict[tuple[str, str], int]:
    """Open tickets now, by (status, age band) (one query)."""
    where, params = scope.where()
    bands = " ".join(
        f"WHEN created_at > %s THEN '{key}'" for key, _low, high in AGE_BANDS if high is not None
    )
    band_params = [
        now - timedelta(hours=high) for _key, _low, high in AGE_BANDS if high is not None
    ]
    rows = _fetch(
        f"""SELECT status, CASE {bands} ELSE 'gt_30d' END, count(*) FROM reports_ticketfact
            WHERE status = ANY(%s) AND {where} GROUP BY 1, 2""",  # noqa: S608
        [*band_params, list(UNSOLVED), *params],
    )
    return {(status, band): count for status, band, count in rows}


def agent_totals(
    *, period: Period, scope: Scope, metrics: tuple[str, ...]
) -> dict[int, dict[str, int]]:
    """Per agent: the totals of ``metrics`` in the period (the scoreboard; one query)."""
    where, params = scope.where()
    rows = _fetch(
        f"""SELECT agent_id, metric, sum(value) FROM reports_rollup
            WHERE bucket >= %s AND bucket < %s AND metric = ANY(%s) AND agent_id IS NOT NULL AND {where}
            GROUP BY 1, 2""",  # noqa: S608
        [period.since, period.until, list(metrics), *params],
    )
    result: dict[int, dict[str, int]] = {}
    for agent_id, metric, value in rows:
        result.setdefault(agent_id, {})[metric] = int(value)
    return result


def weekly_bests(
    *, scope: Scope, before: datetime, weeks: int, metrics: tuple[str, ...]
) -> dict[tuple[int, str], int]:
    """Per agent and metric: the best single week of the ``weeks`` before ``before`` (one
    query): the personal bests of the scoreboard."""
    where, params = scope.where()
    rows = _fetch(
        f"""SELECT agent_id, metric, max(total) FROM (
              SELECT agent_id, metric, floor(extract(epoch FROM %s - bucket) / 604800) AS week, sum(value) AS total
              FROM reports_rollup WHERE bucket >= %s AND bucket < %s AND metric = ANY(%s)
                AND agent_id IS NOT NULL AND {where} GROUP BY 1, 2, 3) weekly GROUP BY 1, 2""",  # noqa: S608
        [before, before - timedelta(weeks=weeks), before, list(metrics), *params],
    )
    return {(agent_id, metric): int(best) for agent_id, metric, best in rows}


@dataclass
class Totals:
    """Counts of a period and the previous one, with the derived rates."""

    current: dict[str, int] = field(default_factory=dict)
    previous: dict[str, int] = field(default_factory=dict)

    def get(self, metric: str, *, previous: bool = False) -> int:
        return (self.previous if previous else self.current).get(metric, 0)

    def share(self, part: str | tuple[str, ...], whole: str | tuple[str, ...], *,
              previous: bool = False, minus: str | None = None) -> float | None:  # fmt: skip
        """``part`` in % of ``whole`` (sums when tuples); with ``minus``, the share of
        ``whole`` that is not ``minus``. None when ``whole`` is 0: nothing to measure."""
        wholes = (whole,) if isinstance(whole, str) else whole
        total = sum(self.get(w, previous=previous) for w in wholes)
        if not total:
            return None
        parts = (part,) if isinstance(part, str) else part
        value = sum(self.get(p, previous=previous) for p in parts if p)
        if minus:
            value = total - self.get(minus, previous=previous)
        return round(100 * value / total, 1)

    def nps(self, *, previous: bool = False) -> float | None:
        answered = self.get("nps_answered", previous=previous)
        if not answered:
            return None
        promoters = self.get("nps_promoter", previous=previous)
        detractors = self.get("nps_detractor", previous=previous)
        return round(100 * (promoters - detractors) / answered, 1)
