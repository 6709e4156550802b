"""Proactive care: messages the shop sends first. One ``Outreach`` row per message and
cause, so a cause (a solve, a thank-you click) never produces two messages."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.core.validators import MaxValueValidator, MinValueValidator
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


class Incident(models.Model):
    """A problem the shop admits before customers find it: who is affected is told by
    products, SKUs, an order date range and delivery postal-code prefixes (all given
    criteria must match)."""

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        NOTIFIED = "notified", _("Customers notified")
        RESOLVED = "resolved", _("Resolved")

    title = models.CharField(_("title"), max_length=200)
    message = models.TextField(
        _("what customers are told"), max_length=4000,
        help_text=_("In your words; the notice adds a greeting and an apology."),
    )  # fmt: skip
    state = models.CharField(_("state"), max_length=10, choices=State.choices,
                             default=State.DRAFT)  # fmt: skip
    products = models.ManyToManyField("customers.Product", blank=True, related_name="+",
                                      verbose_name=_("products"))  # fmt: skip
    skus = ArrayField(models.CharField(max_length=64), default=list, blank=True,
                      verbose_name=_("SKUs"))  # fmt: skip
    ordered_from = models.DateField(_("ordered from"), null=True, blank=True)
    ordered_until = models.DateField(_("ordered until"), null=True, blank=True)
    postal_prefixes = ArrayField(models.CharField(max_length=10), default=list, blank=True,
                                 verbose_name=_("delivery postal-code prefixes"))  # fmt: skip
    resolution = models.TextField(_("resolution"), max_length=4000, blank=True)
    declared_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True,
                                    on_delete=models.SET_NULL, related_name="+")  # fmt: skip
    tickets = models.ManyToManyField("tickets.Ticket", blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    notified_at = models.DateTimeField(null=True, blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("incident")
        verbose_name_plural = _("incidents")

    def __str__(self) -> str:
        return self.title


class StockRequest(models.Model):
    """A customer asked to be told when a product is back in stock; told once."""

    class Source(models.TextChoices):
        AGENT = "agent", _("Agent")
        WEB = "web", _("Contact form")
        API = "api", _("Shop API")

    customer = models.ForeignKey(
        "customers.Customer", on_delete=models.CASCADE, related_name="stock_requests"
    )
    product = models.ForeignKey(
        "customers.Product", on_delete=models.CASCADE, related_name="stock_requests"
    )
    source = models.CharField(_("asked through"), max_length=8, choices=Source.choices)
    created_at = models.DateTimeField(auto_now_add=True)
    notified_at = models.DateTimeField(_("told"), null=True, blank=True)

    class Meta:
        verbose_name = _("back-in-stock request")
        verbose_name_plural = _("back-in-stock requests")
        constraints = [
            # One waiting request per customer and product: asking twice is asking once.
            models.UniqueConstraint(
                fields=["customer", "product"], condition=models.Q(notified_at__isnull=True),
                name="stock_request_one_waiting",
            ),
        ]  # fmt: skip
        indexes = [
            models.Index(fields=["product"], name="stock_request_waiting",
                         condition=models.Q(notified_at__isnull=True)),
        ]  # fmt: skip

    def __str__(self) -> str:
        return f"{self.customer} → {self.product}"


class Outreach(models.Model):
    class Kind(models.TextChoices):
        FOLLOW_UP = "follow_up", _("Did it work? follow-up")
        THANK_YOU = "thank_you", _("Thank-you note")
        INCIDENT = "incident", _("Incident notice")
        INCIDENT_RESOLVED = "incident_resolved", _("Incident resolution notice")
        BACK_IN_STOCK = "back_in_stock", _("Back-in-stock notice")
        MAINTENANCE = "maintenance", _("Maintenance reminder")
        APPOINTMENT_BOOKED = "appointment_booked", _("Appointment confirmation")
        APPOINTMENT_REMINDER = "appointment_reminder", _("Appointment reminder")
        SHIPMENT_DELAY = "shipment_delay", _("Shipment delay notice")
        WIN_BACK = "win_back", _("Win-back note")

    class State(models.TextChoices):
        SCHEDULED = "scheduled", _("Scheduled")
        SENT = "sent", _("Sent")
        SKIPPED = "skipped", _("Skipped")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
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
    incident = models.ForeignKey(
        Incident, null=True, blank=True, on_delete=models.CASCADE, related_name="messages"
    )
    stock_request = models.OneToOneField(
        StockRequest, null=True, blank=True, on_delete=models.SET_NULL, related_name="notice"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Who the message is written as."),
    )
    # A maintenance reminder's order line, and the appointment a confirmation or an
    # appointment reminder is about.
    order_item = models.ForeignKey(
        "customers.OrderItem", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    appointment = models.ForeignKey(
        "outreach.Appointment", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="messages",
    )  # fmt: skip
    shipment = models.ForeignKey(
        "customers.Shipment", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    # What the message was built from, for the kinds that need more than a row to point
    # at (a delay's new estimate or the date we promise to write by).
    details = models.JSONField(default=dict, blank=True, db_default={})
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


class ServiceSchedule(models.Model):
    """When a team takes service appointments: slots of ``slot_minutes`` inside the team's
    business hours (its calendar, so holidays and closures count), ``capacity`` customers
    per slot, bookable from ``lead_time`` ahead to ``days_ahead`` days ahead. Maintenance
    reminders offer the first active schedule."""

    team = models.OneToOneField(
        "core.Team", on_delete=models.CASCADE, related_name="service_schedule",
        verbose_name=_("team"),
    )  # fmt: skip
    active = models.BooleanField(_("takes appointments"), default=True)
    slot_minutes = models.PositiveSmallIntegerField(
        _("slot length (minutes)"), default=60,
        validators=[MinValueValidator(10), MaxValueValidator(480)],
    )  # fmt: skip
    capacity = models.PositiveSmallIntegerField(
        _("customers per slot"), default=1, validators=[MinValueValidator(1),
                                                        MaxValueValidator(50)],
    )  # fmt: skip
    days_ahead = models.PositiveSmallIntegerField(
        _("bookable days ahead"), default=14,
        validators=[MinValueValidator(1), MaxValueValidator(90)],
    )  # fmt: skip
    lead_time = models.DurationField(
        _("minimum notice"), default=timedelta(hours=12),
        help_text=_("The earliest slot offered is at least this far ahead."),
    )  # fmt: skip

    class Meta:
        verbose_name = _("service schedule")
        verbose_name_plural = _("service schedules")

    def __str__(self) -> str:
        return str(self.team)


class Appointment(models.Model):
    """A customer's booked service visit: one seat of one slot. The seat is unique per
    team and start among booked appointments, so two customers never get the same one."""

    class State(models.TextChoices):
        BOOKED = "booked", _("Booked")
        CANCELLED = "cancelled", _("Cancelled")

    customer = models.ForeignKey(
        "customers.Customer", on_delete=models.CASCADE, related_name="appointments"
    )
    team = models.ForeignKey("core.Team", on_delete=models.PROTECT, related_name="+")
    reminder = models.ForeignKey(
        Outreach, on_delete=models.CASCADE, related_name="appointments",
        help_text=_("The maintenance reminder the appointment was booked from."),
    )  # fmt: skip
    order_item = models.ForeignKey(
        "customers.OrderItem", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    seat = models.PositiveSmallIntegerField(default=0)
    state = models.CharField(_("state"), max_length=10, choices=State.choices,
                             default=State.BOOKED)  # fmt: skip
    # Counts reschedules: each time has a confirmation and a reminder of its own.
    changes = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("appointment")
        verbose_name_plural = _("appointments")
        constraints = [
            models.UniqueConstraint(
                fields=["team", "starts_at", "seat"], condition=models.Q(state="booked"),
                name="appointment_seat_once",
            ),
            models.UniqueConstraint(
                fields=["reminder"], condition=models.Q(state="booked"),
                name="appointment_one_per_reminder",
            ),
        ]  # fmt: skip
        indexes = [models.Index(fields=["team", "starts_at"], name="appointment_team_day")]

    def __str__(self) -> str:
        return f"{self.customer} {self.starts_at:%Y-%m-%d %H:%M}"


class OutreachOptOut(models.Model):
    """The customer stopped one kind of proactive message (the link in each such email);
    later messages of that kind are skipped, with the reason on their timeline."""

    customer = models.ForeignKey(
        "customers.Customer", on_delete=models.CASCADE, related_name="outreach_opt_outs"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Outreach.Kind.choices)
    source = models.CharField(_("source"), max_length=20, default="link")
    created_at = models.DateTimeField(_("stopped at"), auto_now_add=True)

    class Meta:
        verbose_name = _("stopped proactive message")
        verbose_name_plural = _("stopped proactive messages")
        constraints = [
            models.UniqueConstraint(fields=["customer", "kind"], name="outreach_opt_out_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.customer}: {self.get_kind_display()}"
