"""Every message that enters or leaves: raw inbound payloads (stored once, then parsed or
quarantined), the one outbox, and the addresses nothing more is sent to.

This app knows channels and addresses, not tickets: a row names the conversation it
belongs to by ``ticket_id`` and ``message_id``, which the app that owns them gave it."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Channel(models.TextChoices):
    """Every way a customer reaches the shop. A kind can deliver replies once an adapter
    is registered for it (``messaging.adapters``)."""

    EMAIL = "email", _("Email")
    WEB = "web", _("Web form")
    PORTAL = "portal", _("Customer portal")
    CHAT = "chat", _("Live chat")
    SMS = "sms", _("SMS")
    WHATSAPP = "whatsapp", _("WhatsApp")
    PHONE = "phone", _("Phone")
    API = "api", _("API")
    IN_PERSON = "in_person", _("In person")  # a walk-in, recorded by the agent


class InboundPayload(models.Model):
    """One received payload (a raw email, a provider's webhook body), stored raw exactly
    once before anything tries to understand it.

    Two keys keep duplicates out: the provider's event id (``dedupe_key``) and the
    SHA-256 of the raw bytes with CRLF read as LF (``raw_sha256``), so the same message
    delivered again under a fresh event id, or through a second way in (IMAP and a
    webhook), is stored once. The Message-ID alone is never a key: the sender controls
    that header.
    """

    class Source(models.TextChoices):
        WEBHOOK = "webhook", _("Provider webhook")
        IMAP = "imap", _("IMAP mailbox")
        PIPE = "pipe", _("MTA pipe")
        SOCKET = "socket", _("Live connection")
        FORM = "form", _("Web form")

    class State(models.TextChoices):
        RECEIVED = "received", _("Received")
        INGESTED = "ingested", _("Ingested")
        QUARANTINED = "quarantined", _("Quarantined")

    channel = models.CharField(
        _("channel"), max_length=16, choices=Channel.choices, default=Channel.EMAIL
    )
    source = models.CharField(_("source"), max_length=8, choices=Source.choices)
    origin = models.CharField(
        _("origin"), max_length=100, blank=True, help_text=_("Provider name or mailbox.")
    )
    dedupe_key = models.CharField(_("dedupe key"), max_length=300, unique=True)
    raw_sha256 = models.CharField(_("SHA-256 of the raw payload"), max_length=64, unique=True)
    raw = models.BinaryField(_("raw payload"))
    size = models.PositiveIntegerField(_("size (bytes)"), default=0)
    state = models.CharField(
        _("state"), max_length=12, choices=State.choices, default=State.RECEIVED
    )
    reason = models.TextField(_("quarantine reason"), blank=True)
    attempts = models.PositiveSmallIntegerField(_("parse attempts"), default=0)
    received_at = models.DateTimeField(_("received at"), auto_now_add=True)
    processed_at = models.DateTimeField(_("processed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("inbound payload")
        verbose_name_plural = _("inbound payloads")
        indexes = [models.Index(fields=["state", "received_at"], name="inbound_state_received")]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} #{self.pk} ({self.get_state_display()})"


class QuarantineManager(models.Manager["Quarantine"]):
    def get_queryset(self) -> models.QuerySet[Quarantine]:
        return super().get_queryset().filter(state=InboundPayload.State.QUARANTINED)


class Quarantine(InboundPayload):
    """Inbound payloads that could not be parsed: admins see the reason, retry or delete."""

    objects = QuarantineManager()

    class Meta:
        proxy = True
        verbose_name = _("quarantined message")
        verbose_name_plural = _("quarantined messages")


class OutboxMessage(models.Model):
    """One message to send on one channel, written in the same transaction as whatever
    caused it (a reply, an acknowledgement, a survey, a notice).

    queued → sending → sent, or retrying (with backoff) → … → failed; suppressed when the
    recipient bounced or complained before. The row's state is what stops a second send;
    see ``messaging.outbox`` for the one at-least-once window. Delivery callbacks move a
    sent row on to delivered, read or undelivered (``delivery``)."""

    class State(models.TextChoices):
        QUEUED = "queued", _("Queued")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        RETRYING = "retrying", _("Retrying")
        FAILED = "failed", _("Failed")
        SUPPRESSED = "suppressed", _("Suppressed")

    class Delivery(models.TextChoices):
        UNKNOWN = "", _("Not reported")
        DELIVERED = "delivered", _("Delivered")
        READ = "read", pgettext_lazy("delivery state", "Read")
        UNDELIVERED = "undelivered", _("Undelivered")

    class Automatic(models.TextChoices):
        NO = "", _("Written by a person")
        AUTO_REPLIED = "auto-replied", _("Automatic reply")
        AUTO_GENERATED = "auto-generated", _("Automatically generated")

    channel = models.CharField(
        _("channel"), max_length=16, choices=Channel.choices, default=Channel.EMAIL
    )
    to = models.CharField(_("to"), max_length=320, help_text=_("Address, number or visitor."))
    # The payload, as the channel's adapter receives it (messaging.types.OutboundMessage).
    subject = models.CharField(_("subject"), max_length=255, blank=True)
    text = models.TextField(_("text"))
    html = models.TextField(_("HTML"), blank=True)
    headers = models.JSONField(_("extra headers"), default=dict, blank=True)
    attachments = models.JSONField(
        _("attachments"),
        default=list,
        blank=True,
        help_text=_("Stored files to send along: name, content type and storage path."),
    )
    customer = models.ForeignKey(
        "customers.Customer",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="outbox_messages",
    )
    ticket_id = models.BigIntegerField(_("ticket"), null=True, blank=True)
    message_id = models.BigIntegerField(_("message"), null=True, blank=True)
    automatic = models.CharField(
        _("automatic"), max_length=16, choices=Automatic.choices, blank=True, default=""
    )
    kind = models.CharField(
        _("kind"), max_length=40, blank=True, help_text=_("For example reply, ack, csat.")
    )
    language = models.CharField(_("language"), max_length=8, default="en")
    message_id_header = models.CharField(
        _("our message id"),
        max_length=255,
        unique=True,
        help_text=_("The Message-ID of an email; a unique reference on other channels."),
    )
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.QUEUED)
    delivery = models.CharField(
        _("delivery"), max_length=12, choices=Delivery.choices, blank=True, default=""
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    claimed_at = models.DateTimeField(_("claimed at"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    provider_message_id = models.CharField(_("provider's message id"), max_length=255, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("outbox message")
        verbose_name_plural = _("outbox messages")
        indexes = [
            models.Index(
                fields=["state", "next_attempt_at"],
                name="outbox_pending",
                condition=models.Q(state__in=["queued", "sending", "retrying"]),
            ),
            models.Index(fields=["ticket_id", "created_at"], name="outbox_ticket"),
            models.Index(fields=["to", "kind", "created_at"], name="outbox_to_kind"),
            models.Index(
                fields=["provider_message_id"],
                name="outbox_provider_id",
                condition=~models.Q(provider_message_id=""),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} {self.kind} → {self.to} ({self.get_state_display()})"


class Suppression(models.Model):
    """A recipient that bounced, complained or asked to stop; nothing more is sent to it
    on that channel."""

    channel = models.CharField(
        _("channel"), max_length=16, choices=Channel.choices, default=Channel.EMAIL
    )
    address = models.CharField(_("address"), max_length=320)
    reason = models.CharField(_("reason"), max_length=32)
    detail = models.TextField(_("detail"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("suppressed recipient")
        verbose_name_plural = _("suppressed recipients")
        constraints = [
            models.UniqueConstraint(fields=["channel", "address"], name="suppression_unique")
        ]

    def __str__(self) -> str:
        return f"{self.address} ({self.reason})"
