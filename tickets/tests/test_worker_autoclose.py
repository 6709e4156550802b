"""The auto-close sweep on a real Celery worker.

Kept in a file that sorts after the email webhook tests: the session-wide worker this
starts would otherwise also consume the inbound tasks those tests process by hand."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from tickets.models import Ticket
from tickets.tasks import tickets_autoclose_solved
from tickets.tests.factories import TicketFactory


@pytest.mark.django_db(transaction=True)
def test_autoclose_runs_on_a_real_worker(celery_worker_process):
    when = timezone.now() - timedelta(hours=settings.TICKET_AUTOCLOSE_AFTER_HOURS + 1)
    quiet = TicketFactory(status=Ticket.Status.SOLVED)
    Ticket.objects.filter(pk=quiet.pk).update(solved_at=when, last_activity_at=when)

    assert tickets_autoclose_solved.delay().get(timeout=60) == 1
    assert tickets_autoclose_solved.delay().get(timeout=60) == 0
    quiet.refresh_from_db()
    assert quiet.status == Ticket.Status.CLOSED
