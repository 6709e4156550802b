"""SLA alerts on the real path: beat runs the sweep every second on a real worker.

The clock is moved the way a worker in another process sees it: the ticket's history is
written in the past (time-machine in this process), so that, in real time, its first
response is at risk, and then its rows are moved back further so that it is overdue."""

from __future__ import annotations

import time
from datetime import time as clock_time
from datetime import timedelta

import pytest
import time_machine
from django.db.models import F
from django.utils import timezone

from core.models import AgentProfile
from tickets.models import BusinessCalendar, Notification, OpeningHours, SlaClock, SlaPolicy, Ticket
from tickets.tests.email_helpers import compose, deliver
from tickets.tests.factories import TeamFactory, make_agent
from tickets.workflow import ticket_update


def wait_for(condition, timeout: float = 45.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if result := condition():
            return result
        time.sleep(0.25)
    raise AssertionError("condition not met in time")


def told(kind: str) -> list[str]:
    return sorted(
        Notification.objects.filter(kind=kind).values_list("recipient__username", flat=True)
    )


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_at_risk_then_breached_once_each_through_beat_and_worker(celery_beat_process):
    team = TeamFactory(name="Care", slug="care", is_default=True)
    calendar = BusinessCalendar.objects.create(team=team)  # open around the clock
    OpeningHours.objects.bulk_create(
        OpeningHours(calendar=calendar, weekday=d, opens=clock_time(0), closes=clock_time(0))
        for d in range(7)
    )
    SlaPolicy.objects.create(team=team, first_response_minutes=60, next_response_minutes=60,
                             resolution_minutes=600, at_risk_percent=75)  # fmt: skip
    agent = make_agent(username="ali", teams=[team]).user
    make_agent(username="lena", teams=[team], role=AgentProfile.Role.LEAD, language="de")
    now = timezone.now()

    with time_machine.travel(now - timedelta(minutes=100), tick=False):
        deliver(compose(sender="kim@example.com", subject="Broken kettle"))
        ticket = Ticket.objects.get()
        ticket_update(ticket=ticket, by=agent, assignee=agent)
    first = SlaClock.objects.get(ticket=ticket, target="first_response")
    assert first.due_at == now - timedelta(minutes=40)
    # Pending for 50 minutes: the due time moves by the 50 paused minutes.
    with time_machine.travel(now - timedelta(minutes=99), tick=False):
        ticket_update(ticket=ticket, by=agent, status=Ticket.Status.PENDING)
    with time_machine.travel(now - timedelta(minutes=49), tick=False):
        ticket_update(ticket=ticket, by=agent, status=Ticket.Status.OPEN)
    first.refresh_from_db()
    assert first.due_at == now + timedelta(minutes=10)  # 45 min used: at risk, not late
    assert first.paused_seconds == 50 * 60

    assert wait_for(lambda: told("sla.at_risk") == ["ali", "lena"])
    assert told("sla.breached") == []

    # Fifteen minutes later: the first response is five minutes overdue.
    SlaClock.objects.filter(ticket=ticket).update(
        started_at=F("started_at") - timedelta(minutes=15),
        due_at=F("due_at") - timedelta(minutes=15),
        at_risk_at=F("at_risk_at") - timedelta(minutes=15),
    )
    assert wait_for(lambda: told("sla.breached") == ["ali", "lena"])
    time.sleep(3)  # three more sweeps tell nobody again
    assert told("sla.at_risk") == ["ali", "lena"]
    assert told("sla.breached") == ["ali", "lena"]
    first.refresh_from_db()
    assert first.breached_at == first.due_at
    assert celery_beat_process.poll() is None
