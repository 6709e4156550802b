"""The three ways mail comes in (ESP webhook, IMAP, MTA pipe) all end here: store the raw
bytes once under a dedupe key, answer fast, queue parsing."""

from __future__ import annotations

import logging

from anymail.signals import AnymailInboundEvent, AnymailTrackingEvent, inbound, tracking
from django.db import IntegrityError, transaction
from django.dispatch import receiver

from helpdesk.services import event_record
from tickets.channels.email.message_ids import raw_digest
from tickets.models import InboundEmail

logger = logging.getLogger(__name__)


def inbound_store(
    *, raw: bytes, source: str, origin: str = "", event_id: str = ""
) -> tuple[InboundEmail, bool]:
    """Store one raw email unless we already have it; queue parsing when it is new.

    The dedupe key is the provider's event id when there is one, else the SHA-256 of the
    raw bytes. Returns the row and whether it was created. Safe under concurrency: two
    deliveries racing each other end with one row (the unique key decides).
    """
    from tickets.tasks import inbound_parse

    key = f"{origin}:{event_id}" if event_id else f"sha256:{raw_digest(raw)}"
    key = key[:300]
    existing = InboundEmail.objects.filter(dedupe_key=key).only("pk").first()
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():
            row = InboundEmail.objects.create(
                source=source, origin=origin[:100], dedupe_key=key, raw=raw, size=len(raw)
            )
            event_record(kind="email.received", data={"inbound": row.pk, "source": source})
            transaction.on_commit(lambda: inbound_parse.delay(inbound_id=row.pk))
    except IntegrityError:
        return InboundEmail.objects.only("pk").get(dedupe_key=key), False
    return row, True


def _raw_bytes(event: AnymailInboundEvent) -> bytes:
    message = event.message
    try:
        return message.as_bytes()
    except Exception:
        return message.as_string().encode("utf-8", errors="surrogateescape")


@receiver(inbound, dispatch_uid="tickets-email-inbound")
def on_anymail_inbound(sender: object, event: AnymailInboundEvent, esp_name: str, **_: object):
    """Anymail has already checked the webhook secret and the ESP's signature."""
    row, created = inbound_store(
        raw=_raw_bytes(event), source=InboundEmail.Source.WEBHOOK, origin=esp_name.lower(),
        event_id=event.event_id or "",
    )  # fmt: skip
    logger.info("inbound %s from %s: %s", row.pk, esp_name, "stored" if created else "duplicate")


SUPPRESSING_EVENTS = {"bounced": "bounced", "complained": "complained", "rejected": "rejected"}


@receiver(tracking, dispatch_uid="tickets-email-tracking")
def on_anymail_tracking(sender: object, event: AnymailTrackingEvent, esp_name: str, **_: object):
    """A hard bounce or complaint suppresses the address; other events are ignored here."""
    from tickets.outbox import address_suppress

    reason = SUPPRESSING_EVENTS.get(event.event_type or "")
    if reason and event.recipient:
        address_suppress(
            address=event.recipient, reason=reason,
            detail=f"{esp_name}: {event.description or event.reject_reason or ''}"[:2000],
        )  # fmt: skip


def inbound_quarantine_store(*, raw: bytes, origin: str, reason: str) -> InboundEmail:
    """Keep an authenticated delivery that could not even be read as an email."""
    key = f"sha256:{raw_digest(raw)}"
    with transaction.atomic():
        row, created = InboundEmail.objects.get_or_create(
            dedupe_key=key,
            defaults={"source": InboundEmail.Source.WEBHOOK, "origin": origin[:100], "raw": raw,
                      "size": len(raw), "state": InboundEmail.State.QUARANTINED,
                      "reason": reason[:2000]},
        )  # fmt: skip
        if created:
            event_record(kind="email.quarantined", data={"inbound": row.pk, "reason": reason})
    return row
