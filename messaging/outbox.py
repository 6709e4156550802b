"""The outbox: every outgoing message, on any channel, is a row written in its cause's
transaction, and a Celery task moves it queued → sending → sent / retrying / failed
through the channel's adapter.

Exactly-once, as far as the channel allows: a row is claimed with ``select_for_update(
skip_locked=True)`` and marked ``sending`` in a committed transaction before anything is
handed to the provider, and only ``queued``/``retrying`` rows are ever claimed, so a row
marked ``sent`` is never sent again. The one at-least-once window is a worker dying after
the provider accepted the message and before the row was marked ``sent``: the sweep finds
the row still in ``sending`` after OUTBOX_SENDING_STALE_SECONDS and sends it again,
because losing a reply is worse than repeating one.

The dispatch task is queued after commit as a shortcut; when the broker is down the row
stays ``queued`` and the beat sweep (every minute) queues it once the broker is back.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.events import event_new, event_record, events_record
from core.reactions import task_after_commit, task_publish
from messaging.adapters import NoAdapterError, adapter_for
from messaging.models import Channel, OutboxMessage, Suppression
from messaging.types import OutboundMessage, StoredFile, header_value_clean

if TYPE_CHECKING:
    from core.models import Event

logger = logging.getLogger(__name__)

State = OutboxMessage.State


class OutboxRefusedError(ValueError):
    """This message cannot be delivered on this channel; ``str(error)`` says why, in the
    words of the person who asked (the agent at the composer)."""


def _dispatch_task():
    from messaging.tasks import outbox_dispatch

    return outbox_dispatch


def recipient_is_suppressed(*, channel: str, address: str) -> bool:
    return Suppression.objects.filter(channel=channel, address=address.strip().lower()).exists()


def outbox_refusal(*, channel: str, to: str | None, text: str, files: int = 0) -> str:
    """Why a message could not go out on ``channel`` to ``to`` (empty when it can): no
    adapter configured, no address to send to, or a text or files the channel cannot
    carry."""
    try:
        adapter = adapter_for(channel)
    except NoAdapterError:
        name = Channel(channel).label if channel in Channel.values else channel
        return _("Replies on this channel cannot be sent from here: no %(channel)s connection "
                 "is set up.") % {"channel": name}  # fmt: skip
    if not to:
        return _("The customer has no address on this channel to send the reply to.")
    limit = adapter.capabilities.max_length
    if limit is not None and len(text) > limit:
        return _("This channel carries at most %(limit)d characters; the text has %(count)d.") % {
            "limit": limit, "count": len(text),
        }  # fmt: skip
    if files and not adapter.capabilities.attachments:
        return _("Files cannot be sent on this channel; send the text alone.")
    return ""


def outbox_enqueue(
    *,
    to: str,
    text: str,
    channel: str = "email",
    subject: str = "",
    html: str = "",
    customer: object | None = None,
    ticket_id: int | None = None,
    message_id: int | None = None,
    attachments: Sequence[StoredFile] = (),
    automatic: str = "",
    kind: str = "",
    language: str = "en",
    headers: dict | None = None,
    events: Sequence[Event] = (),
) -> OutboxMessage:
    """Write one message to the outbox. Call it inside the transaction that caused it:
    the dispatch is queued on commit, so a rolled-back transaction sends nothing.

    Raises ``OutboxRefusedError`` when the channel cannot deliver it (see ``outbox_refusal``),
    so nothing is ever recorded as on its way when nothing will send it. ``automatic`` is
    "", "auto-replied" or "auto-generated" (RFC 3834). A suppressed recipient gets a row
    in state ``suppressed`` and no send. ``events``: the caller's own events, not yet
    recorded (``core.events.event_new``), appended before the outbox's in one insert.
    """
    if automatic not in OutboxMessage.Automatic.values:
        raise ValueError(f"automatic must be one of {OutboxMessage.Automatic.values}")
    if refusal := outbox_refusal(channel=channel, to=to, text=text, files=len(attachments)):
        raise OutboxRefusedError(refusal)
    adapter = adapter_for(channel)
    to = adapter.address_normalise(to)
    # No savepoint: inside the caller's transaction this is all-or-nothing with it anyway.
    with transaction.atomic(savepoint=False):
        suppressed = recipient_is_suppressed(channel=channel, address=to)
        row = OutboxMessage.objects.create(
            channel=channel, to=to, text=text,
            # What the channel cannot show is left out (an SMS has no subject).
            subject=header_value_clean(subject)[:255] if adapter.capabilities.subject else "",
            html=html if adapter.capabilities.html else "",
            headers={header_value_clean(k): header_value_clean(v)
                     for k, v in (headers or {}).items()},
            attachments=[{"filename": f.filename, "content_type": f.content_type,
                          "path": f.path} for f in attachments],
            customer=customer, ticket_id=ticket_id, message_id=message_id,
            automatic=automatic, kind=kind[:40], language=language,
            message_id_header=adapter.reference_new(ticket_id=ticket_id),
            state=State.SUPPRESSED if suppressed else State.QUEUED,
            last_error="recipient is suppressed (bounce or complaint)" if suppressed else "",
        )  # fmt: skip
        queued = event_new(
            kind="outbox.suppressed" if suppressed else "outbox.queued", ticket_id=ticket_id,
            customer=customer, data={"outbox": row.pk, "kind": kind, "channel": channel},
        )  # fmt: skip
        events_record([*events, queued])
        if not suppressed:
            task_after_commit(_dispatch_task(), outbox_id=row.pk, queue=settings.OUTBOX_QUEUE)
    return row


def _claim(outbox_id: int) -> OutboxMessage | None:
    """Move a due row to ``sending`` and commit, or return None if nobody should send it."""
    with transaction.atomic():
        row = (
            OutboxMessage.objects.select_for_update(skip_locked=True)
            .filter(pk=outbox_id, state__in=[State.QUEUED, State.RETRYING])
            .first()
        )
        if row is None:
            return None  # sent, failed, suppressed, or another worker holds it right now
        if row.next_attempt_at and row.next_attempt_at > timezone.now():
            return None  # a retry that is not due yet; its own countdown task will come
        if recipient_is_suppressed(channel=row.channel, address=row.to):
            row.state = State.SUPPRESSED
            row.last_error = "recipient is suppressed (bounce or complaint)"
            row.save(update_fields=["state", "last_error", "updated_at"])
            return None
        row.state = State.SENDING
        row.attempts += 1
        row.claimed_at = timezone.now()
        row.save(update_fields=["state", "attempts", "claimed_at", "updated_at"])
    return row


def outbound_message(row: OutboxMessage) -> OutboundMessage:
    """The row's payload, as its channel's adapter takes it."""
    return OutboundMessage(
        to=row.to, text=row.text, subject=row.subject, html=row.html,
        reference=row.message_id_header, headers=dict(row.headers),
        attachments=tuple(StoredFile(**item) for item in row.attachments),
        automatic=row.automatic, language=row.language,
    )  # fmt: skip


def outbox_dispatch(*, outbox_id: int) -> str:
    """Send one outbox row if it is due. Idempotent: a sent row is never sent again."""
    row = _claim(outbox_id)
    if row is None:
        return "skipped"
    try:
        adapter = adapter_for(row.channel)
        provider_id = adapter.send(outbound_message(row))
    except NoAdapterError as error:
        return _record_failure(row=row, error=error, transient=False)
    except Exception as error:
        return _record_failure(row=row, error=error, transient=adapter.is_transient(error))
    with transaction.atomic():
        OutboxMessage.objects.filter(pk=row.pk, state=State.SENDING).update(
            state=State.SENT, sent_at=timezone.now(), provider_message_id=provider_id[:255],
            last_error="", updated_at=timezone.now(),
        )  # fmt: skip
        event_record(
            kind="outbox.sent", ticket_id=row.ticket_id, customer_id=row.customer_id,
            data={"outbox": row.pk, "provider_message_id": provider_id, "kind": row.kind},
        )  # fmt: skip
    return "sent"


def _describe(error: Exception) -> str:
    try:
        text = str(error)
    except Exception:  # an exception that cannot describe itself still gets recorded
        text = repr(error.args)
    status = getattr(error, "status_code", None)
    prefix = f"{type(error).__name__}" + (f" (HTTP {status})" if status else "")
    return f"{prefix}: {text}"[:2000]


def _record_failure(*, row: OutboxMessage, error: Exception, transient: bool) -> str:
    give_up = not transient or row.attempts >= settings.OUTBOX_MAX_ATTEMPTS
    delay = settings.OUTBOX_BACKOFF_SECONDS * (2 ** (row.attempts - 1))
    now = timezone.now()
    with transaction.atomic():
        OutboxMessage.objects.filter(pk=row.pk, state=State.SENDING).update(
            state=State.FAILED if give_up else State.RETRYING,
            next_attempt_at=None if give_up else now + timedelta(seconds=delay),
            last_error=_describe(error), updated_at=now,
        )  # fmt: skip
        event_record(
            kind="outbox.failed" if give_up else "outbox.retrying", ticket_id=row.ticket_id,
            customer_id=row.customer_id, data={"outbox": row.pk, "attempt": row.attempts},
        )  # fmt: skip
        if not give_up:
            task_after_commit(
                _dispatch_task(), outbox_id=row.pk, countdown=delay, queue=settings.OUTBOX_QUEUE
            )
    logger.warning("outbox %s attempt %s failed: %s", row.pk, row.attempts, _describe(error))
    return "failed" if give_up else "retrying"


@transaction.atomic
def outbox_retry(*, outbox: OutboxMessage, by: AbstractUser | None) -> OutboxMessage:
    """An agent asks to try a failed row again."""
    row = OutboxMessage.objects.select_for_update().get(pk=outbox.pk)
    if row.state != State.FAILED:
        return row
    row.state = State.QUEUED
    row.next_attempt_at = None
    row.attempts = 0
    row.save(update_fields=["state", "next_attempt_at", "attempts", "updated_at"])
    event_record(kind="outbox.retry_requested", actor=by, ticket_id=row.ticket_id,
                 data={"outbox": row.pk})  # fmt: skip
    task_after_commit(_dispatch_task(), outbox_id=row.pk, queue=settings.OUTBOX_QUEUE)
    return row


def outbox_sweep() -> int:
    """Queue what a lost task, a broker outage or a dead worker left behind. Returns the
    number of rows queued."""
    now = timezone.now()
    stale = now - timedelta(seconds=settings.OUTBOX_SENDING_STALE_SECONDS)
    with transaction.atomic():
        # A worker died between claiming and marking: the documented at-least-once gap.
        revived = list(
            OutboxMessage.objects.select_for_update(skip_locked=True)
            .filter(state=State.SENDING, claimed_at__lt=stale)
            .values_list("pk", flat=True)
        )
        OutboxMessage.objects.filter(pk__in=revived).update(
            state=State.RETRYING, next_attempt_at=None, updated_at=now,
            last_error="worker lost while sending; re-queued by the sweep",
        )  # fmt: skip
    due = list(
        OutboxMessage.objects.filter(state__in=[State.QUEUED, State.RETRYING])
        .exclude(next_attempt_at__gt=now)
        .filter(updated_at__lt=now - timedelta(seconds=settings.OUTBOX_QUEUED_STALE_SECONDS))
        .values_list("pk", flat=True)[:1000]
    )
    pks = set(due) | set(revived)
    for pk in pks:
        task_publish(_dispatch_task(), outbox_id=pk, queue=settings.OUTBOX_QUEUE)
    return len(pks)


@transaction.atomic
def recipient_suppress(
    *, address: str, reason: str, detail: str = "", channel: str = "email"
) -> Suppression:
    """Stop sending to a recipient that bounced, complained or asked to stop."""
    try:
        normalised = adapter_for(channel).address_normalise(address)
    except NoAdapterError:
        normalised = address.strip()
    normalised = normalised.lower()
    row, created = Suppression.objects.get_or_create(
        channel=channel, address=normalised, defaults={"reason": reason[:32], "detail": detail}
    )
    if created:
        data = {"address": normalised, "reason": reason, "channel": channel}
        event_record(kind="outbox.recipient_suppressed", data=data)
    return row


@transaction.atomic
def outbox_delivery_record(*, channel: str, provider_message_id: str, delivery: str) -> int:
    """A provider's delivery callback (delivered, read, undelivered) for a sent row;
    returns the rows it moved. "read" is never taken back to "delivered"."""
    if delivery not in OutboxMessage.Delivery.values or not provider_message_id:
        return 0
    rows = OutboxMessage.objects.filter(channel=channel, provider_message_id=provider_message_id)
    if delivery == OutboxMessage.Delivery.DELIVERED:
        rows = rows.exclude(delivery=OutboxMessage.Delivery.READ)
    return rows.exclude(delivery=delivery).update(delivery=delivery, updated_at=timezone.now())
