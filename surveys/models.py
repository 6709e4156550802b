"""Survey invitations (CSAT after a solved ticket, NPS after a delivery), the answers to
them, and recovery cases for unhappy customers."""

from __future__ import annotations

import uuid
from datetime import timedelta

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class SurveySettings(models.Model):
    """One row of settings, edited in the admin (``SurveySettings.current()``)."""

    csat_enabled = models.BooleanField(_("send CSAT surveys"), default=True)
    nps_enabled = models.BooleanField(_("send NPS surveys"), default=True)
    csat_delay = models.DurationField(_("CSAT delay after solving"), default=timedelta(hours=2))
    nps_delay = models.DurationField(_("NPS delay after delivery"), default=timedelta(days=3))
    throttle_period = models.DurationField(
        _("at most one survey per customer within"), default=timedelta(days=30)
    )
    answer_window = models.DurationField(
        _("answers accepted (and changeable) for"), default=timedelta(days=28)
    )
    channels = ArrayField(
        models.CharField(max_length=16),
        default=list,
        blank=True,
        verbose_name=_("surveyed channels"),
        help_text=_("Empty means every channel."),
    )
    teams = models.ManyToManyField(
        "core.Team",
        blank=True,
        verbose_name=_("surveyed teams"),
        help_text=_("Empty means every team."),
    )
    csat_question_en = models.CharField(max_length=300, blank=True)
    csat_question_de = models.CharField(max_length=300, blank=True)
    csat_question_tr = models.CharField(max_length=300, blank=True)
    nps_question_en = models.CharField(max_length=300, blank=True)
    nps_question_de = models.CharField(max_length=300, blank=True)
    nps_question_tr = models.CharField(max_length=300, blank=True)

    class Meta:
        verbose_name = _("survey settings")
        verbose_name_plural = _("survey settings")

    def __str__(self) -> str:
        return str(_("Survey settings"))

    @classmethod
    def current(cls) -> SurveySettings:
        return cls.objects.get_or_create(pk=1)[0]


class SurveyOptOut(models.Model):
    customer = models.OneToOneField(
        "customers.Customer", on_delete=models.CASCADE, related_name="survey_opt_out"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("survey opt-out")
        verbose_name_plural = _("survey opt-outs")

    def __str__(self) -> str:
        return str(self.customer)


class SurveyInvitation(models.Model):
    class Kind(models.TextChoices):
        CSAT = "csat", _("CSAT (1–5)")
        NPS = "nps", _("NPS (0–10)")

    class State(models.TextChoices):
        SCHEDULED = "scheduled", _("Scheduled")
        SENT = "sent", _("Sent")
        SKIPPED = "skipped", _("Skipped")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(_("kind"), max_length=4, choices=Kind.choices)
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.SCHEDULED
    )
    customer = models.ForeignKey(
        "customers.Customer", on_delete=models.CASCADE, related_name="survey_invitations"
    )
    ticket = models.ForeignKey(
        "tickets.Ticket",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="survey_invitations",
    )
    order = models.ForeignKey(
        "customers.Order",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="survey_invitations",
    )
    agent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Who handled the ticket, for per-agent results."),
    )
    team = models.ForeignKey(
        "core.Team", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    language = models.CharField(max_length=8, default="en")
    send_after = models.DateTimeField(_("send after"))
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    expires_at = models.DateTimeField(_("answers accepted until"), null=True, blank=True)
    skip_reason = models.CharField(_("skip reason"), max_length=100, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("survey invitation")
        verbose_name_plural = _("survey invitations")
        constraints = [
            # One CSAT per solve of a ticket, one NPS per order.
            models.UniqueConstraint(
                fields=["order"], condition=models.Q(kind="nps"), name="survey_one_nps_per_order"
            ),
        ]
        indexes = [
            models.Index(
                fields=["send_after"],
                name="survey_due",
                condition=models.Q(state="scheduled"),
            ),
            models.Index(fields=["customer", "-sent_at"], name="survey_customer_recent"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk}"

    @property
    def scores(self) -> range:
        return range(1, 6) if self.kind == self.Kind.CSAT else range(11)

    def is_detractor_score(self, score: int) -> bool:
        return score <= 2 if self.kind == self.Kind.CSAT else score <= 6

    def score_band(self, score: int) -> str:
        """ "promoter", "passive" or "detractor" (for CSAT: happy, neutral, unhappy)."""
        if self.is_detractor_score(score):
            return "detractor"
        return "promoter" if score >= (4 if self.kind == self.Kind.CSAT else 9) else "passive"

    @property
    def response_band(self) -> str:
        return self.score_band(self.response.score)


class SurveyResponse(models.Model):
    invitation = models.OneToOneField(
        SurveyInvitation, on_delete=models.CASCADE, related_name="response"
    )
    score = models.PositiveSmallIntegerField(
        _("score"), validators=[MinValueValidator(0), MaxValueValidator(10)]
    )
    comment = models.TextField(_("comment"), blank=True)
    user_agent = models.CharField(_("user agent"), max_length=400, blank=True)
    ip_hash = models.CharField(_("IP hash"), max_length=64, blank=True)
    seconds_since_sent = models.PositiveIntegerField(_("seconds since sending"), null=True)
    looks_automated = models.BooleanField(_("looks automated"), default=False)
    changes = models.PositiveSmallIntegerField(_("times changed"), default=0)
    # What the answer's reactions (audit events, the loyalty thank-you, the closed loop)
    # still have to do, recorded with the answer itself; ``survey_react`` empties it.
    reactions_pending = models.JSONField(default=list, blank=True, editable=False)
    reactions_pending_since = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("survey response")
        verbose_name_plural = _("survey responses")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(score__gte=0, score__lte=10), name="survey_score_range"
            )
        ]
        indexes = [
            # The sweep of reactions the broker missed reads only the pending few.
            models.Index(
                fields=["reactions_pending_since"],
                name="survey_reactions_pending",
                condition=models.Q(reactions_pending_since__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.score} for {self.invitation}"


class RecoveryCase(models.Model):
    """A detractor's answer, followed up by a team lead until the customer is recovered."""

    class State(models.TextChoices):
        OPEN = "open", _("Open")
        RECOVERED = "recovered", _("Recovered")

    invitation = models.OneToOneField(
        SurveyInvitation, on_delete=models.CASCADE, related_name="recovery_case"
    )
    customer = models.ForeignKey(
        "customers.Customer", on_delete=models.CASCADE, related_name="recovery_cases"
    )
    recovery_ticket = models.ForeignKey(
        "tickets.Ticket", on_delete=models.PROTECT, related_name="recovery_cases"
    )
    state = models.CharField(max_length=10, choices=State.choices, default=State.OPEN)
    recovered_at = models.DateTimeField(null=True, blank=True)
    recovered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recovered_note = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("recovery case")
        verbose_name_plural = _("recovery cases")

    def __str__(self) -> str:
        return f"Recovery for {self.invitation}"
