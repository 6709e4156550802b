"""Survey tasks. Each takes ids, calls one service and is safe to run twice."""

from __future__ import annotations

from celery import shared_task

from core.reactions import task_publish
from surveys import services


@shared_task(acks_late=True)
def survey_schedule_csat(*, ticket_id: int) -> int | None:
    invitation = services.survey_schedule_csat(ticket_id=ticket_id)
    if invitation is not None and invitation.send_after <= invitation.created_at:
        survey_send.delay(invitation_id=invitation.pk)  # no delay configured: send now
    return invitation.pk if invitation else None


@shared_task(acks_late=True)
def survey_schedule_nps(*, order_id: int) -> int | None:
    invitation = services.survey_schedule_nps(order_id=order_id)
    return invitation.pk if invitation else None


@shared_task(acks_late=True)
def survey_send(*, invitation_id: int) -> str:
    return services.survey_send(invitation_id=invitation_id).state


@shared_task
def survey_send_due() -> int:
    """Beat sweep: queue every invitation whose delay has passed."""
    due = services.survey_due_ids()
    for invitation_id in due:
        survey_send.delay(invitation_id=invitation_id)
    return len(due)


@shared_task
def surveys_schedule_missed() -> int:
    """Beat sweep: surveys for solved tickets and delivered orders whose after-commit
    task the broker never took."""
    return services.surveys_schedule_missed()


@shared_task(acks_late=True)
def survey_react(*, response_id: int) -> bool:
    return services.survey_react(response_id=response_id)


@shared_task
def survey_reactions_missed() -> int:
    """Beat sweep: answers whose reactions still wait (their after-commit task was lost)."""
    missed = services.survey_reactions_missed_ids()
    for response_id in missed:
        task_publish(survey_react, response_id=response_id)
    return len(missed)
