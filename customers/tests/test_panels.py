"""The slot later capabilities fill: a registered provider's panel shows beside the
ticket and on the customer page."""

from __future__ import annotations

import pytest
from django.urls import reverse

from customers.selectors import customer_panel_register, customer_panel_unregister
from tickets.tests.factories import PASSWORD, MessageFactory, TeamFactory, TicketFactory, make_agent


def loyalty_panel(customer, user, *, ticket=None):
    return {"title": "Loyalty", "template": "customers/_panel_facts.html",
            "context": {"facts": [("Balance", f"{customer.pk * 10} points")]}}  # fmt: skip


@pytest.fixture
def registered():
    customer_panel_register(loyalty_panel)
    yield
    customer_panel_unregister(loyalty_panel)


@pytest.mark.django_db
@pytest.mark.usefixtures("registered")
def test_registered_panel_shows_in_sidebar_and_customer_page(client):
    team = TeamFactory()
    make_agent(username="ayse", teams=[team])
    ticket = MessageFactory(ticket=TicketFactory(team=team)).ticket
    client.login(username="ayse", password=PASSWORD)

    expected = f"{ticket.customer_id * 10} points"
    assert expected in client.get(reverse("tickets:detail", args=[ticket.pk])).text
    assert expected in client.get(reverse("customers:detail", args=[ticket.customer_id])).text
