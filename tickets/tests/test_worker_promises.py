"""The promise sweep on a real Celery worker: reminded, then overdue (owner and lead
told once each), then broken, and a second run of each step changes nothing. The clock
is moved by moving the promise's due time in the database, which the worker (another
process) sees as it is."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from core.models import AgentProfile, Event
from core.reactions import task_publish
from tickets.models import Notification, Promise, Ticket
from tickets.promises.services import promise_record
from tickets.tasks import promises_sweep
from tickets.tests.factories import TeamFactory, TicketFactory, make_agent
from tickets.tests.test_worker_sla import wait_for


def _told(kind: str) -> list[str]:
    return sorted(Notification.objects.filter(kind=kind)
                  .values_list("recipient__username", flat=True))  # fmt: skip


def _sweep_and_wait(condition) -> None:
    assert task_publish(promises_sweep)
    assert wait_for(condition)


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_the_promise_sweep_reminds_flags_and_breaks_once_on_a_worker(celery_worker_process):
    team = TeamFactory(slug="care", name="Care")
    ali = make_agent(username="ali", teams=[team]).user
    make_agent(username="lena", teams=[team], role=AgentProfile.Role.LEAD, language="de")
    ticket = TicketFactory(team=team, assignee=ali, status=Ticket.Status.OPEN)
    promise = promise_record(ticket=ticket, owner=ali, what="Call back", by=ali,
                             source="manual", dedupe_key="w",
                             due_at=timezone.now() + timedelta(minutes=30))  # fmt: skip

    _sweep_and_wait(lambda: _told("promise.due_soon") == ["ali"])
    _sweep_and_wait(lambda: Event.objects.filter(kind="promise.reminded").count() == 1)

    Promise.objects.filter(pk=promise.pk).update(due_at=timezone.now() - timedelta(minutes=1))
    _sweep_and_wait(lambda: _told("promise.overdue") == ["ali", "lena"])
    _sweep_and_wait(lambda: Promise.objects.get(pk=promise.pk).overdue_at is not None)

    grace = timedelta(minutes=settings.PROMISE_BROKEN_AFTER_MINUTES + 1)
    Promise.objects.filter(pk=promise.pk).update(due_at=timezone.now() - grace)
    _sweep_and_wait(lambda: Promise.objects.get(pk=promise.pk).state == "broken")
    _sweep_and_wait(lambda: True)
    wait_for(lambda: not _active())

    assert Promise.objects.get(pk=promise.pk).broken_reason == "nothing_done"
    assert _told("promise.due_soon") == ["ali"]
    assert _told("promise.overdue") == ["ali", "lena"]
    kinds = list(Event.objects.filter(kind__startswith="promise.").order_by("pk")
                 .values_list("kind", flat=True))  # fmt: skip
    assert kinds == ["promise.recorded", "promise.reminded", "promise.overdue", "promise.broken"]


def _active() -> bool:
    from helpdesk.celery import app

    active = app.control.inspect(timeout=1).active() or {}
    return any(active.values())
