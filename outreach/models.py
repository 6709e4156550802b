"""Proactive care: messages the shop sends first. One ``Outreach`` row per message and
cause, so a cause (a solve, a thank-you click) never produces two messages."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.utils.translation import gettext_lazy as _


class FollowUpPolicy(models.Model):
    """When a team's solved tickets get a "did it work?" check, written as the agent."""

    team = models.OneToOneField(
        "core.Team", on_delete=models.CASCADE, related_name="follow_up_policy"
    )
    enabled = models.BooleanField(_("send follow-ups"), default=True)
    delay = models.DurationField(_("delay after solving"), default=timedelta(days=3))
    skip_tags = ArrayField(
        models.CharField(max_length=50),
        default=list,
        blank=True,
        verbose_name=_("topics without a follow-up"),
        help_text=_("Tickets with any of these tags get no follow-up."),
    )

    class Meta:
        verbose_name = _("follow-up policy")
        verbose_name_plural = _("follow-up policies")

    def __str__(self) -> str:
        return str(self.team)


class Outreach(models.Model):
    class Kind(models.TextChoices):
        FOLLOW_UP = "follow_up", _("Did it work? follow-up")
        THANK_YOU = "thank_you", _("Thank-you note")

    class State(models.TextChoices):
        SCHEDULED = "scheduled", _("Scheduled")
        SENT = "sent", _("Sent")
        SKIPPED = "skipped", _("Skipped")

    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.SCHEDULED
    )
    # What caused it ("follow_up:ticket:12:2026-12-01T10:00:00"): unique, so the same cause
    # scheduled twice (the after-commit task and the beat sweep) is one message.
    cause = models.CharField(max_length=200, unique=True)
    customer = models.ForeignKey(
        "customers.Customer", on_delete=models.CASCADE, related_name="outreach"
    )
    ticket = models.ForeignKey(
        "tickets.Ticket", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Who the message is written as."),
    )
    text = models.TextField(_("text"), blank=True)
    send_after = models.DateTimeField(_("send after"))
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    skip_reason = models.CharField(max_length=100, blank=True)
    outbox_id = models.BigIntegerField(null=True, blank=True)
    message_id = models.BigIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("outreach message")
        verbose_name_plural = _("outreach messages")
        indexes = [
            models.Index(
                fields=["send_after"], name="outreach_due", condition=models.Q(state="scheduled")
            ),
            models.Index(fields=["customer", "-created_at"], name="outreach_customer_recent"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} → {self.customer}"
