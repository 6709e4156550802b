"""The audit trail shared by every app: an append-only list of events."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Event(models.Model):
    """Something that happened, who did it and to what. Rows are never updated or deleted
    (a database trigger refuses both); a correction is a new event."""

    kind = models.CharField(_("kind"), max_length=64, help_text="For example ticket.solved")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    ticket = models.ForeignKey(
        "tickets.Ticket", null=True, blank=True, on_delete=models.PROTECT, related_name="events"
    )
    customer = models.ForeignKey(
        "customers.Customer",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="events",
    )
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        indexes = [
            models.Index(fields=["ticket", "created_at"], name="event_ticket_timeline"),
            models.Index(fields=["customer", "created_at"], name="event_customer_timeline"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} at {self.created_at:%Y-%m-%d %H:%M}"


class ApiKey(models.Model):
    """A key the shop's systems use for the REST API. Only a SHA-256 of the key is
    stored (keys are long random strings, so a fast hash is enough); the key itself is
    shown once, when it is created (``manage.py apikey_create``)."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    prefix = models.CharField(_("prefix"), max_length=8, db_index=True)
    key_hash = models.CharField(_("key hash"), max_length=64, unique=True)
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("API key")
        verbose_name_plural = _("API keys")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"
