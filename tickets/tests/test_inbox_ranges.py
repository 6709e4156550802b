"""Inbox filters by a range of when tickets were created, answered, solved or reopened:
what the dashboards' numbers link to. Malformed or hostile values are dropped."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.urls import reverse

from core.events import event_record
from tickets.models import Ticket
from tickets.tests.factories import TeamFactory, TicketFactory, make_agent

pytestmark = pytest.mark.django_db
T0 = datetime(2026, 11, 16, 9, tzinfo=UTC)


@pytest.fixture
def tickets(client):
    team = TeamFactory()
    client.force_login(make_agent(username="anna", teams=[team]).user)
    rows = [TicketFactory(team=team) for _n in range(4)]
    for n, row in enumerate(rows):
        Ticket.objects.filter(pk=row.pk).update(
            created_at=T0 + timedelta(days=n), first_response_at=T0 + timedelta(days=n, hours=1),
            solved_at=T0 + timedelta(days=n + 1), status="solved",
        )  # fmt: skip
    event_record(kind="ticket.reopened", ticket=rows[2])
    return rows


def listed(client, **params) -> list[int]:
    response = client.get(reverse("tickets:list"), {"view": "none", **params})
    assert response.status_code == 200
    return sorted(t.pk for t in response.context["page"].tickets)


def test_ranges_narrow_the_list(client, tickets):
    day = timedelta(days=1)
    second_and_third = listed(
        client, created_from=(T0 + day).isoformat(), created_to=(T0 + 3 * day).isoformat()
    )
    assert second_and_third == [tickets[1].pk, tickets[2].pk]
    assert listed(client, solved_from=(T0 + 4 * day).isoformat()) == [tickets[3].pk]
    assert listed(client, responded_to=(T0 + timedelta(hours=2)).isoformat()) == [tickets[0].pk]
    assert listed(client, reopened_from=(T0 - day).isoformat()) == [tickets[2].pk]


@pytest.mark.parametrize("value", ["yesterday", "2026-13-45T00:00", "x" * 5000, "' OR 1=1 --", ""])
def test_malformed_ranges_are_dropped(client, tickets, value):
    assert listed(client, created_from=value, solved_to=value) == sorted(t.pk for t in tickets)


def test_the_range_shows_as_a_chip_that_removes_it(client, tickets):
    response = client.get(reverse("tickets:list"), {"view": "none", "created_from": T0.isoformat()})
    html = response.content.decode()
    assert 'id="range-created"' in html
    assert 'name="created_from"' in html  # kept when the filter form is sent again
