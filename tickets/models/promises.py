"""Promises agents make to customers, and how the tone assistant's advice is taken."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tickets.models.core import Ticket


class Promise(models.Model):
    """Something an agent told the customer they would do by a time ("we will call you
    tomorrow at noon"). It is kept when its owner acts on the ticket before ``due_at`` (a
    public reply, a logged call) or the ticket is solved; otherwise it is broken, with
    the reason. Beat reminds the owner before it is due and flags it when overdue."""

    class State(models.TextChoices):
        OPEN = "open", _("Open")
        KEPT = "kept", _("Kept")
        BROKEN = "broken", _("Broken")

    class Source(models.TextChoices):
        DETECTED = "detected", _("Found in a reply")
        MANUAL = "manual", _("Recorded by hand")

    class BrokenReason(models.TextChoices):
        NOTHING_DONE = "nothing_done", _("Nothing was done on the ticket by the due time.")
        LATE = "late", _("The owner acted on the ticket only after the due time.")
        LEAD = "lead", _("A team lead marked it as broken.")

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="promises")
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="promises"
    )
    what = models.CharField(_("what"), max_length=255)
    due_at = models.DateTimeField(_("due"))
    state = models.CharField(_("state"), max_length=8, choices=State.choices, default=State.OPEN)
    broken_reason = models.CharField(
        _("why it was broken"), max_length=16, choices=BrokenReason.choices, blank=True
    )
    source = models.CharField(_("source"), max_length=8, choices=Source.choices)
    # The owner's team when it was made: the kept rate per team counts it there.
    team = models.ForeignKey(
        "core.Team", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    reminded_at = models.DateTimeField(_("reminded at"), null=True, blank=True)
    overdue_at = models.DateTimeField(_("flagged overdue at"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("kept or broken at"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip
    # What kept or broke it: "reply", "call", "solve" or "lead" (empty: the sweep).
    resolved_by_action = models.CharField(max_length=8, blank=True)
    # The composer whose draft made the promise: sending that very reply does not keep it.
    composer_token = models.UUIDField(null=True, blank=True, editable=False)
    # One row per confirmed proposal or submitted form, however often it is clicked.
    dedupe_key = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("promise")
        verbose_name_plural = _("promises")
        constraints = [
            models.UniqueConstraint(fields=["ticket", "dedupe_key"], name="promise_dedupe"),
            models.CheckConstraint(
                condition=~models.Q(state="broken") | ~models.Q(broken_reason=""),
                name="promise_broken_has_reason",
            ),
        ]
        indexes = [
            # The sweeps read open promises by due time.
            models.Index(
                fields=["due_at"], name="promise_open_due", condition=models.Q(state="open")
            ),
            models.Index(fields=["ticket", "created_at"], name="promise_ticket"),
            models.Index(fields=["due_at", "owner"], name="promise_due_owner"),
            # The dashboards count kept and broken promises by due time.
            models.Index(
                fields=["due_at"],
                name="promise_resolved_due",
                condition=models.Q(state__in=["kept", "broken"]),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.what} (#{self.ticket_id}, {self.due_at:%Y-%m-%d %H:%M})"

    @property
    def is_overdue(self) -> bool:
        return self.state == self.State.OPEN and self.overdue_at is not None


class ToneRuleStat(models.Model):
    """How often a tone rule fired on a sent reply's drafts, and how often the agent took
    its advice (the rule no longer fired on the text that was sent), per day."""

    language = models.CharField(max_length=8)
    rule = models.CharField(max_length=64)
    day = models.DateField()
    fired = models.PositiveIntegerField(default=0)
    applied = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("tone rule statistic")
        verbose_name_plural = _("tone rule statistics")
        constraints = [
            models.UniqueConstraint(fields=["language", "rule", "day"], name="tone_stat_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.language}:{self.rule} {self.day} {self.applied}/{self.fired}"
