"""The rollups follow committed events on a real worker: the reaction queued after the
commit refreshes them, and with the broker's message lost the beat sweep catches up."""

from __future__ import annotations

import time

import pytest

from core.models import Event
from messaging.models import Channel
from reports.models import Rollup, TicketFact
from surveys.tests.helpers import customer_with_email
from tickets.services import ticket_open
from tickets.tests.factories import TeamFactory, TicketFactory, make_agent
from tickets.workflow import ticket_update

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.worker]


def wait_for(condition, timeout: float = 45.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if result := condition():
            return result
        time.sleep(0.25)
    raise AssertionError("condition not met in time")


def test_a_committed_ticket_reaches_the_rollups_through_the_worker(celery_worker_process):
    team = TeamFactory()
    agent = make_agent(username="anna", teams=[team]).user
    ticket = ticket_open(customer=customer_with_email(), subject="Kettle", body_text="Hello",
                         channel=Channel.EMAIL, team=team)  # fmt: skip
    wait_for(lambda: TicketFact.objects.filter(ticket_id=ticket.pk).exists())
    assert Rollup.objects.get(metric="created", team_id=team.pk).value == 1
    ticket_update(ticket=ticket, by=agent, status="solved", assignee=agent)
    wait_for(lambda: TicketFact.objects.filter(ticket_id=ticket.pk, status="solved").exists())
    solved = wait_for(lambda: Rollup.objects.filter(metric="solved", agent_id=agent.pk).first())
    assert solved.value == 1


def test_the_beat_sweep_catches_up_on_events_no_reaction_was_queued_for(celery_beat_process):
    # A row and its event committed with no reaction on the broker (as when the broker
    # was down at the commit): only the sweep can find it.
    ticket = TicketFactory(team=TeamFactory())
    Event.objects.create(kind="ticket.created", ticket_id=ticket.pk)
    wait_for(lambda: TicketFact.objects.filter(ticket_id=ticket.pk).exists())
    assert Rollup.objects.get(metric="created", team_id=ticket.team_id).value == 1
    assert celery_beat_process.poll() is None
