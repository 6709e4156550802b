"""The ways mail comes in through an ESP: anymail's inbound and tracking signals. (IMAP
is in ``imap``, the MTA pipe is ``manage.py ingest_email``.) All of them store the raw
bytes once with ``messaging.inbound.inbound_store``, answer fast and queue parsing."""

from __future__ import annotations

import copy
import hashlib
import logging
from email.message import Message

from anymail.signals import AnymailInboundEvent, AnymailTrackingEvent, inbound, tracking
from django.dispatch import receiver
from django.http import HttpRequest

from messaging.inbound import inbound_store
from messaging.models import InboundPayload, OutboxMessage
from messaging.outbox import outbox_delivery_record, recipient_suppress

logger = logging.getLogger(__name__)


# Where each ESP's inbound payload carries the message as it was received, when it does.
RAW_MIME_FIELDS = {"mailgun": "body-mime", "sendgrid": "email", "postmark": "RawEmail"}


def _esp_raw_mime(event: AnymailInboundEvent, esp_name: str) -> str | None:
    field = RAW_MIME_FIELDS.get(esp_name.lower())
    payload = event.esp_event
    if field is None or payload is None:
        return None
    fields = payload.POST if isinstance(payload, HttpRequest) else payload
    value = fields.get(field) if hasattr(fields, "get") else None
    return value if isinstance(value, str) and value else None


def _fixed_boundaries(message: Message) -> Message:
    """A copy of a message anymail built from an ESP's parsed fields, with MIME
    boundaries that depend on its content only (the email package picks random ones),
    so two deliveries of the same mail serialise to the same bytes."""
    message = copy.deepcopy(message)
    containers = [part for part in message.walk() if part.is_multipart()]
    for index, part in enumerate(containers):
        part.set_boundary(f"=_part{index}")
    # No content can contain a hash of itself, so the boundary never occurs inside it.
    digest = hashlib.sha256(_serialised(message)).hexdigest()[:32]
    for index, part in enumerate(containers):
        part.set_boundary(f"=_{digest}.{index}")
    return message


def _serialised(message: Message) -> bytes:
    try:
        return message.as_bytes()
    except Exception:
        return message.as_string().encode("utf-8", errors="surrogateescape")


def _raw_bytes(event: AnymailInboundEvent, esp_name: str) -> bytes:
    """The message as the ESP received it, when the payload has the raw MIME (Mailgun's
    body-mime, SendGrid's raw email, Postmark's RawEmail): the same bytes an MTA pipe or
    IMAP hands over, so one mail arriving both ways hashes alike. Re-serialising anymail's
    parsed message would refold long headers and change the line endings. Otherwise the
    message anymail constructed, with fixed MIME boundaries."""
    raw = _esp_raw_mime(event, esp_name)
    if raw is not None:
        # Anymail parses these fields from exactly this encoding of the text.
        return raw.encode("utf-8", errors="surrogateescape")
    return _serialised(_fixed_boundaries(event.message))


@receiver(inbound, dispatch_uid="messaging-email-inbound")
def on_anymail_inbound(sender: object, event: AnymailInboundEvent, esp_name: str, **_: object):
    """Anymail has already checked the webhook secret and the ESP's signature."""
    row, created = inbound_store(
        raw=_raw_bytes(event, esp_name), source=InboundPayload.Source.WEBHOOK,
        origin=esp_name.lower(), event_id=event.event_id or "",
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
