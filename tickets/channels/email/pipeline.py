"""From a stored raw email to a ticket message, or to quarantine with a reason."""

from __future__ import annotations

import logging
import re
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import DataError, IntegrityError, connection, transaction
from django.utils import timezone

from helpdesk.services import event_record
from tickets.channels.email.parse import ParseError, email_parse
from tickets.ingest import message_ingest
from tickets.models import InboundEmail

logger = logging.getLogger(__name__)


def _our_ids_in(raw: bytes) -> list[str]:
    """Our Message-IDs quoted anywhere in a bounce (the returned headers or message)."""
    domain = re.escape(settings.EMAIL_MESSAGE_ID_DOMAIN.encode())
    pattern = rb"<(t\d+\.[a-z0-9]{16}\.[a-f0-9]{20}@" + domain + rb")>"
    return [match.decode() for match in re.findall(pattern, raw, flags=re.IGNORECASE)][:20]


def _quarantine(row: InboundEmail, reason: str) -> None:
    row.state = InboundEmail.State.QUARANTINED
    row.reason = reason[:2000]
    row.processed_at = timezone.now()
    row.save(update_fields=["state", "reason", "processed_at", "attempts"])
    event_record(kind="email.quarantined", data={"inbound": row.pk, "reason": row.reason})
    logger.warning("inbound %s quarantined: %s", row.pk, row.reason)


def inbound_process(*, inbound_id: int) -> InboundEmail | None:
    """Parse and ingest one stored email. Idempotent: only ``received`` rows are processed,
    under a row lock, so a duplicate task does nothing. Transient database errors
    propagate (the task retries); anything about the message itself, including data the
    database refuses, quarantines it with the reason."""
    try:
        return _process(inbound_id)
    except (DataError, IntegrityError) as error:
        # The whole ingest rolled back; record why, in a transaction of its own.
        with transaction.atomic():
            row = (
                InboundEmail.objects.select_for_update()
                .filter(pk=inbound_id, state=InboundEmail.State.RECEIVED)
                .first()
            )
            if row is not None:
                row.attempts += 1
                _quarantine(row, f"could not store: {type(error).__name__}: {error}")
        return row


@transaction.atomic
def _process(inbound_id: int) -> InboundEmail | None:
    row = (
        InboundEmail.objects.select_for_update(skip_locked=True)
        .filter(pk=inbound_id, state=InboundEmail.State.RECEIVED)
        .first()
    )
    if row is None:
        return None
    with connection.cursor() as cursor:
        # The raw bytes are already durable (stored with a synchronous commit). If the
        # server crashes before this transaction reaches disk, the row is still
        # "received" and the sweep processes it again, so this commit need not wait for
        # the WAL flush. A later synchronous commit that reads its rows (the outbox
        # dispatcher's claim) flushes it anyway.
        cursor.execute("SET LOCAL synchronous_commit TO OFF")
    row.attempts += 1
    raw = bytes(row.raw)
    try:
        parsed = email_parse(raw)
    except ParseError as error:
        _quarantine(row, str(error))
        return row
    except Exception as error:
        _quarantine(row, f"parser failed: {type(error).__name__}: {error}")
        return row
    if parsed.is_bounce:
        parsed.references = parsed.references + _our_ids_in(raw)
    message_ingest(inbound=parsed, inbound_email=row)
    row.state = InboundEmail.State.INGESTED
    row.processed_at = timezone.now()
    row.reason = ""
    row.save(update_fields=["state", "processed_at", "reason", "attempts"])
    return row


@transaction.atomic
def inbound_retry(*, inbound: InboundEmail, by: AbstractUser | None) -> InboundEmail:
    """An admin sends a quarantined email through the pipeline again."""
    from tickets.tasks import inbound_parse

    row = InboundEmail.objects.select_for_update().get(pk=inbound.pk)
    if row.state != InboundEmail.State.QUARANTINED:
        return row
    row.state = InboundEmail.State.RECEIVED
    row.save(update_fields=["state"])
    event_record(kind="email.retry_requested", actor=by, data={"inbound": row.pk})
    transaction.on_commit(lambda: inbound_parse.delay(inbound_id=row.pk))
    return row


def inbound_sweep() -> int:
    """Queue parsing again for rows whose task was lost (broker restart, dead worker)."""
    from tickets.tasks import inbound_parse

    stale = timezone.now() - timedelta(minutes=5)
    pks = list(
        InboundEmail.objects.filter(
            state=InboundEmail.State.RECEIVED, received_at__lt=stale
        ).values_list("pk", flat=True)[:1000]
    )
    for pk in pks:
        inbound_parse.delay(inbound_id=pk)
    return len(pks)
