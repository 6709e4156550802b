"""Ticket housekeeping tasks."""

from __future__ import annotations

from datetime import timedelta

from celery import shared_task
from django.conf import settings

from tickets.workflow import tickets_autoclose


@shared_task(acks_late=True)
def tickets_autoclose_solved() -> int:
    """Close solved tickets after the quiet period (idempotent, safe to run twice)."""
    return tickets_autoclose(quiet_for=timedelta(hours=settings.TICKET_AUTOCLOSE_AFTER_HOURS))
