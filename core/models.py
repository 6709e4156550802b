"""The kernel's rows: the audit trail, API keys, and the staff (teams and agent profiles)."""

from __future__ import annotations

import zoneinfo

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _


def validate_time_zone(value: str) -> None:
    # A validator rather than choices: the tz database changes, migrations should not.
    if value not in zoneinfo.available_timezones():
        raise ValidationError(_("%(value)s is not a known time zone."), params={"value": value})


class Event(models.Model):
    """Something that happened, who did it and to what. Rows are never updated or deleted
    (a database trigger refuses both); a correction is a new event.

    The ticket and customer are referred to by id, not by foreign key: the audit trail
    belongs to the kernel, which knows no app above it, and it outlives what it tells of.
    Each app declares its kinds in ``core.events``."""

    kind = models.CharField(_("kind"), max_length=64, help_text=_("For example ticket.solved."))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    ticket_id = models.BigIntegerField(_("ticket"), null=True, blank=True)
    customer_id = models.BigIntegerField(_("customer"), null=True, blank=True)
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        indexes = [
            models.Index(fields=["ticket_id", "created_at"], name="event_ticket_timeline"),
            models.Index(fields=["customer_id", "created_at"], name="event_customer_timeline"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} at {self.created_at:%Y-%m-%d %H:%M}"


class ApiKey(models.Model):
    """A key the shop's systems use for the REST API. Only a SHA-256 of the key is
    stored (keys are long random strings, so a fast hash is enough); the key itself is
    shown once, when it is created (by an admin on the API keys page, or by
    ``manage.py apikey_create``).

    ``scopes`` name what the key may do, ``<resource>:read`` or ``<resource>:write`` (a
    write scope includes reading); ``teams`` limit its tickets to those teams (none: all
    teams). A revoked or expired key is refused like an unknown one."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    prefix = models.CharField(_("prefix"), max_length=8, db_index=True)
    key_hash = models.CharField(_("key hash"), max_length=64, unique=True)
    active = models.BooleanField(_("active"), default=True)
    scopes = ArrayField(
        models.CharField(max_length=40), default=list, blank=True, verbose_name=_("scopes")
    )
    teams = models.ManyToManyField(
        "Team", blank=True, related_name="api_keys", verbose_name=_("teams"),
        help_text=_("Limit the key to these teams' tickets; none for every team."),
    )  # fmt: skip
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    rate_per_minute = models.PositiveIntegerField(
        _("requests per minute"), null=True, blank=True,
        help_text=_("Empty for the default rate (API_RATE_PER_MINUTE)."),
    )  # fmt: skip
    # Who writes through the key: replies, notes and audit events name this user, so
    # the timeline tells the shop's systems from the agents. It can never sign in.
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
        related_name="api_key",
    )  # fmt: skip
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("API key")
        verbose_name_plural = _("API keys")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"


class IdempotencyRecord(models.Model):
    """The first answer to a POST sent with an ``Idempotency-Key``: the same key and the
    same request get this answer again, the same key with another request a 409. Kept
    for ``API_IDEMPOTENCY_HOURS``, then swept."""

    owner = models.CharField(max_length=40, help_text="key:<id> or user:<id>")
    key = models.CharField(max_length=150)
    fingerprint = models.CharField(max_length=64)
    status_code = models.PositiveSmallIntegerField()
    body = models.JSONField(null=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["owner", "key"], name="idempotency_owner_key_unique")
        ]

    def __str__(self) -> str:
        return f"{self.owner} {self.key}"


class Team(models.Model):
    name = models.CharField(_("name"), max_length=100, unique=True)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    time_zone = models.CharField(
        _("time zone"), max_length=64, validators=[validate_time_zone], default="Europe/Berlin"
    )
    country = models.CharField(
        _("country"),
        max_length=2,
        default="DE",
        help_text=_("ISO 3166 code: public holidays, and the region of national phone numbers."),
    )
    is_default = models.BooleanField(
        _("default team"),
        default=False,
        help_text=_("New tickets that no routing rule places land here."),
    )

    class Meta:
        verbose_name = _("team")
        verbose_name_plural = _("teams")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_default"], condition=models.Q(is_default=True), name="one_default_team"
            )
        ]

    def __str__(self) -> str:
        return self.name


class AgentProfile(models.Model):
    """A staff member's place in the helpdesk. Roles map one-to-one onto auth groups."""

    class Role(models.TextChoices):
        AGENT = "agent", _("Agent")
        LEAD = "lead", _("Team lead")
        ADMIN = "admin", _("Administrator")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="agent_profile"
    )
    role = models.CharField(_("role"), max_length=8, choices=Role.choices, default=Role.AGENT)
    teams = models.ManyToManyField(Team, blank=True, related_name="members")
    language = models.CharField(
        _("language"), max_length=8, choices=settings.LANGUAGES, default="en"
    )
    time_zone = models.CharField(
        _("time zone"), max_length=64, validators=[validate_time_zone], default="Europe/Berlin"
    )

    class Meta:
        verbose_name = _("agent profile")
        verbose_name_plural = _("agent profiles")

    def __str__(self) -> str:
        return f"{self.user.get_username()} ({self.get_role_display()})"

    @property
    def is_lead(self) -> bool:
        """Leads and admins: approvals, dashboards, team configuration."""
        return self.role in (self.Role.LEAD, self.Role.ADMIN)
