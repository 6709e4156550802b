"""The CSAT survey travels the real path: solve → worker schedules → beat sweeps →
worker sends through the outbox."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest

from messaging.models import OutboxMessage
from surveys.models import SurveyInvitation, SurveySettings
from surveys.tests.helpers import customer_with_email
from tickets.tests.factories import TicketFactory
from tickets.workflow import ticket_update


def wait_for(condition, timeout: float = 45.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = condition()
        if result:
            return result
        time.sleep(0.25)
    raise AssertionError("condition not met in time")


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_solved_ticket_gets_its_csat_email_through_beat_and_the_worker(celery_beat_process):
    config = SurveySettings.current()
    config.csat_delay = timedelta(seconds=2)
    config.save()
    ticket = TicketFactory(customer=customer_with_email("de", email="kunde@example.com"))

    ticket_update(ticket=ticket, by=None, status="solved")

    invitation = wait_for(lambda: SurveyInvitation.objects.filter(ticket=ticket).first())
    assert invitation.state == SurveyInvitation.State.SCHEDULED  # the delay is not over yet
    sent = wait_for(
        lambda: OutboxMessage.objects.filter(
            kind="survey_csat", to="kunde@example.com", state="sent"
        ).first()
    )
    invitation.refresh_from_db()
    assert invitation.state == SurveyInvitation.State.SENT
    assert sent.language == "de"
    assert "Wie zufrieden sind Sie" in sent.text
    assert celery_beat_process.poll() is None
