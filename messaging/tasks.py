"""Celery tasks of messaging: they take ids, call one service and are idempotent."""

from __future__ import annotations

from celery import shared_task
from django.conf import settings
from django.db import InterfaceError, OperationalError

TRANSIENT = (OperationalError, InterfaceError, ConnectionError, TimeoutError)


@shared_task(
    acks_late=True, autoretry_for=TRANSIENT, retry_backoff=True, retry_backoff_max=600,
    max_retries=10,
)  # fmt: skip
def inbound_parse(*, inbound_id: int) -> str:
    from messaging.inbound import inbound_process

    row = inbound_process(inbound_id=inbound_id)
    return row.state if row else "skipped"


@shared_task
def inbound_sweep() -> int:
    from messaging.inbound import inbound_sweep as sweep

    return sweep()


@shared_task(acks_late=True, autoretry_for=TRANSIENT, retry_backoff=True, max_retries=10)
def outbox_dispatch(*, outbox_id: int) -> str:
    # Idempotent by the row's state; acks_late so a task lost with its worker runs again.
    from messaging.outbox import outbox_dispatch as dispatch

    return dispatch(outbox_id=outbox_id)


@shared_task
def outbox_sweep() -> int:
    from messaging.outbox import outbox_sweep as sweep

    return sweep()


@shared_task
def inbound_imap_poll_all() -> int:
    for name in settings.IMAP_MAILBOXES:
        inbound_imap_poll.delay(mailbox=name)
    return len(settings.IMAP_MAILBOXES)


@shared_task(autoretry_for=TRANSIENT, retry_backoff=True, max_retries=5)
def inbound_imap_poll(*, mailbox: str) -> int:
    from messaging.channels.email.imap import imap_poll

    return imap_poll(mailbox=mailbox)
