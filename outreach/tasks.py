"""Outreach tasks. Each takes ids, calls one service and is safe to run twice."""

from __future__ import annotations

from celery import shared_task

from outreach import services


@shared_task(acks_late=True)
def follow_up_schedule(*, ticket_id: int) -> int | None:
    row = services.follow_up_schedule(ticket_id=ticket_id)
    return row.pk if row else None


@shared_task(acks_late=True)
def outreach_send(*, outreach_id: int) -> str:
    return services.outreach_send(outreach_id=outreach_id).state


@shared_task
def outreach_send_due() -> int:
    """Beat sweep: queue every outreach message whose time has come."""
    due = services.outreach_due_ids()
    for outreach_id in due:
        outreach_send.delay(outreach_id=outreach_id)
    return len(due)


@shared_task
def outreach_schedule_missed() -> int:
    """Beat sweep: follow-ups for solved tickets whose after-commit task was lost."""
    return services.follow_ups_schedule_missed()
