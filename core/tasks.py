"""The kernel's housekeeping task: forget old Idempotency-Key answers."""

from __future__ import annotations

from celery import shared_task

from core.api.idempotency import idempotency_records_purge


@shared_task
def idempotency_purge() -> int:
    return idempotency_records_purge()
