"""An event whose transaction commits after a later one was folded in is not lost: the
refresh keeps its id as a gap and reads it once it commits (two real transactions)."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, transaction

from core.events import event_record
from core.models import Event
from reports.models import RollupCursor, TicketFact
from reports.rollups import rollups_refresh
from tickets.tests.factories import TeamFactory, TicketFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_slow_transactions_event_is_read_when_it_commits():
    team = TeamFactory()
    slow_ticket, quick_ticket = TicketFactory(team=team), TicketFactory(team=team)
    recorded, release = threading.Event(), threading.Event()

    def slow() -> None:
        try:
            with transaction.atomic():
                event_record(kind="ticket.created", ticket=slow_ticket)  # takes the lower id
                recorded.set()
                release.wait(10)
        finally:
            connection.close()

    thread = threading.Thread(target=slow)
    thread.start()
    assert recorded.wait(10)
    event_record(kind="ticket.created", ticket=quick_ticket)  # a higher id, committed first
    rollups_refresh()
    assert TicketFact.objects.filter(ticket_id=quick_ticket.pk).exists()
    assert not TicketFact.objects.filter(ticket_id=slow_ticket.pk).exists()
    gaps = RollupCursor.objects.get().gaps
    release.set()
    thread.join(10)
    slow_id = Event.objects.get(ticket_id=slow_ticket.pk).pk
    assert str(slow_id) in gaps  # its id was taken, its row not yet visible
    rollups_refresh()
    assert TicketFact.objects.filter(ticket_id=slow_ticket.pk).exists()
    assert str(slow_id) not in RollupCursor.objects.get().gaps
    result = rollups_refresh()  # nothing new: nothing read again
    assert result.events == 0
