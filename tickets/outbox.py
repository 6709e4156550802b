"""The outbox: every outbound email is a row written in its cause's transaction, and a
Celery task moves it queued → sending → sent / retrying / failed.

Exactly-once, as far as email allows: a row is claimed with ``select_for_update(
skip_locked=True)`` and marked ``sending`` in a committed transaction before anything is
handed to the ESP, and only ``queued``/``retrying`` rows are ever claimed, so a row marked
``sent`` is never sent again. The one at-least-once window is a worker dying after the ESP
accepted the mail and before the row was marked ``sent``: the sweep finds the row still in
``sending`` after OUTBOX_SENDING_STALE_SECONDS and sends it again, because losing a reply
is worse than repeating one.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from anymail.exceptions import AnymailAPIError, AnymailError, AnymailRecipientsRefused
from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.utils import timezone

from customers.models import Customer
from customers.services import address_normalise
from helpdesk.services import event_record
from tickets.channels.email.message_ids import message_id_make
from tickets.models import Message, OutboundEmail, SuppressedAddress, Ticket

logger = logging.getLogger(__name__)

State = OutboundEmail.State


def _schedule(outbound_id: int, countdown: float = 0) -> None:
    from tickets.tasks import outbox_dispatch

    outbox_dispatch.apply_async(
        kwargs={"outbound_id": outbound_id}, queue=settings.OUTBOX_QUEUE, countdown=countdown
    )


def address_is_suppressed(address: str) -> bool:
    return SuppressedAddress.objects.filter(address=address.strip().lower()).exists()


def _safe_headers(headers: dict) -> dict[str, str]:
    """No header injection: line breaks in a name or value (which may come from an
    inbound Message-ID) collapse to spaces."""
    return {
        " ".join(str(name).split()): " ".join(str(value).split()) for name, value in headers.items()
    }


def outbox_enqueue(
    *,
    to: str,
    subject: str,
    text: str,
    html: str = "",
    customer: Customer | None = None,
    ticket: Ticket | None = None,
    message: Message | None = None,
    automatic: str = "",
    kind: str = "",
    language: str = "en",
    headers: dict | None = None,
) -> OutboundEmail:
    """Write one email to the outbox. Call it inside the transaction that caused it: the
    dispatch is scheduled on commit, so a rolled-back transaction sends nothing.

    ``automatic`` is "", "auto-replied" or "auto-generated" (the Auto-Submitted header).
    An address on the suppression list gets a row in state ``suppressed`` and no send.
    """
    if automatic not in OutboundEmail.Automatic.values:
        raise ValueError(f"automatic must be one of {OutboundEmail.Automatic.values}")
    to = to.strip()
    # No savepoint: inside the caller's transaction this is all-or-nothing with it anyway.
    with transaction.atomic(savepoint=False):
        suppressed = address_is_suppressed(to)
        row = OutboundEmail.objects.create(
            to=to, subject=subject.replace("\n", " ")[:255], text=text, html=html,
            headers=_safe_headers(headers or {}),
            customer=customer or (ticket.customer if ticket else None), ticket=ticket,
            message=message, automatic=automatic, kind=kind[:40], language=language,
            message_id_header=message_id_make(ticket_id=ticket.pk if ticket else None),
            state=State.SUPPRESSED if suppressed else State.QUEUED,
            last_error="address is suppressed (bounce or complaint)" if suppressed else "",
        )  # fmt: skip
        event_record(
            kind="email.suppressed" if suppressed else "email.queued", ticket=ticket,
            customer=row.customer, data={"outbound": row.pk, "kind": kind},
        )  # fmt: skip
        if not suppressed:
            transaction.on_commit(lambda: _schedule(row.pk))
    return row


def _claim(outbound_id: int) -> OutboundEmail | None:
    """Move a due row to ``sending`` and commit, or return None if nobody should send it."""
    with transaction.atomic():
        row = (
            OutboundEmail.objects.select_for_update(skip_locked=True)
            .filter(pk=outbound_id, state__in=[State.QUEUED, State.RETRYING])
            .first()
        )
        if row is None:
            return None  # sent, failed, suppressed, or another worker holds it right now
        if row.next_attempt_at and row.next_attempt_at > timezone.now():
            return None  # a retry that is not due yet; its own countdown task will come
        if address_is_suppressed(row.to):
            row.state = State.SUPPRESSED
            row.last_error = "address is suppressed (bounce or complaint)"
            row.save(update_fields=["state", "last_error", "updated_at"])
            return None
        row.state = State.SENDING
        row.attempts += 1
        row.claimed_at = timezone.now()
        row.save(update_fields=["state", "attempts", "claimed_at", "updated_at"])
    return row


def _build(row: OutboundEmail) -> EmailMultiAlternatives:
    headers = dict(row.headers)
    headers["Message-ID"] = row.message_id_header
    if row.automatic:
        headers["Auto-Submitted"] = row.automatic
        headers["X-Auto-Response-Suppress"] = "All"  # Outlook/Exchange out-of-office
    if row.language:
        headers["Content-Language"] = row.language
    email = EmailMultiAlternatives(
        subject=row.subject, body=row.text, from_email=settings.DEFAULT_FROM_EMAIL,
        to=[row.to], headers=headers,
    )  # fmt: skip
    if row.html:
        email.attach_alternative(row.html, "text/html")
    if row.message_id:  # an agent's reply: the files they attached go with it
        for attachment in row.message.attachments.order_by("pk"):
            with attachment.file.open("rb") as stored:
                email.attach(attachment.filename, stored.read(), attachment.content_type)
    return email


def _is_transient(error: Exception) -> bool:
    if isinstance(error, AnymailRecipientsRefused | ValueError | TypeError):
        return False  # refused recipient, or a message we cannot build (BadHeaderError)
    if isinstance(error, AnymailAPIError):
        status = getattr(error, "status_code", None)
        return status is None or status >= 500 or status == 429
    # Other anymail errors are configuration or invalid requests: retrying will not help.
    # Anything else (network errors, timeouts, the ESP down) is worth another try.
    return not isinstance(error, AnymailError)


def outbox_dispatch(*, outbound_id: int) -> str:
    """Send one outbox row if it is due. Idempotent: a sent row is never sent again."""
    row = _claim(outbound_id)
    if row is None:
        return "skipped"
    try:
        email = _build(row)
        email.send()
    except Exception as error:
        return _record_failure(row=row, error=error)
    status = getattr(email, "anymail_status", None)
    esp_id = getattr(status, "message_id", None)
    esp_id = "" if esp_id is None else esp_id
    with transaction.atomic():
        OutboundEmail.objects.filter(pk=row.pk, state=State.SENDING).update(
            state=State.SENT, sent_at=timezone.now(), esp_message_id=str(esp_id)[:255],
            last_error="", updated_at=timezone.now(),
        )  # fmt: skip
        event_record(
            kind="email.sent", ticket=row.ticket, customer=row.customer,
            data={"outbound": row.pk, "esp_message_id": str(esp_id)},
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


def _record_failure(*, row: OutboundEmail, error: Exception) -> str:
    transient = _is_transient(error)
    give_up = not transient or row.attempts >= settings.OUTBOX_MAX_ATTEMPTS
    delay = settings.OUTBOX_BACKOFF_SECONDS * (2 ** (row.attempts - 1))
    now = timezone.now()
    with transaction.atomic():
        OutboundEmail.objects.filter(pk=row.pk, state=State.SENDING).update(
            state=State.FAILED if give_up else State.RETRYING,
            next_attempt_at=None if give_up else now + timedelta(seconds=delay),
            last_error=_describe(error), updated_at=now,
        )  # fmt: skip
        event_record(
            kind="email.failed" if give_up else "email.retrying", ticket=row.ticket,
            customer=row.customer, data={"outbound": row.pk, "attempt": row.attempts},
        )  # fmt: skip
        if not give_up:
            transaction.on_commit(lambda: _schedule(row.pk, countdown=delay))
    logger.warning("outbox %s attempt %s failed: %s", row.pk, row.attempts, _describe(error))
    return "failed" if give_up else "retrying"


@transaction.atomic
def outbox_retry(*, outbound: OutboundEmail, by: AbstractUser | None) -> OutboundEmail:
    """An agent asks to try a failed row again."""
    row = OutboundEmail.objects.select_for_update().get(pk=outbound.pk)
    if row.state != State.FAILED:
        return row
    row.state = State.QUEUED
    row.next_attempt_at = None
    row.attempts = 0
    row.save(update_fields=["state", "next_attempt_at", "attempts", "updated_at"])
    event_record(kind="email.retry_requested", actor=by, ticket=row.ticket,
                 data={"outbound": row.pk})  # fmt: skip
    transaction.on_commit(lambda: _schedule(row.pk))
    return row


def outbox_sweep() -> int:
    """Re-queue what a lost task or a dead worker left behind. Returns rows scheduled."""
    now = timezone.now()
    stale = now - timedelta(seconds=settings.OUTBOX_SENDING_STALE_SECONDS)
    with transaction.atomic():
        # A worker died between claiming and marking: the documented at-least-once gap.
        revived = list(
            OutboundEmail.objects.select_for_update(skip_locked=True)
            .filter(state=State.SENDING, claimed_at__lt=stale)
            .values_list("pk", flat=True)
        )
        OutboundEmail.objects.filter(pk__in=revived).update(
            state=State.RETRYING, next_attempt_at=None, updated_at=now,
            last_error="worker lost while sending; re-queued by the sweep",
        )  # fmt: skip
    due = list(
        OutboundEmail.objects.filter(state__in=[State.QUEUED, State.RETRYING])
        .exclude(next_attempt_at__gt=now)
        .filter(updated_at__lt=now - timedelta(seconds=settings.OUTBOX_QUEUED_STALE_SECONDS))
        .values_list("pk", flat=True)[:1000]
    )
    for pk in set(due) | set(revived):
        _schedule(pk)
    return len(set(due) | set(revived))


@transaction.atomic
def address_suppress(*, address: str, reason: str, detail: str = "") -> SuppressedAddress:
    """Stop sending to an address that bounced or complained."""
    normalised = address_normalise(kind="email", address=address)
    row, created = SuppressedAddress.objects.get_or_create(
        address=normalised, defaults={"reason": reason[:32], "detail": detail}
    )
    if created:
        event_record(kind="email.address_suppressed", data={"address": normalised,
                                                             "reason": reason})  # fmt: skip
    return row
