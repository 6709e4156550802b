"""Reactions: run a task once the transaction that asked for it has committed.

A reaction is driven by the rows the transaction committed (an outbox row ``queued``, a
ticket ``solved`` without its survey, an inbound payload ``received``), never by the task
message alone. ``task_after_commit`` hands the task to the broker as a shortcut; when the
broker cannot take it, the request still succeeds and the owning app's beat sweep finds
the rows and queues the task again. Tasks are idempotent, so a reaction queued twice (by
the shortcut and by a sweep) happens once.
"""

from __future__ import annotations

import logging
from typing import Any

from celery import Task
from django.db import transaction

logger = logging.getLogger(__name__)


def task_publish(
    task: Task, *, countdown: float | None = None, queue: str | None = None, **kwargs: Any
) -> bool:
    """Queue ``task(**kwargs)`` now (on ``queue``, else its routed one); False, logged,
    when the broker cannot take it."""
    options: dict[str, Any] = {"queue": queue} if queue else {}
    try:
        with task.app.producer_or_acquire() as producer:
            # One connection attempt, bounded by the transport's socket_connect_timeout
            # (CELERY_BROKER_TRANSPORT_OPTIONS). Left to itself kombu keeps reconnecting
            # for broker_connection_timeout at 2 s intervals, retry=False or not: 6 s
            # for a refused connection.
            producer.connection.ensure_connection(max_retries=0)
            # retry=False: no publish retries. ignore_result: nobody waits for a
            # reaction's result (its outcome is rows), and asking for one makes Celery
            # subscribe to the result key in Redis first, retrying that for some 20 s
            # when Redis is down.
            task.apply_async(
                kwargs=kwargs, countdown=countdown, retry=False, ignore_result=True,
                producer=producer, **options,
            )  # fmt: skip
    except Exception as error:  # any broker failure; the committed rows remain
        logger.warning("could not queue %s%r, the sweep will: %s", task.name, kwargs, error)
        return False
    return True


def task_after_commit(
    task: Task, *, countdown: float | None = None, queue: str | None = None, **kwargs: Any
) -> None:
    """Queue ``task(**kwargs)`` after the current transaction commits, never failing the
    request that committed. Call it inside the service's transaction."""
    transaction.on_commit(lambda: task_publish(task, countdown=countdown, queue=queue, **kwargs))
