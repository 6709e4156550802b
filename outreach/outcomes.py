"""What proactive messages achieved, for the dashboards. Each figure is one query.

- sent: messages sent in the period;
- opened: of those, the ones whose channel reported them read (the outbox's delivery
  state; email without read receipts says nothing, so this is a floor);
- replied: the customer wrote to us (an inbound message on any of their tickets) within
  ``OUTREACH_REPLY_DAYS`` after it;
- ticket avoided: for shipment-delay and incident notices, the customer opened no ticket
  within ``OUTREACH_TICKET_AVOIDED_DAYS`` after it. Notices younger than that are still
  open (``avoided_pending``), neither avoided nor not."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone

from messaging.models import OutboxMessage
from outreach.models import Outreach
from tickets.models import Message, Ticket

Kind = Outreach.Kind
AVOIDABLE = (Kind.SHIPMENT_DELAY, Kind.INCIDENT)


def _annotated(rows, *, now: datetime):
    reply = timedelta(days=settings.OUTREACH_REPLY_DAYS)
    avoided = timedelta(days=settings.OUTREACH_TICKET_AVOIDED_DAYS)
    replies = Message.objects.filter(
        ticket__customer_id=OuterRef("customer_id"), direction=Message.Direction.INBOUND,
        created_at__gt=OuterRef("sent_at"), created_at__lte=OuterRef("sent_at") + reply,
    )  # fmt: skip
    tickets = Ticket.objects.filter(
        customer_id=OuterRef("customer_id"), created_at__gt=OuterRef("sent_at"),
        created_at__lte=OuterRef("sent_at") + avoided,
    )  # fmt: skip
    read = OutboxMessage.objects.filter(
        pk=OuterRef("outbox_id"), delivery=OutboxMessage.Delivery.READ
    )
    return rows.annotate(
        was_read=Exists(read), was_replied=Exists(replies), had_ticket=Exists(tickets)
    ), now - avoided


def outreach_outcomes(
    *, since: datetime, until: datetime, now: datetime | None = None
) -> dict[str, dict[str, int]]:
    """Per kind, the messages sent in [since, until) and what came of them (one query)."""
    now = now or timezone.now()
    rows = Outreach.objects.filter(state=Outreach.State.SENT, sent_at__gte=since,
                                   sent_at__lt=until)  # fmt: skip
    rows, decided_before = _annotated(rows, now=now)
    decided = Q(kind__in=AVOIDABLE, sent_at__lte=decided_before)
    counted = rows.values("kind").annotate(
        sent=Count("pk"),
        opened=Count("pk", filter=Q(was_read=True)),
        replied=Count("pk", filter=Q(was_replied=True)),
        ticket_avoided=Count("pk", filter=decided & Q(had_ticket=False)),
        avoided_decided=Count("pk", filter=decided),
        avoided_pending=Count("pk", filter=Q(kind__in=AVOIDABLE, sent_at__gt=decided_before)),
    )
    return {row.pop("kind"): row for row in counted}


def outreach_totals(
    *, since: datetime, until: datetime, previous_since: datetime, now: datetime | None = None
) -> dict[str, int]:
    """Sent and replied in the period and in the one before it, all kinds (one query)."""
    now = now or timezone.now()
    rows = Outreach.objects.filter(state=Outreach.State.SENT, sent_at__gte=previous_since,
                                   sent_at__lt=until)  # fmt: skip
    rows, _decided = _annotated(rows, now=now)
    current, before = Q(sent_at__gte=since), Q(sent_at__lt=since)
    return rows.aggregate(
        sent=Count("pk", filter=current),
        replied=Count("pk", filter=current & Q(was_replied=True)),
        sent_before=Count("pk", filter=before),
        replied_before=Count("pk", filter=before & Q(was_replied=True)),
    )
