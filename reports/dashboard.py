# ruff: noqa: E501  (the views read better with a query per line)
"""A dashboard as data: KPIs with their previous value and the link to what they count,
and tables (each drawn as a chart beside it, each exportable as CSV).

Built from the selectors' fixed set of queries, whatever the period or the scope."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from urllib.parse import urlencode

from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from messaging.models import Channel
from reports import selectors
from reports.periods import Period, Scope
from reports.routers import report_session
from reports.selectors import AGE_BANDS, SLA_TARGETS, Totals
from tickets.models import Ticket

# The ticket states' own labels (the tickets catalogue translates them).
STATUS_LABELS = {status: Ticket.Status(status).label for status in ("new", "open", "pending",
                                                                    "on_hold")}  # fmt: skip
BAND_LABELS = {
    "lt_1d": _("under a day"), "1_3d": _("1–3 days"), "3_7d": _("3–7 days"),
    "7_30d": _("7–30 days"), "gt_30d": _("over 30 days"),
}  # fmt: skip
TARGET_LABELS = {
    "first_response": _("First response"), "next_response": _("Next response"),
    "resolution": _("Resolution"),
}  # fmt: skip
NOT_YET = _("not yet available")
ANSWERED, SENT = ("csat_answered", "nps_answered"), ("csat_sent", "nps_sent")  # both surveys


@dataclass
class Kpi:
    key: str
    label: str | Promise
    value: float | int | None
    previous: float | int | None = None
    unit: str = ""  # "%", "h" (hours), "pts" or "" (a count)
    url: str = ""
    available: bool = True
    help: str | Promise = ""

    @property
    def change(self) -> float | None:
        if self.value is None or self.previous is None:
            return None
        return round(self.value - self.previous, 1)


@dataclass
class Table:
    key: str
    title: str | Promise
    columns: list[str | Promise]
    rows: list[list[Any]]  # cells: a value, or (value, url)
    chart: str = "bar"  # "bar", "line" or "" (no chart)
    stacked: bool = False

    def csv_rows(self) -> list[list[Any]]:
        plain = [[c[0] if isinstance(c, tuple) else c for c in row] for row in self.rows]
        return [[str(c) for c in self.columns], *plain]


@dataclass
class Section:
    key: str
    title: str | Promise
    kpis: list[Kpi] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)


def inbox_url(scope: Scope, **filters: Any) -> str:
    """The inbox narrowed to what a number counts, inside the same scope."""
    params: list[tuple[str, Any]] = [("view", "none")]
    if scope.team_ids is not None and len(scope.team_ids) == 1:
        params.append(("team", scope.team_ids[0]))
    if scope.agent_id is not None:
        params.append(("assignee", scope.agent_id))
    if scope.channel and "channel" not in filters:
        params.append(("channel", scope.channel))
    for key, value in filters.items():
        for item in value if isinstance(value, list | tuple) else [value]:
            params.append((key, item.isoformat() if isinstance(item, datetime) else item))
    return reverse("tickets:list") + "?" + urlencode(params)


def list_url(scope: Scope, period: Period, what: str, **filters: Any) -> str:
    """The reports' own lists (survey answers, loyalty entries) behind a number."""
    params = {**period.as_params(), **filters}
    if scope.team_ids is not None and len(scope.team_ids) == 1:
        params["team"] = scope.team_ids[0]
    if scope.agent_id is not None:
        params["agent"] = scope.agent_id
    return reverse("reports:list", args=[what]) + "?" + urlencode(params)


def _hours(seconds: float | None) -> float | None:
    return None if seconds is None else round(seconds / 3600, 1)


def dashboard_build(*, period: Period, scope: Scope, now: datetime | None = None) -> list[Section]:
    """Every section of the dashboard (five queries)."""
    now = now or timezone.now()
    with report_session():  # one transaction for the five reads
        current, previous = selectors.counts(period=period, scope=scope)
        series = selectors.daily(
            period=period, scope=scope,
            metrics=("created", "solved", "reopened", "nps_answered", "nps_promoter", "nps_detractor"),
        )  # fmt: skip
        times = selectors.percentiles(period=period, scope=scope)
        open_now = selectors.backlog(scope=scope, now=now)
        # Counted by their apps for the whole shop only: shown when the scope is too.
        shop_wide = scope.team_ids is None and scope.agent_id is None and not scope.channel
        tone = _tone_applied(period) if shop_wide else None
        deflection = _deflection(period) if shop_wide else None
        outreach = _outreach(period, now) if shop_wide else {}
    totals = Totals(current, previous)
    since, until = period.since, period.until
    closed = ["solved", "closed"]

    def kpi(key: str, label: Any, metric: str, **extra: Any) -> Kpi:
        return Kpi(key, label, totals.get(metric), totals.get(metric, previous=True), **extra)

    volume = Section("volume", _("Volume"), [
        kpi("created", _("Created"), "created", url=inbox_url(scope, created_from=since, created_to=until)),
        kpi("solved", _("Solved"), "solved", url=inbox_url(scope, status=closed, solved_from=since, solved_to=until)),
        kpi("reopened", _("Reopened"), "reopened", url=inbox_url(scope, reopened_from=since, reopened_to=until),
            help=_("Reopened by the customer or an agent in the period.")),
    ])  # fmt: skip
    per_day: dict[tuple[Any, str], int] = {}
    per_channel: dict[tuple[str, str], int] = {}
    for (day, metric, channel), value in series.items():
        per_day[day, metric] = per_day.get((day, metric), 0) + value
        if channel:
            per_channel[channel, metric] = per_channel.get((channel, metric), 0) + value
    counted = ("created", "solved", "reopened")
    by_day = [
        [day.isoformat(), *(per_day.get((day, m), 0) for m in counted)] for day in period.days
    ]
    volume.tables.append(Table("volume_by_day", _("By day"), [_("Day"), _("Created"), _("Solved"), _("Reopened")], by_day, "line"))  # fmt: skip
    by_channel = []
    for channel in sorted({c for (c, m) in per_channel if m in counted}):
        by_channel.append([
            Channel(channel).label if channel in Channel.values else channel,
            (per_channel.get((channel, "created"), 0), inbox_url(scope, channel=channel, created_from=since, created_to=until)),
            (per_channel.get((channel, "solved"), 0), inbox_url(scope, channel=channel, status=closed, solved_from=since, solved_to=until)),
            (per_channel.get((channel, "reopened"), 0), inbox_url(scope, channel=channel, reopened_from=since, reopened_to=until)),
        ])  # fmt: skip
    volume.tables.append(
        Table(
            "volume_by_channel",
            _("By channel"),
            [_("Channel"), _("Created"), _("Solved"), _("Reopened")],
            by_channel,
        )
    )

    backlog = Section("backlog", _("Backlog"))
    backlog.kpis.append(
        Kpi("open", _("Open now"), sum(open_now.values()), url=inbox_url(scope, view="all_open"))
    )
    rows = []
    for status, label in STATUS_LABELS.items():
        row = [label]
        for band, low, high in AGE_BANDS:
            filters: dict[str, Any] = {"status": status}
            if high is not None:
                filters["created_from"] = now - _td(high)
            if low:
                filters["created_to"] = now - _td(low)
            row.append((open_now.get((status, band), 0), inbox_url(scope, **filters)))
        rows.append(row)
    backlog.tables.append(
        Table(
            "backlog",
            _("Open tickets by age"),
            [_("Status"), *BAND_LABELS.values()],
            rows,
            "bar",
            stacked=True,
        )
    )

    response = Section("response", _("Response times"))
    rows = []
    for key, label, link in (
        ("first_response", _("First response"), {"responded_from": since, "responded_to": until}),
        (
            "resolution",
            _("Resolution"),
            {"status": closed, "solved_from": since, "solved_to": until},
        ),
    ):
        for suffix, clock in (("_business", _("business hours")), ("", _("calendar time"))):
            t = times[key + suffix]
            rows.append([f"{label} ({clock})", _hours(t["median"]), _hours(t["p90"]),
                         _hours(t["previous_median"]), _hours(t["previous_p90"]),
                         (t["samples"], inbox_url(scope, **link))])  # fmt: skip
        first = times[key + "_business"]
        response.kpis.append(Kpi(f"{key}_median", _("%(what)s, median (business hours)") % {"what": label},
                                 _hours(first["median"]), _hours(first["previous_median"]), "h", inbox_url(scope, **link)))  # fmt: skip
    response.tables.append(Table("response_times", _("Response times in hours"),
                                 [_("Measure"), _("Median"), _("p90"), _("Median before"), _("p90 before"), _("Tickets")], rows))  # fmt: skip

    sla = Section("sla", _("Service levels"))
    rows = []
    for target in SLA_TARGETS:
        total, breached = totals.get(f"sla_{target}_total"), totals.get(f"sla_{target}_breached")
        rate = totals.share("", f"sla_{target}_total", minus=f"sla_{target}_breached")
        before = totals.share(
            "", f"sla_{target}_total", minus=f"sla_{target}_breached", previous=True
        )
        sla.kpis.append(Kpi(f"sla_{target}", TARGET_LABELS[target], rate, before, "%"))
        rows.append([TARGET_LABELS[target], total, total - breached, breached, rate])
    sla.tables.append(
        Table(
            "sla",
            _("SLA compliance per target"),
            [_("Target"), _("Clocks stopped"), _("Met"), _("Breached"), _("Compliance %")],
            rows,
        )
    )

    surveys = Section("surveys", _("Surveys"))
    surveys.kpis += [
        Kpi("csat", _("CSAT"), totals.share("csat_happy", "csat_answered"), totals.share("csat_happy", "csat_answered", previous=True), "%",
            list_url(scope, period, "surveys", kind="csat")),
        Kpi("response_rate", _("Response rate"), totals.share(ANSWERED, SENT), totals.share(ANSWERED, SENT, previous=True), "%",
            list_url(scope, period, "surveys")),
        Kpi("nps", _("NPS"), totals.nps(), totals.nps(previous=True), "", list_url(scope, period, "surveys", kind="nps")),
        kpi("promoters", _("Promoters"), "nps_promoter", url=list_url(scope, period, "surveys", kind="nps", band="promoter")),
        kpi("passives", _("Passives"), "nps_passive", url=list_url(scope, period, "surveys", kind="nps", band="passive")),
        kpi("detractors", _("Detractors"), "nps_detractor", url=list_url(scope, period, "surveys", kind="nps", band="detractor")),
        Kpi("recovered", _("Detractors recovered"), totals.share("recovery_recovered", "recovery_opened"),
            totals.share("recovery_recovered", "recovery_opened", previous=True), "%", list_url(scope, period, "recoveries")),
    ]  # fmt: skip
    trend = []
    for day in period.days:
        if answered := per_day.get((day, "nps_answered"), 0):
            score = per_day.get((day, "nps_promoter"), 0) - per_day.get((day, "nps_detractor"), 0)
            trend.append([day.isoformat(), round(100 * score / answered, 1), answered])
    surveys.tables.append(
        Table("nps_trend", _("NPS by day"), [_("Day"), _("NPS"), _("Answers")], trend, "line")
    )

    promises = Section("promises", _("Promises"), [
        Kpi("promises_kept", _("Kept"), totals.share("promise_kept", ("promise_kept", "promise_broken")),
            totals.share("promise_kept", ("promise_kept", "promise_broken"), previous=True), "%",
            help=_("Promises due in the period that were kept, of those kept or broken.")),
    ])  # fmt: skip
    quality = Section("quality", _("Quality"), [
        Kpi("one_touch", _("One-touch resolution"), totals.share("one_touch", "solved"), totals.share("one_touch", "solved", previous=True), "%",
            inbox_url(scope, status=closed, solved_from=since, solved_to=until)),
        Kpi("reopen_rate", _("Reopen rate"), totals.share("reopened", "solved"), totals.share("reopened", "solved", previous=True), "%",
            inbox_url(scope, reopened_from=since, reopened_to=until)),
        Kpi("tone_applied", _("Tone suggestions applied"), tone, unit="%", available=shop_wide,
            help=_("Counted for the whole shop only, not per team, agent or channel.")),
    ])  # fmt: skip
    self_service = Section("self_service", _("Self-service and outreach"), [
        Kpi("self_service", _("Self-service resolutions"), None, available=False),
        Kpi("deflection", _("Help-center deflection"), deflection, unit="%", available=shop_wide,
            help=_("Suggested articles opened that no contact-form ticket followed within a day; counted for the whole shop only.")),
        Kpi("outreach_sent", _("Outreach sent"), outreach.get("sent"), outreach.get("sent_before"), available=shop_wide,
            help=_("Proactive messages sent in the period; counted for the whole shop only.")),
        Kpi("outreach_replied", _("Outreach replied"), _share(outreach, "replied", "sent"),
            _share(outreach, "replied_before", "sent_before"), "%", available=shop_wide,
            help=_("Of those, the share the customer wrote back to within the reply window; counted for the whole shop only.")),
    ])  # fmt: skip
    loyalty = Section("loyalty", _("Loyalty"), [
        kpi("points_issued", _("Points issued"), "points_issued", unit="pts", url=list_url(scope, period, "loyalty", kind="issued")),
        kpi("points_redeemed", _("Points redeemed"), "points_redeemed", unit="pts", url=list_url(scope, period, "loyalty", kind="redeem")),
        kpi("points_expired", _("Points expired"), "points_expired", unit="pts", url=list_url(scope, period, "loyalty", kind="expire")),
        kpi("goodwill_granted", _("Goodwill granted"), "goodwill_granted", unit="pts", url=list_url(scope, period, "loyalty", kind="goodwill")),
        kpi("goodwill_approved", _("Goodwill approved"), "goodwill_approved", url=list_url(scope, period, "loyalty", kind="goodwill")),
    ])  # fmt: skip
    return [volume, backlog, response, sla, surveys, promises, quality, self_service, loyalty]


def _tone_applied(period: Period) -> float | None:
    """Replies whose drafts a tone rule fired on, how often the advice was taken (one
    query; the tone assistant counts per language, rule and day, not per team)."""
    from datetime import timedelta

    from tickets.tone.stats import tone_rule_use

    uses = tone_rule_use(start=period.first_day, end=period.last_day + timedelta(days=1))
    fired = sum(u.fired for u in uses)
    return round(100 * sum(u.applied for u in uses) / fired, 1) if fired else None


def _deflection(period: Period) -> float | None:
    from helpcenter.selectors import deflection_stats

    rate = deflection_stats(since=period.since, until=period.until)["rate"]
    return None if rate is None else round(100 * rate, 1)


def _outreach(period: Period, now: datetime) -> dict[str, int]:
    from outreach.outcomes import outreach_totals

    return outreach_totals(since=period.since, until=period.until,
                           previous_since=period.previous_since, now=now)  # fmt: skip


def _share(counts: dict[str, int], part: str, whole: str) -> float | None:
    return round(100 * counts[part] / counts[whole], 1) if counts.get(whole) else None


def _td(hours: int) -> Any:
    from datetime import timedelta

    return timedelta(hours=hours)


def table_find(sections: list[Section], key: str) -> Table | None:
    for section in sections:
        for table in section.tables:
            if table.key == key:
                return table
    if key == "kpis":
        rows = [[str(s.title), str(k.label), "" if k.value is None else k.value,
                 "" if k.previous is None else k.previous, k.unit]
                for s in sections for k in s.kpis if k.available]  # fmt: skip
        return Table(
            "kpis",
            _("Key figures"),
            [_("Section"), _("Figure"), _("Value"), _("Before"), _("Unit")],
            rows,
            "",
        )
    return None
