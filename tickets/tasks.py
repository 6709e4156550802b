"""Celery tasks of the tickets app: they take ids, call one service and are idempotent."""

from __future__ import annotations

from celery import shared_task
from django.db import InterfaceError, OperationalError

TRANSIENT = (OperationalError, InterfaceError, ConnectionError, TimeoutError)


@shared_task(
    acks_late=True, autoretry_for=TRANSIENT, retry_backoff=True, retry_backoff_max=600,
    max_retries=10,
)  # fmt: skip
def inbound_parse(*, inbound_id: int) -> str:
    from tickets.channels.email.pipeline import inbound_process

    row = inbound_process(inbound_id=inbound_id)
    return row.state if row else "skipped"


@shared_task
def inbound_sweep() -> int:
    from tickets.channels.email.pipeline import inbound_sweep as sweep

    return sweep()


@shared_task(acks_late=True, autoretry_for=TRANSIENT, retry_backoff=True, max_retries=10)
def outbox_dispatch(*, outbound_id: int) -> str:
    # Idempotent by the row's state; acks_late so a task lost with its worker runs again.
    from tickets.outbox import outbox_dispatch as dispatch

    return dispatch(outbound_id=outbound_id)


@shared_task
def outbox_sweep() -> int:
    from tickets.outbox import outbox_sweep as sweep

    return sweep()


@shared_task
def inbound_imap_poll_all() -> int:
    from django.conf import settings

    for name in settings.IMAP_MAILBOXES:
        inbound_imap_poll.delay(mailbox=name)
    return len(settings.IMAP_MAILBOXES)


@shared_task(autoretry_for=TRANSIENT, retry_backoff=True, max_retries=5)
def inbound_imap_poll(*, mailbox: str) -> int:
    from tickets.channels.email.imap import imap_poll

    return imap_poll(mailbox=mailbox)


@shared_task(acks_late=True)
def tickets_autoclose_solved() -> int:
    """Close solved tickets after the quiet period (idempotent, safe to run twice)."""
    from datetime import timedelta

    from django.conf import settings

    from tickets.workflow import tickets_autoclose

    return tickets_autoclose(quiet_for=timedelta(hours=settings.TICKET_AUTOCLOSE_AFTER_HOURS))
