"""Tickets and the messages in them. (Teams and agents are the kernel's: ``core.models``;
channels are messaging's: ``messaging.models.Channel``.)"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.models import Team
from messaging.models import Channel


class Ticket(models.Model):
    class Status(models.TextChoices):
        NEW = "new", _("New")
        OPEN = "open", _("Open")
        PENDING = "pending", _("Pending")
        ON_HOLD = "on_hold", _("On hold")
        SOLVED = "solved", _("Solved")
        CLOSED = "closed", _("Closed")

    class Priority(models.IntegerChoices):
        LOW = 1, _("Low")
        NORMAL = 2, _("Normal")
        HIGH = 3, _("High")
        URGENT = 4, _("Urgent")

    subject = models.CharField(_("subject"), max_length=255)
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.NEW)
    priority = models.PositiveSmallIntegerField(
        _("priority"), choices=Priority.choices, default=Priority.NORMAL
    )
    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices)
    customer = models.ForeignKey(
        "customers.Customer", on_delete=models.PROTECT, related_name="tickets"
    )
    # No index of their own: the indexes below begin with them and serve every lookup.
    # A lone one made the planner AND it into searches (a rare word's 159 matches with
    # a quarter-million-entry bitmap of the agent's teams: 16 ms instead of 0.6).
    team = models.ForeignKey(
        Team, null=True, blank=True, on_delete=models.SET_NULL, related_name="tickets",
        db_index=False,
    )  # fmt: skip
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_tickets",
        db_index=False,
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    last_activity_at = models.DateTimeField(_("last activity"), auto_now_add=True)
    first_response_at = models.DateTimeField(_("first response"), null=True, blank=True)
    solved_at = models.DateTimeField(_("solved at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    # The soonest due time of the SLA clocks running on the ticket, and when that clock
    # turns at risk; kept by ``tickets.sla`` in the services that change the ticket.
    sla_due = models.DateTimeField(_("due"), null=True, blank=True, editable=False)
    sla_at_risk_at = models.DateTimeField(null=True, blank=True, editable=False)
    follow_up_of = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="follow_ups",
        help_text=_("The closed ticket this one continues."),
    )
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="merged_from"
    )
    tags = models.ManyToManyField("Tag", through="TicketTag", blank=True, related_name="tickets")
    # Subject, customer name and every message body, weighted A/B/C, in the customer's
    # language. Kept up to date by database triggers (migration 0004) so that bulk loads,
    # the ORM and raw SQL all agree; read only through search selectors.
    search_vector = SearchVectorField(null=True, editable=False)

    class Meta:
        verbose_name = _("ticket")
        verbose_name_plural = _("tickets")
        # The inbox lists by last activity with keyset pagination on (last_activity_at, id),
        # filtered by team, assignee or status; each index serves one of those entry points.
        indexes = [
            models.Index(
                fields=["status", "-last_activity_at", "-id"], name="ticket_status_recent"
            ),
            models.Index(
                fields=["team", "status", "-last_activity_at", "-id"], name="ticket_team_recent"
            ),
            models.Index(
                fields=["assignee", "status", "-last_activity_at", "-id"],
                name="ticket_assignee_recent",
            ),
            models.Index(fields=["customer", "-created_at"], name="ticket_customer_recent"),
            models.Index(
                fields=["solved_at"],
                name="ticket_solved_at",
                condition=models.Q(status="solved"),
            ),
            GinIndex(fields=["search_vector"], name="ticket_search_gin"),
            models.Index(fields=["-created_at", "-id"], name="ticket_created"),
            models.Index(fields=["-priority", "-last_activity_at", "-id"], name="ticket_priority"),
            models.Index(fields=["-last_activity_at", "-id"], name="ticket_recent"),
            # Sorting by due (soonest first, tickets without a due time last) and the
            # "at risk" and "breached" views, which are ranges of it.
            models.Index(fields=["sla_due", "id"], name="ticket_sla_due"),
            models.Index(fields=["team", "sla_due", "id"], name="ticket_team_sla_due"),
            models.Index(fields=["assignee", "sla_due", "id"], name="ticket_assignee_sla_due"),
            # "My open tickets" in activity order: the four unsolved states are one range
            # of this index, where the one above keeps each state apart (a sort of all).
            models.Index(
                fields=["assignee", "-last_activity_at", "-id"],
                name="ticket_assignee_open",
                condition=models.Q(status__in=["new", "open", "pending", "on_hold"]),
            ),
            # "At risk" (at risk by now, not yet due): the at-risk time and due time are read
            # from the index alone, so the tickets already past due cost no table reads.
            models.Index(
                fields=["sla_at_risk_at", "sla_due"],
                name="ticket_at_risk",
                condition=models.Q(sla_at_risk_at__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.subject}"


class Flag(models.TextChoices):
    POSSIBLE_SPOOF = "possible_spoof", _("Sent from a staff address: possibly forged")
    POSSIBLE_DUPLICATE = (
        "possible_duplicate",
        _("Same Message-ID as an earlier message from this sender, with a different text"),
    )


class Message(models.Model):
    Flag = Flag

    class Direction(models.TextChoices):
        INBOUND = "in", _("Inbound")
        OUTBOUND = "out", _("Outbound")

    class Visibility(models.TextChoices):
        PUBLIC = "public", _("Public reply")
        INTERNAL = "internal", _("Internal note")

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="messages")
    direction = models.CharField(_("direction"), max_length=3, choices=Direction.choices)
    visibility = models.CharField(
        _("visibility"), max_length=8, choices=Visibility.choices, default=Visibility.PUBLIC
    )
    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="authored_messages",
        help_text=_("The agent who wrote it; empty for customer messages."),
    )
    sender = models.ForeignKey(
        "customers.ContactIdentity",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="messages",
    )
    body_text = models.TextField(_("text"), blank=True)
    body_html = models.TextField(_("sanitised HTML"), blank=True)
    external_id = models.CharField(
        _("external id"), max_length=255, blank=True, help_text=_("Provider or Message-ID.")
    )
    body_original = models.TextField(
        _("full original text"),
        blank=True,
        help_text=_("The whole text as received, before quoted history was trimmed."),
    )
    automatic = models.BooleanField(
        _("automatic"), default=False, help_text=_("Sent by a machine (RFC 3834 and the like).")
    )
    inbound_payload = models.ForeignKey(
        "messaging.InboundPayload",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("raw payload"),
        help_text=_("The raw payload this message was parsed from."),
    )
    flags = ArrayField(
        models.CharField(max_length=32, choices=Flag.choices),
        default=list,
        blank=True,
        verbose_name=_("flags"),
        help_text=_("Warnings for the agent about where this message came from."),
    )
    composer_token = models.UUIDField(
        _("composer token"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("Names the composer an agent sent this from, so a double submit is one."),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        constraints = [
            models.UniqueConstraint(
                fields=["composer_token"],
                name="message_composer_token_unique",
                condition=models.Q(composer_token__isnull=False),
            )
        ]
        indexes = [
            models.Index(fields=["ticket", "created_at", "id"], name="message_ticket_timeline"),
            models.Index(
                fields=["external_id"],
                name="message_external_id",
                condition=~models.Q(external_id=""),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_direction_display()} message on #{self.ticket_id}"

    @property
    def is_internal(self) -> bool:
        return self.visibility == self.Visibility.INTERNAL

    @property
    def flag_labels(self) -> list[str]:
        """The warnings of ``flags`` in the reader's language, for the timeline."""
        return [Flag(value).label for value in self.flags if value in Flag.values]


def attachment_path(instance: Attachment, filename: str) -> str:
    # Stored names are generated by the server; the sender's name is only ever displayed.
    return f"attachments/{uuid.uuid4().hex[:2]}/{uuid.uuid4().hex}"


class Attachment(models.Model):
    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to=attachment_path, max_length=255)
    filename = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("content type"), max_length=255)
    size = models.PositiveBigIntegerField(_("size (bytes)"))
    sha256 = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.filename
