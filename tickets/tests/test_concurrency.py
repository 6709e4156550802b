"""Real threads against PostgreSQL: agents clicking at once never duplicate a reply, and
opposite merges (tickets or customers) and overlapping bulk actions neither deadlock
nor leave two records pointing at each other."""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from core.models import Event
from customers.tests.factories import ContactIdentityFactory, CustomerFactory
from messaging.models import OutboxMessage
from tickets.models import Message, Tag, Ticket, TicketTag
from tickets.tests.factories import PASSWORD, TeamFactory, TicketFactory, make_agent

pytestmark = pytest.mark.django_db(transaction=True)


def _at_once(calls: list[Callable[[Client], object]], *, username: str) -> list[object]:
    """Run each call in its own thread with its own signed-in client, all released at
    the same moment; return what they answered (or raised)."""
    barrier = threading.Barrier(len(calls))
    results: list[object] = []
    lock = threading.Lock()

    def run(call: Callable[[Client], object]) -> None:
        client = Client()
        client.login(username=username, password=PASSWORD)
        try:
            barrier.wait(timeout=30)
            outcome = call(client)
        except Exception as error:
            outcome = error
        finally:
            connection.close()
        with lock:
            results.append(outcome)

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results


def test_ten_submits_of_one_composer_at_once_send_one_email():
    team = TeamFactory(slug="returns")
    make_agent(username="ayse", teams=[team])
    ticket = TicketFactory(team=team)
    ContactIdentityFactory(customer=ticket.customer, address="kim@example.com")
    form = {"body": "A new kettle is on its way.",
            "composer_token": "0b8f7e52-31a4-4c55-9d0e-5d7f0f8a2c61"}  # fmt: skip
    url = reverse("tickets:reply", args=[ticket.pk])

    answers = _at_once([lambda c: c.post(url, form).status_code] * 10, username="ayse")

    assert answers == [200] * 10
    assert Message.objects.filter(ticket=ticket, direction="out").count() == 1
    assert OutboxMessage.objects.filter(ticket_id=ticket.pk).count() == 1


def test_opposite_merges_and_overlapping_bulk_actions_finish_without_deadlock():
    team = TeamFactory(slug="returns")
    make_agent(username="ayse", teams=[team])
    tickets = [TicketFactory(team=team, status=Ticket.Status.OPEN) for _ in range(6)]
    a, b = tickets[0], tickets[1]
    ids = [str(t.pk) for t in tickets]

    def merge(source, target):
        url = reverse("tickets:merge", args=[source.pk])
        return lambda c: c.post(url, {"target": target.pk}).status_code

    def bulk(status, selection):
        form = {"ticket": selection, "action": "status", "status": status}
        return lambda c: c.post(reverse("tickets:bulk"), form).status_code

    answers = _at_once([
        merge(a, b), merge(b, a),
        bulk("pending", ids[2:]), bulk("on_hold", list(reversed(ids[2:]))),
    ], username="ayse")  # fmt: skip

    assert all(answer in (200, 302) for answer in answers), answers
    a.refresh_from_db()
    b.refresh_from_db()
    assert [a.merged_into_id, b.merged_into_id].count(None) == 1  # exactly one merge won
    statuses = set(Ticket.objects.filter(pk__in=ids[2:]).values_list("status", flat=True))
    assert len(statuses) == 1  # one bulk action applied last to all four, none half-way


def test_opposite_customer_merges_at_once_leave_one_customer_standing():
    make_agent(username="ayse")
    kim, kim_again = CustomerFactory(), CustomerFactory()

    def merge(target, duplicate):
        url = reverse("customers:merge", args=[target.pk])
        return lambda c: c.post(url, {"duplicate": duplicate.pk}).status_code

    answers = _at_once([merge(kim, kim_again), merge(kim_again, kim)], username="ayse")

    assert answers == [302, 302]
    kim.refresh_from_db()
    kim_again.refresh_from_db()
    assert [kim.merged_into_id, kim_again.merged_into_id].count(None) == 1


def test_two_agents_tagging_the_same_tickets_at_once_tag_each_once():
    team = TeamFactory(slug="returns")
    make_agent(username="ayse", teams=[team])
    ids = [str(TicketFactory(team=team).pk) for _ in range(5)]
    Tag.objects.create(name="refund")  # known already: nothing else serialises the agents
    form = {"ticket": ids, "action": "tag", "tag": "refund"}

    answers = _at_once([lambda c: c.post(reverse("tickets:bulk"), form).status_code] * 6,
                       username="ayse")  # fmt: skip

    assert answers == [302] * 6
    assert TicketTag.objects.count() == 5
    assert Event.objects.filter(kind="ticket.tag_added").count() == 5
