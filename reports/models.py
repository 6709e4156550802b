"""Rollups the dashboards read, and the scoreboard's kudos and team goals.

``TicketFact`` holds one row per ticket with the measures the percentiles are taken over
(the rollups' samples); ``Rollup`` holds counts per hour, metric, team, agent and
channel. Both are derived from the raw rows only (``reports.rollups``), so they can be
rebuilt and compared at any time (``manage.py reports_reconcile``)."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.models import Team

# What a dashboard's scope filters facts by (reports.periods.Scope).
SCOPE_COLUMNS = ("team_id", "agent_id", "channel")


class TicketFact(models.Model):
    """One ticket's measures, in calendar and in business seconds of its team."""

    ticket_id = models.BigIntegerField(primary_key=True)
    team_id = models.BigIntegerField(null=True)
    agent_id = models.BigIntegerField(null=True)
    channel = models.CharField(max_length=16)
    status = models.CharField(max_length=8)
    created_at = models.DateTimeField()
    first_response_at = models.DateTimeField(null=True)
    solved_at = models.DateTimeField(null=True)
    first_response_seconds = models.FloatField(null=True)
    first_response_business_seconds = models.FloatField(null=True)
    resolution_seconds = models.FloatField(null=True)
    resolution_business_seconds = models.FloatField(null=True)
    replies = models.PositiveIntegerField(default=0)
    reopens = models.PositiveIntegerField(default=0)
    one_touch = models.BooleanField(default=False)

    class Meta:
        indexes = [
            models.Index(fields=["created_at"], name="fact_created"),
            # Covering the response-time percentiles and their scopes: the dashboards
            # read a quarter's samples from the index alone (no heap visits).
            models.Index(
                fields=["first_response_at"],
                name="fact_first_response",
                include=[
                    *SCOPE_COLUMNS,
                    "first_response_seconds",
                    "first_response_business_seconds",
                ],
            ),
            models.Index(
                fields=["solved_at"],
                name="fact_solved",
                include=[*SCOPE_COLUMNS, "resolution_seconds", "resolution_business_seconds"],
            ),
            models.Index(fields=["team_id", "solved_at"], name="fact_team_solved"),
            models.Index(fields=["team_id", "first_response_at"], name="fact_team_first_response"),
            models.Index(fields=["agent_id", "solved_at"], name="fact_agent_solved"),
            models.Index(
                fields=["team_id", "status", "created_at"],
                name="fact_backlog",
                condition=models.Q(status__in=["new", "open", "pending", "on_hold"]),
            ),
        ]

    def __str__(self) -> str:
        return f"facts of #{self.ticket_id}"


class Rollup(models.Model):
    """A count (or a sum of points) of one metric in one UTC hour for one team, agent and
    channel. Hours fit every time zone with whole-hour offsets, so a period read in the
    viewer's zone is a range of buckets."""

    bucket = models.DateTimeField()
    # The bucket's hour of the UTC day: the daily chart reads whole UTC days from
    # RollupDay and only the hours where the viewer's date differs from UTC's from here.
    hour = models.PositiveSmallIntegerField()
    metric = models.CharField(max_length=32)
    team_id = models.BigIntegerField(null=True)
    agent_id = models.BigIntegerField(null=True)
    channel = models.CharField(max_length=16, blank=True)
    value = models.BigIntegerField()

    class Meta:
        indexes = [
            models.Index(fields=["bucket", "metric"], name="rollup_bucket"),
            models.Index(fields=["hour", "bucket"], name="rollup_hour_bucket"),
            models.Index(fields=["team_id", "bucket"], name="rollup_team_bucket"),
            models.Index(fields=["agent_id", "bucket"], name="rollup_agent_bucket"),
        ]

    def __str__(self) -> str:
        return f"{self.metric} {self.bucket:%Y-%m-%d %H}h = {self.value}"


class RollupDay(models.Model):
    """The hourly counts summed per UTC day, team and channel (not per agent: a day has
    about as many agent and channel pairs as tickets, so only this grain is small). A
    period without an agent filter reads whole days from here and only its edge hours
    (where the viewer's midnight is not UTC's) from ``Rollup``."""

    day = models.DateField()
    metric = models.CharField(max_length=32)
    team_id = models.BigIntegerField(null=True)
    channel = models.CharField(max_length=16, blank=True)
    value = models.BigIntegerField()

    class Meta:
        indexes = [
            models.Index(fields=["day", "metric"], name="rollupday_day"),
            models.Index(fields=["team_id", "day"], name="rollupday_team_day"),
        ]

    def __str__(self) -> str:
        return f"{self.metric} {self.day} = {self.value}"


class RollupCursor(models.Model):
    """How far the refresh has read the audit trail (one row)."""

    last_event_id = models.BigIntegerField(default=0)
    # Ids below last_event_id not seen yet ({id: first noticed}): transactions in flight.
    gaps = models.JSONField(default=dict, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"events up to {self.last_event_id}"


class Kudos(models.Model):
    """An agent's thanks to a colleague for their work on a ticket."""

    ticket_id = models.BigIntegerField(_("ticket"))
    giver = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="kudos_given"
    )
    receiver = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="kudos_received"
    )
    message = models.CharField(_("message"), max_length=280)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("kudos")
        verbose_name_plural = _("kudos")
        constraints = [
            models.UniqueConstraint(
                fields=["ticket_id", "giver", "receiver"], name="kudos_once_per_ticket"
            ),
            models.CheckConstraint(
                condition=~models.Q(giver=models.F("receiver")), name="kudos_not_to_self"
            ),
        ]
        indexes = [models.Index(fields=["receiver", "-created_at"], name="kudos_received")]

    def __str__(self) -> str:
        return f"kudos on #{self.ticket_id}"


class TeamGoal(models.Model):
    class Metric(models.TextChoices):
        SOLVED = "solved", _("Tickets solved")
        CSAT_HAPPY = "csat_happy", _("Happy customers (CSAT 4–5)")
        RECOVERED = "recovered", _("Detractors recovered")
        KUDOS = "kudos", _("Kudos given in the team")

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="goals")
    metric = models.CharField(_("goal"), max_length=16, choices=Metric.choices)
    target = models.PositiveIntegerField(
        _("target"), validators=[MinValueValidator(1), MaxValueValidator(1_000_000)]
    )
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("team goal")
        verbose_name_plural = _("team goals")
        ordering = ["ends_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")), name="goal_ends_after_start"
            )
        ]

    def __str__(self) -> str:
        return f"{self.team}: {self.get_metric_display()} {self.target}"


class WeeklyReportPreference(models.Model):
    """The day a lead gets the weekly report (Monday when they chose none)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="weekly_report"
    )
    weekday = models.PositiveSmallIntegerField(
        _("day"), default=0, validators=[MinValueValidator(0), MaxValueValidator(6)]
    )
    enabled = models.BooleanField(_("send the weekly report"), default=True)

    class Meta:
        verbose_name = _("weekly report preference")
        verbose_name_plural = _("weekly report preferences")

    def __str__(self) -> str:
        return f"weekly report for {self.user}"


class WeeklyReportDelivery(models.Model):
    """One weekly report sent to one lead: the row makes the sweep send it once."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    week_ending = models.DateField()
    outbox_id = models.BigIntegerField(null=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "week_ending"], name="weekly_report_once")
        ]

    def __str__(self) -> str:
        return f"weekly report {self.week_ending} for {self.user_id}"
