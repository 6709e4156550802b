"""Project-wide tasks: a heartbeat that proves beat and a worker are alive."""

from __future__ import annotations

from celery import shared_task
from django.core.cache import cache
from django.utils import timezone


@shared_task
def heartbeat() -> str:
    """Record when a worker last ran a scheduled task (shown by health checks and admins)."""
    now = timezone.now().isoformat()
    cache.set("celery:last_heartbeat", now, timeout=None)
    return now


@shared_task
def echo(value: str) -> str:
    """Return its argument; used to prove a worker round trip."""
    return value
