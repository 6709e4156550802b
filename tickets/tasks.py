"""Celery tasks of the tickets app: they take ids, call one service and are idempotent."""

from __future__ import annotations

from celery import shared_task


@shared_task(acks_late=True)
def tickets_autoclose_solved() -> int:
    """Close solved tickets after the quiet period (idempotent, safe to run twice)."""
    from datetime import timedelta

    from django.conf import settings

    from tickets.workflow import tickets_autoclose

    return tickets_autoclose(quiet_for=timedelta(hours=settings.TICKET_AUTOCLOSE_AFTER_HOURS))


@shared_task(acks_late=True)
def promises_sweep() -> dict[str, int]:
    """Remind, flag overdue and break promises that are due (idempotent)."""
    from tickets.promises.services import promises_sweep as sweep

    return sweep()


@shared_task(acks_late=True)
def sla_sweep() -> dict[str, int]:
    """Tell assignees and leads about SLA clocks that turned at risk or were breached
    (idempotent: each clock is told once)."""
    from tickets.sla import sla_sweep as sweep

    return sweep()
