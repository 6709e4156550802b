"""The ways mail comes in through an ESP: anymail's inbound and tracking signals. (IMAP
is in ``imap``, the MTA pipe is ``manage.py ingest_email``.) All of them store the raw
bytes once with ``messaging.inbound.inbound_store``, answer fast and queue parsing."""

from __future__ import annotations

import logging

from anymail.signals import AnymailInboundEvent, AnymailTrackingEvent, inbound, tracking
from django.dispatch import receiver

from messaging.inbound import inbound_store
from messaging.models import InboundPayload, OutboxMessage
from messaging.outbox import outbox_delivery_record, recipient_suppress

logger = logging.getLogger(__name__)


def _raw_bytes(event: AnymailInboundEvent) -> bytes:
    message = event.message
    try:
        return message.as_bytes()
    except Exception:
        return message.as_string().encode("utf-8", errors="surrogateescape")


@receiver(inbound, dispatch_uid="messaging-email-inbound")
def on_anymail_inbound(sender: object, event: AnymailInboundEvent, esp_name: str, **_: object):
    """Anymail has already checked the webhook secret and the ESP's signature."""
    row, created = inbound_store(
        raw=_raw_bytes(event), source=InboundPayload.Source.WEBHOOK, origin=esp_name.lower(),
        event_id=event.event_id or "",
    )  # fmt: skip
    logger.info("inbound %s from %s: %s", row.pk, esp_name, "stored" if created else "duplicate")


SUPPRESSING_EVENTS = {"bounced": "bounced", "complained": "complained", "rejected": "rejected"}
DELIVERY_EVENTS = {
    "delivered": OutboxMessage.Delivery.DELIVERED,
    "opened": OutboxMessage.Delivery.READ,
    "bounced": OutboxMessage.Delivery.UNDELIVERED,
    "rejected": OutboxMessage.Delivery.UNDELIVERED,
    "failed": OutboxMessage.Delivery.UNDELIVERED,
}


@receiver(tracking, dispatch_uid="messaging-email-tracking")
def on_anymail_tracking(sender: object, event: AnymailTrackingEvent, esp_name: str, **_: object):
    """A hard bounce or complaint suppresses the address; delivery events move the sent
    row on (delivered, read, undelivered)."""
    event_type = event.event_type or ""
    reason = SUPPRESSING_EVENTS.get(event_type)
    if reason and event.recipient:
        recipient_suppress(
            address=event.recipient, reason=reason,
            detail=f"{esp_name}: {event.description or event.reject_reason or ''}"[:2000],
        )  # fmt: skip
    if event_type in DELIVERY_EVENTS and event.message_id:
        outbox_delivery_record(
            channel="email", provider_message_id=str(event.message_id)[:255],
            delivery=DELIVERY_EVENTS[event_type],
        )  # fmt: skip
