"""Inbound payloads, whatever the channel: store the raw bytes once, parse them with the
channel's adapter, hand the result to the inbound hook, or quarantine with a reason.

1. ``inbound_store``: the webhook, poller or pipe stores the raw payload once under two
   keys (the provider's event id, and the SHA-256 of the bytes), answers fast and queues
   parsing. A duplicate delivery finds a key and does nothing.
2. ``inbound_process``: the adapter parses; a payload it cannot read is quarantined,
   visible to admins, nothing lost. The parsed ``InboundMessage`` goes to the
   ``inbound_ingest`` hook (tickets' ``message_ingest``), in the same transaction.
3. ``inbound_sweep``: rows whose task was lost (broker outage, dead worker) are queued
   again by beat.
"""

from __future__ import annotations

import hashlib
import logging
from datetime import timedelta

from django.contrib.auth.models import AbstractUser
from django.db import DataError, IntegrityError, transaction
from django.utils import timezone

from core.config_cache import config_snapshot
from core.events import event_record
from core.hooks import Hook
from core.reactions import task_after_commit, task_publish
from core.rows import rows_update
from messaging.adapters import ParseError, adapter_for
from messaging.models import InboundPayload

logger = logging.getLogger(__name__)

inbound_ingest = Hook(
    "messaging.inbound_ingest",
    "(inbound: InboundMessage, payload: InboundPayload) -> object: what a parsed message "
    "means. Called inside the processing transaction; tickets registers message_ingest.",
)


def _parse_task():
    from messaging.tasks import inbound_parse

    return inbound_parse


def raw_digest(raw: bytes) -> str:
    """The SHA-256 of a payload, line endings aside: SMTP and IMAP hand a mail over with
    CRLF, an MTA's pipe and most ESP webhooks with LF, and it is the same mail."""
    return hashlib.sha256(raw.replace(b"\r\n", b"\n")).hexdigest()


def inbound_store(
    *, raw: bytes, source: str, channel: str = "email", origin: str = "", event_id: str = ""
) -> tuple[InboundPayload, bool]:
    """Store one raw payload unless we already have it; queue parsing when it is new.

    A payload is the same when the provider's event id or the raw bytes' SHA-256 match
    (``raw_digest``, blind to CRLF versus LF): an ESP retry under a fresh event id, or
    one mail arriving by IMAP and by webhook, is stored once. Returns the row and whether
    it was created. Safe under concurrency: two deliveries racing each other end with
    one row (the unique keys decide).
    """
    digest = raw_digest(raw)
    key = (f"{origin}:{event_id}" if event_id else f"sha256:{digest}")[:300]
    existing = (
        InboundPayload.objects.filter(dedupe_key=key).only("pk").first()
        or InboundPayload.objects.filter(raw_sha256=digest).only("pk").first()
    )
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():
            row = InboundPayload.objects.create(
                channel=channel, source=source, origin=origin[:100], dedupe_key=key,
                raw_sha256=digest, raw=raw, size=len(raw),
            )  # fmt: skip
            data = {"inbound": row.pk, "source": source, "channel": channel}
            event_record(kind="inbound.received", data=data)
            task_after_commit(_parse_task(), inbound_id=row.pk)
    except IntegrityError:
        row = InboundPayload.objects.filter(dedupe_key=key).only("pk").first()
        return row or InboundPayload.objects.only("pk").get(raw_sha256=digest), False
    return row, True


def inbound_quarantine_store(
    *, raw: bytes, origin: str, reason: str, channel: str = "email"
) -> InboundPayload:
    """Keep an authenticated delivery that could not even be read as a payload."""
    digest = raw_digest(raw)
    with transaction.atomic():
        row, created = InboundPayload.objects.get_or_create(
            raw_sha256=digest,
            defaults={"channel": channel, "source": InboundPayload.Source.WEBHOOK,
                      "origin": origin[:100], "dedupe_key": f"sha256:{digest}", "raw": raw,
                      "size": len(raw), "state": InboundPayload.State.QUARANTINED,
                      "reason": reason[:2000]},
        )  # fmt: skip
        if created:
            event_record(kind="inbound.quarantined", data={"inbound": row.pk, "reason": reason})
    return row


def _quarantine(row: InboundPayload, reason: str) -> None:
    row.state = InboundPayload.State.QUARANTINED
    row.reason = reason[:2000]
    row.processed_at = timezone.now()
    row.save(update_fields=["state", "reason", "processed_at", "attempts"])
    event_record(kind="inbound.quarantined", data={"inbound": row.pk, "reason": row.reason})
    logger.warning("inbound %s quarantined: %s", row.pk, row.reason)


def inbound_process(*, inbound_id: int) -> InboundPayload | None:
    """Parse and ingest one stored payload. Idempotent: only ``received`` rows are
    processed, under a row lock, so a duplicate task does nothing. Transient database
    errors propagate (the task retries); anything about the payload itself, including
    data the database refuses, quarantines it with the reason."""
    try:
        with config_snapshot():
            return _process(inbound_id)
    except (DataError, IntegrityError) as error:
        # The whole ingest rolled back; record why, in a transaction of its own.
        with transaction.atomic():
            row = (
                InboundPayload.objects.select_for_update()
                .filter(pk=inbound_id, state=InboundPayload.State.RECEIVED)
                .first()
            )
            if row is not None:
                row.attempts += 1
                _quarantine(row, f"could not store: {type(error).__name__}: {error}")
        return row


@transaction.atomic
def _process(inbound_id: int) -> InboundPayload | None:
    row = _claim(inbound_id)
    if row is None:
        return None
    try:
        parsed = adapter_for(row.channel).parse(bytes(row.raw))
    except ParseError as error:
        _quarantine(row, str(error))
        return row
    except Exception as error:
        _quarantine(row, f"parser failed: {type(error).__name__}: {error}")
        return row
    inbound_ingest.call_one(inbound=parsed, payload=row)
    return row


def _claim(inbound_id: int) -> InboundPayload | None:
    """Lock a ``received`` payload that no other worker holds, count this attempt and
    mark it ingested, in one statement; None when there is nothing to do. The mark is
    part of the processing transaction: it commits with the message, or a quarantine
    replaces it, or it rolls back with everything else and the row is ``received``
    again. ``processed_at`` is when this attempt began."""
    # The raw bytes are already durable (stored with a synchronous commit). If the server
    # crashes before this transaction reaches disk, the row is still "received" and the
    # sweep processes it again, so this commit need not wait for the WAL flush. A later
    # synchronous commit that reads its rows (the outbox dispatcher's claim) flushes it
    # anyway. ``set_config(..., true)`` is ``SET LOCAL`` as an expression: it runs for the
    # claimed row, in the statement that claims it, one round trip fewer per message.
    table = InboundPayload._meta.db_table
    claimed = rows_update(
        InboundPayload,
        assignments="state = %s, reason = '', attempts = t.attempts + 1, processed_at = %s",
        where=f"t.id = (SELECT id FROM {table} WHERE id = %s AND state = %s "  # noqa: S608
        "FOR UPDATE SKIP LOCKED)",
        params=[InboundPayload.State.INGESTED, timezone.now(), inbound_id,
                InboundPayload.State.RECEIVED],
        also=["set_config('synchronous_commit', 'off', true)"],
    )  # fmt: skip
    return claimed[0] if claimed else None


@transaction.atomic
def inbound_retry(*, inbound: InboundPayload, by: AbstractUser | None) -> InboundPayload:
    """An admin sends a quarantined payload through the pipeline again."""
    row = InboundPayload.objects.select_for_update().get(pk=inbound.pk)
    if row.state != InboundPayload.State.QUARANTINED:
        return row
    row.state = InboundPayload.State.RECEIVED
    row.save(update_fields=["state"])
    event_record(kind="inbound.retry_requested", actor=by, data={"inbound": row.pk})
    task_after_commit(_parse_task(), inbound_id=row.pk)
    return row


def inbound_sweep(*, older_than: timedelta = timedelta(minutes=5)) -> int:
    """Queue parsing again for rows whose task was lost (broker outage, dead worker)."""
    stale = timezone.now() - older_than
    pks = list(
        InboundPayload.objects.filter(
            state=InboundPayload.State.RECEIVED, received_at__lt=stale
        ).values_list("pk", flat=True)[:1000]
    )
    for pk in pks:
        task_publish(_parse_task(), inbound_id=pk)
    return len(pks)
