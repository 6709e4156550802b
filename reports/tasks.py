"""Reports tasks: the rollup refresh (woken by committed events, and the beat's catch-up
sweep) and the weekly report. Each is safe to run twice."""

from __future__ import annotations

from celery import shared_task
from django.utils import timezone

from reports import rollups, services


@shared_task
def reports_refresh() -> dict[str, int]:
    result = rollups.rollups_refresh()
    return {"events": result.events, "tickets": result.tickets, "hours": result.hours}


@shared_task(acks_late=True)
def weekly_report_send(*, user_id: int, today: str) -> int | None:
    from datetime import date

    delivery = services.weekly_report_send(user_id=user_id, today=date.fromisoformat(today))
    return delivery.pk if delivery else None


@shared_task
def weekly_reports_send_due() -> int:
    due = services.weekly_reports_due(now=timezone.now())
    for user_id, today in due:
        weekly_report_send.delay(user_id=user_id, today=today.isoformat())
    return len(due)
