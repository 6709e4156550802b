"""The loyalty provider for the agent's customer sidebar: called directly, and as the
customer page shows it through the panel slot."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from customers.tests.factories import CustomerFactory
from loyalty import services
from loyalty.selectors import loyalty_customer_panel
from loyalty.tests.factories import make_member
from tickets.tests.factories import PASSWORD, TeamFactory, TicketFactory, make_agent

pytestmark = pytest.mark.django_db


@pytest.fixture
def team():
    return TeamFactory(slug="care", name="Care")


@pytest.fixture
def agent(team):
    return make_agent(username="agent", teams=[team]).user


@pytest.fixture
def member(team):
    account = make_member(balance=300)
    TicketFactory(team=team, customer=account.customer)
    return account


def adjust(account, n):
    admin = make_agent(username=f"adm-{n}-{account.pk}", role="admin").user
    for i in range(n):
        services.points_adjust(
            account=account, points=1, reason=f"r{i}", by=admin, idempotency_key=f"adj-{n}-{i}"
        )


def test_the_panel_shows_balance_tier_recent_entries_and_the_goodwill_form(member, agent):
    adjust(member, 7)

    panel = loyalty_customer_panel(member.customer, agent)

    assert panel["template"] == "loyalty/_customer_panel.html"
    assert panel["title"] == "Loyalty"
    context = panel["context"]
    assert (context["balance"], context["tier"], context["is_member"]) == (307, "Bronze", True)
    assert len(context["entries"]) == 5
    assert context["goodwill"]["can_grant"]
    html = render_to_string(panel["template"], {"panel": context})
    assert 'data-testid="loyalty-balance">307<' in html
    assert "Grant goodwill points" in html
    assert "<script" not in html


def test_the_title_is_translated(member, agent):
    with translation.override("de"):
        assert loyalty_customer_panel(member.customer, agent)["title"] == "Treueprogramm"
    with translation.override("tr"):
        assert loyalty_customer_panel(member.customer, agent)["title"] == "Sadakat programı"


def test_a_fixed_number_of_queries_whatever_the_history(member, agent, team):
    other = make_member(balance=10)
    TicketFactory(team=team, customer=other.customer)
    adjust(member, 30)

    def count(account):
        user = get_user_model().objects.get(pk=agent.pk)  # no cached profile
        with CaptureQueriesContext(connection) as queries:
            panel = loyalty_customer_panel(account.customer, user)
            render_to_string(panel["template"], {"panel": panel["context"]})
        return len(queries)

    assert count(member) == count(other)
    assert count(member) <= 6


def test_nothing_for_users_outside_the_workspace(member):
    plain = get_user_model().objects.create_user(username="plain", password="x")
    assert loyalty_customer_panel(member.customer, plain) is None


def test_non_members_get_a_short_note_and_no_form(agent):
    customer = CustomerFactory()
    panel = loyalty_customer_panel(customer, agent)
    assert panel["context"]["is_member"] is False
    html = render_to_string(panel["template"], {"panel": panel["context"]})
    assert "has not joined" in html
    assert "goodwill" not in html.lower().replace("loyalty-customer-panel", "")


def test_no_form_for_an_agent_without_a_ticket_of_this_customer_in_scope(member):
    outsider = make_agent(username="outsider", teams=[TeamFactory(slug="o", name="O")]).user
    panel = loyalty_customer_panel(member.customer, outsider)
    assert panel["context"]["goodwill"]["can_grant"] is False
    html = render_to_string(panel["template"], {"panel": panel["context"]})
    assert "Grant goodwill points" not in html


def test_granting_from_the_sidebar_answers_with_the_sidebar_panel(client, member, agent):
    panel = loyalty_customer_panel(member.customer, agent)
    ticket = panel["context"]["goodwill"]["ticket"]
    client.login(username="agent", password=PASSWORD)

    response = client.post(
        reverse("loyalty:goodwill_grant", args=[ticket.pk]),
        {"points": 25, "reason": "Thanks", "idempotency_key": "side-1", "panel": "customer"},
        HTTP_HX_REQUEST="true",
    )

    assert response.status_code == 200
    assert 'data-testid="loyalty-customer-panel"' in response.text
    assert "25 points granted." in response.text
    assert 'data-testid="loyalty-balance">325<' in response.text


def test_the_customer_page_shows_the_members_balance(client, member, agent):
    client.login(username="agent", password=PASSWORD)

    page = client.get(reverse("customers:detail", args=[member.customer.pk])).text

    assert 'data-testid="loyalty-balance">300<' in page
    assert "has not joined" not in page


def test_beside_a_ticket_a_members_panel_is_one_statement(member, agent, team):
    from loyalty.models import GoodwillRequest
    from loyalty.selectors import loyalty_ticket_panel

    adjust(member, 30)
    ticket = TicketFactory(team=team, customer=member.customer)
    GoodwillRequest.objects.create(
        account=member, ticket=ticket, points=40, reason="Kettle <broke> twice",
        idempotency_key="gw-1", requested_by=agent,
    )  # fmt: skip
    ticket = type(ticket).objects.select_related("customer").get(pk=ticket.pk)
    with CaptureQueriesContext(connection) as queries:
        panel = loyalty_ticket_panel(ticket=ticket, user=agent)
        html = render_to_string("loyalty/_ticket_panel.html", {"panel": panel, "user": agent})
    assert len(queries) == 1
    assert [entry.reason for entry in panel.summary.entries] == [
        f"r{i}" for i in (29, 28, 27, 26, 25)
    ]
    assert 'data-testid="loyalty-balance">330<' in html
    assert "Kettle &lt;broke&gt; twice" in html
    assert [request.requested_by_id for request in panel.waiting] == [agent.pk]
