"""The email channel's rows: raw inbound mail, the outbox and suppressed addresses."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class InboundEmail(models.Model):
    """One received email, stored raw exactly once before anything tries to understand it.

    The dedupe key is the ESP's event id or the SHA-256 of the raw bytes, never the
    Message-ID alone: the sender controls that header.
    """

    class Source(models.TextChoices):
        WEBHOOK = "webhook", _("ESP webhook")
        IMAP = "imap", _("IMAP mailbox")
        PIPE = "pipe", _("MTA pipe")

    class State(models.TextChoices):
        RECEIVED = "received", _("Received")
        INGESTED = "ingested", _("Ingested")
        QUARANTINED = "quarantined", _("Quarantined")

    source = models.CharField(_("source"), max_length=8, choices=Source.choices)
    origin = models.CharField(
        _("origin"), max_length=100, blank=True, help_text=_("ESP name or mailbox.")
    )
    dedupe_key = models.CharField(_("dedupe key"), max_length=300, unique=True)
    raw = models.BinaryField(_("raw message"))
    size = models.PositiveIntegerField(_("size (bytes)"), default=0)
    state = models.CharField(
        _("state"), max_length=12, choices=State.choices, default=State.RECEIVED
    )
    reason = models.TextField(_("quarantine reason"), blank=True)
    attempts = models.PositiveSmallIntegerField(_("parse attempts"), default=0)
    received_at = models.DateTimeField(_("received at"), auto_now_add=True)
    processed_at = models.DateTimeField(_("processed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("inbound email")
        verbose_name_plural = _("inbound emails")
        indexes = [models.Index(fields=["state", "received_at"], name="inbound_state_received")]

    def __str__(self) -> str:
        return f"{self.get_source_display()} #{self.pk} ({self.get_state_display()})"


class QuarantineManager(models.Manager["Quarantine"]):
    def get_queryset(self) -> models.QuerySet[Quarantine]:
        return super().get_queryset().filter(state=InboundEmail.State.QUARANTINED)


class Quarantine(InboundEmail):
    """Inbound mail that could not be parsed: admins see the reason, retry or delete it."""

    objects = QuarantineManager()

    class Meta:
        proxy = True
        verbose_name = _("quarantined email")
        verbose_name_plural = _("quarantined emails")


class OutboundEmail(models.Model):
    """One email to send, written in the same transaction as whatever caused it.

    queued → sending → sent, or retrying (with backoff) → … → failed. The row's state is
    what stops a second send; see tickets.outbox for the one at-least-once window.
    """

    class State(models.TextChoices):
        QUEUED = "queued", _("Queued")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        RETRYING = "retrying", _("Retrying")
        FAILED = "failed", _("Failed")
        SUPPRESSED = "suppressed", _("Suppressed")

    class Automatic(models.TextChoices):
        NO = "", _("Written by a person")
        AUTO_REPLIED = "auto-replied", _("Automatic reply")
        AUTO_GENERATED = "auto-generated", _("Automatically generated")

    to = models.EmailField(_("to"), max_length=320)
    subject = models.CharField(_("subject"), max_length=255)
    text = models.TextField(_("text"))
    html = models.TextField(_("HTML"), blank=True)
    headers = models.JSONField(_("extra headers"), default=dict, blank=True)
    customer = models.ForeignKey(
        "customers.Customer",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="outbound_emails",
    )
    ticket = models.ForeignKey(
        "tickets.Ticket",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="outbound_emails",
    )
    message = models.ForeignKey(
        "tickets.Message",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="outbound_emails",
    )
    automatic = models.CharField(
        _("automatic"), max_length=16, choices=Automatic.choices, blank=True, default=""
    )
    kind = models.CharField(
        _("kind"), max_length=40, blank=True, help_text=_("For example reply, ack, csat.")
    )
    language = models.CharField(_("language"), max_length=8, default="en")
    message_id_header = models.CharField(_("Message-ID"), max_length=255, unique=True)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.QUEUED)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    claimed_at = models.DateTimeField(_("claimed at"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    esp_message_id = models.CharField(_("ESP message id"), max_length=255, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("outbound email")
        verbose_name_plural = _("outbound emails")
        indexes = [
            models.Index(
                fields=["state", "next_attempt_at"],
                name="outbound_pending",
                condition=models.Q(state__in=["queued", "sending", "retrying"]),
            ),
            models.Index(fields=["ticket", "created_at"], name="outbound_ticket"),
            models.Index(fields=["to", "kind", "created_at"], name="outbound_to_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.subject} → {self.to} ({self.get_state_display()})"


class SuppressedAddress(models.Model):
    """An address that bounced or complained; nothing more is sent to it."""

    address = models.CharField(_("address"), max_length=320, unique=True)
    reason = models.CharField(_("reason"), max_length=32)
    detail = models.TextField(_("detail"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("suppressed address")
        verbose_name_plural = _("suppressed addresses")

    def __str__(self) -> str:
        return f"{self.address} ({self.reason})"
