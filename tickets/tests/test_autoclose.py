"""Solved tickets close themselves after the quiet period, idempotently."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from core.models import Event
from tickets.models import Ticket
from tickets.tests.factories import TicketFactory
from tickets.workflow import tickets_autoclose


def _solved(hours_ago: float) -> Ticket:
    when = timezone.now() - timedelta(hours=hours_ago)
    ticket = TicketFactory(status=Ticket.Status.SOLVED)
    Ticket.objects.filter(pk=ticket.pk).update(solved_at=when, last_activity_at=when)
    return ticket


@pytest.mark.django_db
def test_only_quiet_solved_tickets_close_and_a_second_run_changes_nothing():
    quiet = _solved(100)
    recent = _solved(1)
    reopened = TicketFactory(status=Ticket.Status.OPEN)

    assert tickets_autoclose(quiet_for=timedelta(hours=96)) == 1
    assert tickets_autoclose(quiet_for=timedelta(hours=96)) == 0

    statuses = dict(Ticket.objects.values_list("pk", "status"))
    assert statuses == {quiet.pk: "closed", recent.pk: "solved", reopened.pk: "open"}
    assert Event.objects.filter(ticket_id=quiet.pk, kind="ticket.closed").count() == 1


def test_the_sweep_is_on_the_beat_schedule():
    entry = settings.CELERY_BEAT_SCHEDULE["tickets-autoclose"]
    assert entry["task"] == "tickets.tasks.tickets_autoclose_solved"
