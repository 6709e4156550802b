"""Property: after any sequence of ticket events, through the product's services and the
incremental refresh, the rollups equal a from-scratch computation from the raw rows."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from messaging.models import Channel
from reports.rollups import rollups_reconcile, rollups_refresh
from surveys.tests.helpers import customer_with_email
from tickets.models import Ticket
from tickets.services import ticket_open, ticket_reply
from tickets.tests.factories import TeamFactory, make_agent
from tickets.workflow import ticket_update

pytestmark = pytest.mark.django_db

START = datetime(2026, 11, 13, 15, 30, tzinfo=UTC)  # a Friday afternoon, before a weekend
STEPS = st.lists(
    st.tuples(
        st.sampled_from(["open", "reply", "solve", "reopen", "move", "assign", "refresh"]),
        st.integers(min_value=0, max_value=5),  # which ticket
        st.integers(min_value=1, max_value=60 * 30),  # minutes later
    ),
    min_size=1,
    max_size=14,
)


@settings(
    max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(steps=STEPS)
def test_incremental_rollups_equal_a_recomputation(steps):
    with transaction.atomic():
        teams = [TeamFactory(), TeamFactory()]
        agents = [make_agent(username=f"p{n}-{teams[0].pk}", teams=teams).user for n in range(2)]
        tickets: list[Ticket] = []
        now = START
        for action, which, minutes in steps:
            now += timedelta(minutes=minutes)
            with time_machine.travel(now, tick=False):
                if action == "open" or not tickets:
                    tickets.append(ticket_open(
                        customer=customer_with_email(), subject="Broken kettle", body_text="Hello",
                        channel=Channel.EMAIL, team=teams[which % 2],
                    ))  # fmt: skip
                    continue
                ticket = Ticket.objects.get(pk=tickets[which % len(tickets)].pk)
                if action == "reply":
                    ticket_reply(ticket=ticket, by=agents[which % 2], text="We are on it.")
                elif action == "solve":
                    ticket_update(ticket=ticket, by=agents[0], status=Ticket.Status.SOLVED)
                elif action == "reopen":
                    ticket_update(ticket=ticket, by=agents[1], status=Ticket.Status.OPEN)
                elif action == "move":
                    ticket_update(ticket=ticket, by=agents[0], team=teams[(which + 1) % 2])
                elif action == "assign":
                    ticket_update(ticket=ticket, by=agents[0], assignee=agents[which % 2])
                # What the reaction does after each commit (and the sweep every minute).
                if action != "refresh" or which % 2:
                    rollups_refresh(now=now)
        with time_machine.travel(now + timedelta(minutes=1), tick=False):
            rollups_refresh()
            result = rollups_reconcile(
                since=START - timedelta(days=1), until=now + timedelta(days=1)
            )
        assert result.equal, result
        transaction.set_rollback(True)
