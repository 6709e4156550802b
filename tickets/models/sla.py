"""Business hours, SLA policies and the clocks that run on each ticket, and the staff
notifications they (and promises) send."""

from __future__ import annotations

from datetime import time

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.models import Team


class BusinessCalendar(models.Model):
    """A team's opening hours. The time zone and country are the team's own; holidays
    come from the ``holidays`` package for that country and ``subdivision``."""

    team = models.OneToOneField(
        Team, on_delete=models.CASCADE, related_name="calendar", verbose_name=_("team")
    )
    subdivision = models.CharField(
        _("subdivision"),
        max_length=8,
        blank=True,
        help_text=_("The state or province whose public holidays apply too, e.g. BY or NW."),
    )
    observe_holidays = models.BooleanField(_("closed on public holidays"), default=True)
    half_day_closes = models.TimeField(
        _("half days close at"),
        default=time(13, 0),
        help_text=_(
            "On half holidays (such as the eve of a Turkish holiday) the team closes then."
        ),
    )

    class Meta:
        verbose_name = _("business calendar")
        verbose_name_plural = _("business calendars")

    def __str__(self) -> str:
        return str(self.team)

    def clean(self) -> None:
        if self.subdivision and self.team_id:
            import holidays

            known = holidays.list_supported_countries().get(self.team.country, [])
            if self.subdivision not in known:
                raise ValidationError(
                    {
                        "subdivision": _("%(code)s is not a subdivision of %(country)s.")
                        % {"code": self.subdivision, "country": self.team.country}
                    }
                )


class OpeningHours(models.Model):
    class Weekday(models.IntegerChoices):
        MONDAY = 0, _("Monday")
        TUESDAY = 1, _("Tuesday")
        WEDNESDAY = 2, _("Wednesday")
        THURSDAY = 3, _("Thursday")
        FRIDAY = 4, _("Friday")
        SATURDAY = 5, _("Saturday")
        SUNDAY = 6, _("Sunday")

    calendar = models.ForeignKey(
        BusinessCalendar, on_delete=models.CASCADE, related_name="opening_hours"
    )
    weekday = models.PositiveSmallIntegerField(_("day"), choices=Weekday.choices)
    opens = models.TimeField(_("opens"))
    closes = models.TimeField(_("closes"), help_text=_("00:00 means midnight."))

    class Meta:
        verbose_name = _("opening hours")
        verbose_name_plural = _("opening hours")
        ordering = ["weekday", "opens"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(closes__gt=models.F("opens")) | models.Q(closes=time(0)),
                name="opening_hours_close_after_open",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.opens:%H:%M}–{self.closes:%H:%M}"

    def clean(self) -> None:
        if self.closes != time(0) and self.opens and self.closes and self.closes <= self.opens:
            raise ValidationError({"closes": _("A shift closes after it opens.")})


class Closure(models.Model):
    """Closed on every day from ``first`` to ``last`` (a stocktaking day, a move)."""

    calendar = models.ForeignKey(
        BusinessCalendar, on_delete=models.CASCADE, related_name="closures"
    )
    first = models.DateField(_("first day"))
    last = models.DateField(_("last day"))
    reason = models.CharField(_("reason"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("closure")
        verbose_name_plural = _("closures")
        ordering = ["first"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(last__gte=models.F("first")), name="closure_last_after_first"
            )
        ]

    def __str__(self) -> str:
        return f"{self.first}–{self.last} {self.reason}"


class SlaPolicy(models.Model):
    """Targets in business minutes for the tickets of a team (or every team) and a
    priority (or every priority). The most specific policy applies."""

    team = models.ForeignKey(
        Team,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="sla_policies",
        verbose_name=_("team"),
        help_text=_("Empty: every team without its own policy."),
    )
    priority = models.PositiveSmallIntegerField(
        _("priority"),
        null=True,
        blank=True,
        choices=[(1, _("Low")), (2, _("Normal")), (3, _("High")), (4, _("Urgent"))],
        help_text=_("Empty: every priority without its own policy."),
    )
    first_response_minutes = models.PositiveIntegerField(
        _("first response (business minutes)"), null=True, blank=True
    )
    next_response_minutes = models.PositiveIntegerField(
        _("next response (business minutes)"),
        null=True,
        blank=True,
        help_text=_("After each customer message that waits for an answer."),
    )
    resolution_minutes = models.PositiveIntegerField(
        _("resolution (business minutes)"), null=True, blank=True
    )
    pause_when_pending = models.BooleanField(_("pause while pending"), default=True)
    pause_when_on_hold = models.BooleanField(_("pause while on hold"), default=True)
    at_risk_percent = models.PositiveSmallIntegerField(
        _("at risk from (percent of the target used)"),
        default=75,
        validators=[MinValueValidator(1), MaxValueValidator(99)],
    )

    class Meta:
        verbose_name = _("SLA policy")
        verbose_name_plural = _("SLA policies")
        ordering = ["team__name", "-priority"]
        constraints = [
            models.UniqueConstraint(
                fields=["team", "priority"],
                name="sla_policy_one_per_team_priority",
                nulls_distinct=False,
            ),
            models.CheckConstraint(
                condition=models.Q(at_risk_percent__gte=1, at_risk_percent__lte=99),
                name="sla_policy_at_risk_percent",
            ),
        ]

    def __str__(self) -> str:
        team = self.team or _("every team")
        priority = self.get_priority_display() if self.priority else _("every priority")
        return f"{team} · {priority}"

    def minutes(self, target: str) -> int | None:
        return getattr(self, f"{target}_minutes")


class SlaClock(models.Model):
    """One target running on one ticket: the first response, the answer to one customer
    message, or the resolution. Its due time moves only by the business time it spent
    paused; it stops when the target is met (or the ticket solved), and it is breached
    when it stops late or the sweep finds it past due."""

    class Target(models.TextChoices):
        FIRST_RESPONSE = "first_response", _("First response")
        NEXT_RESPONSE = "next_response", _("Next response")
        RESOLUTION = "resolution", _("Resolution")

    ticket = models.ForeignKey(
        "tickets.Ticket", on_delete=models.CASCADE, related_name="sla_clocks"
    )
    target = models.CharField(_("target"), max_length=16, choices=Target.choices)
    policy = models.ForeignKey(SlaPolicy, null=True, on_delete=models.SET_NULL, related_name="+")
    started_at = models.DateTimeField(_("started"))
    target_seconds = models.PositiveIntegerField(_("target (business seconds)"))
    paused_seconds = models.PositiveIntegerField(_("paused (business seconds)"), default=0)
    paused_at = models.DateTimeField(_("paused since"), null=True, blank=True)
    due_at = models.DateTimeField(_("due"))
    at_risk_at = models.DateTimeField(_("at risk from"))
    stopped_at = models.DateTimeField(_("stopped"), null=True, blank=True)
    breached_at = models.DateTimeField(_("breached"), null=True, blank=True)
    at_risk_notified_at = models.DateTimeField(null=True, blank=True, editable=False)
    breach_notified_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("SLA clock")
        verbose_name_plural = _("SLA clocks")
        ordering = ["started_at", "pk"]
        constraints = [
            # At most one clock of each target runs on a ticket at a time.
            models.UniqueConstraint(
                fields=["ticket", "target"],
                condition=models.Q(stopped_at__isnull=True),
                name="sla_clock_one_running_per_target",
            ),
        ]
        indexes = [
            # The beat sweep's two questions: which running clocks turned at risk, and
            # which are past due, and not yet told.
            models.Index(
                fields=["at_risk_at"],
                name="sla_clock_risk_due",
                condition=models.Q(
                    stopped_at__isnull=True,
                    paused_at__isnull=True,
                    at_risk_notified_at__isnull=True,
                ),
            ),
            models.Index(
                fields=["due_at"],
                name="sla_clock_breach_due",
                condition=models.Q(
                    stopped_at__isnull=True, paused_at__isnull=True, breach_notified_at__isnull=True
                ),
            ),
            models.Index(
                fields=["stopped_at"],
                name="sla_clock_stopped",
                condition=models.Q(stopped_at__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_target_display()} on #{self.ticket_id}"

    @property
    def running(self) -> bool:
        return self.stopped_at is None and self.paused_at is None

    @property
    def met(self) -> bool | None:
        """True when it stopped in time, False when breached, None while it runs."""
        if self.breached_at is not None:
            return False
        return True if self.stopped_at is not None else None


class Notification(models.Model):
    """Something a staff member should know: shown in the header's list and emailed once
    in their language. ``kind`` names a declared text (``tickets.notify``); ``params``
    fill it when it is shown, so it reads in the language of whoever reads it."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(_("kind"), max_length=40)
    ticket = models.ForeignKey(
        "tickets.Ticket", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    params = models.JSONField(default=dict, blank=True)
    dedupe_key = models.CharField(max_length=200, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        constraints = [
            models.UniqueConstraint(fields=["recipient", "dedupe_key"], name="notification_once")
        ]
        indexes = [
            models.Index(fields=["recipient", "-created_at"], name="notification_recent"),
            models.Index(
                fields=["recipient"],
                name="notification_unread",
                condition=models.Q(read_at__isnull=True),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} for {self.recipient_id}"
