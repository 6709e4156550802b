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


BATCH = 200


@shared_task(acks_late=True)
def outreach_send_many(*, outreach_ids: list[int]) -> int:
    """Send a batch (an incident reaches thousands at once); each send is idempotent."""
    return sum(services.outreach_send(outreach_id=pk).state == "sent" for pk in outreach_ids)


@shared_task
def outreach_send_due() -> int:
    """Beat sweep: queue every outreach message whose time has come, in batches. A row
    queued twice (by two sweeps) is sent once: the send locks it and checks its state."""
    due = services.outreach_due_ids()
    for start in range(0, len(due), BATCH):
        outreach_send_many.delay(outreach_ids=due[start : start + BATCH])
    return len(due)


@shared_task(acks_late=True)
def back_in_stock_schedule(*, product_id: int) -> int:
    from outreach.stock import back_in_stock_schedule as schedule

    return schedule(product_id=product_id)


@shared_task
def outreach_schedule_missed() -> int:
    """Beat sweep: follow-ups for solved tickets whose after-commit task was lost, and
    new tickets of customers affected by an open incident, tagged and linked."""
    from outreach.incidents import incident_tickets_link
    from outreach.stock import back_in_stock_sweep

    return services.follow_ups_schedule_missed() + incident_tickets_link() + back_in_stock_sweep()


@shared_task
def maintenance_reminders_schedule() -> int:
    """Beat sweep: a maintenance reminder for every delivered order line whose service is
    due; the due ones go out with the next ``outreach_send_due``."""
    from outreach.maintenance import maintenance_reminders_schedule as schedule

    return schedule()


@shared_task
def shipment_delays_sweep() -> int:
    """Beat sweep: parcels past their expected delivery, and promises to write again."""
    from outreach.delays import shipment_delays_sweep as sweep

    return sweep()


@shared_task
def win_back_sweep() -> int:
    """Beat sweep: a batch of win-back notes for customers quiet for a long time."""
    from outreach.winback import win_back_sweep as sweep

    return sweep()
