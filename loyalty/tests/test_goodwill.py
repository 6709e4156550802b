from __future__ import annotations

import pytest
from django.urls import reverse

from core.models import AgentProfile
from loyalty import services
from loyalty.models import GoodwillRequest, LedgerEntry
from loyalty.tests.factories import make_member
from tickets.tests.factories import PASSWORD, TeamFactory, TicketFactory, make_agent

pytestmark = pytest.mark.django_db


@pytest.fixture
def team():
    return TeamFactory(slug="care", name="Care")


@pytest.fixture
def ticket(team):
    account = make_member()
    return TicketFactory(team=team, customer=account.customer)


def grant(agent, ticket, points, key="k", reason="Late delivery"):
    return services.points_goodwill_grant(
        account=ticket.customer.loyalty_account, points=points, reason=reason, by=agent,
        ticket=ticket, idempotency_key=key,
    )  # fmt: skip


def test_an_agent_grants_up_to_the_threshold_at_once_within_a_daily_limit(team, ticket):
    agent = make_agent(username="agent", teams=[team]).user
    rules = services.rules_get()

    result = grant(agent, ticket, rules.goodwill_approval_threshold, key="a")
    assert result.entry.points == rules.goodwill_approval_threshold
    assert grant(agent, ticket, rules.goodwill_approval_threshold, key="a") == result  # replay
    grant(agent, ticket, rules.goodwill_approval_threshold, key="b")
    with pytest.raises(services.GoodwillLimitError):
        grant(agent, ticket, 101, key="c")  # 200 + 200 + 101 > 500
    grant(agent, ticket, 100, key="d")
    assert ticket.customer.loyalty_account.entries.count() == 3


def test_a_grant_above_the_threshold_waits_for_another_lead(team, ticket):
    agent = make_agent(username="agent", teams=[team]).user
    lead = make_agent(username="lead", role=AgentProfile.Role.LEAD, teams=[team]).user
    other_team_lead = make_agent(
        username="far", role=AgentProfile.Role.LEAD, teams=[TeamFactory(slug="x", name="X")]
    ).user

    request = grant(agent, ticket, 1_000).request
    assert request.status == GoodwillRequest.Status.PENDING
    assert not LedgerEntry.objects.exists()
    with pytest.raises(services.GoodwillNotAllowedError):
        services.goodwill_request_decide(request=request, approve=True, by=agent)
    with pytest.raises(services.GoodwillNotAllowedError):
        services.goodwill_request_decide(request=request, approve=True, by=other_team_lead)

    decided = services.goodwill_request_decide(request=request, approve=True, by=lead)
    assert services.goodwill_request_decide(request=request, approve=False, by=lead) == decided
    account = ticket.customer.loyalty_account
    account.refresh_from_db()
    assert (decided.status, account.balance) == ("approved", 1_000)
    # Lead-approved points do not eat into the agent's own daily limit.
    assert grant(agent, ticket, 200, key="after").entry is not None


def test_leads_cannot_approve_their_own_requests(team, ticket):
    lead = make_agent(username="lead", role=AgentProfile.Role.LEAD, teams=[team]).user
    request = grant(lead, ticket, 1_000).request
    with pytest.raises(services.GoodwillNotAllowedError):
        services.goodwill_request_decide(request=request, approve=True, by=lead)


@pytest.mark.parametrize(("points", "reason"), [(0, "x"), (-5, "x"), (10, "   ")])
def test_grants_need_positive_points_and_a_reason(team, ticket, points, reason):
    agent = make_agent(username="agent", teams=[team]).user
    with pytest.raises(services.GoodwillNotAllowedError):
        grant(agent, ticket, points, reason=reason)


def test_the_ticket_page_shows_the_panel_and_grants_from_it(client, team, ticket):
    make_agent(username="agent", teams=[team])
    client.login(username="agent", password=PASSWORD)
    page = client.get(reverse("tickets:detail", args=[ticket.pk]))
    assert "Grant goodwill points" in page.text
    assert "<script>" not in page.text

    url = reverse("loyalty:goodwill_grant", args=[ticket.pk])
    form = {"points": 30, "reason": "Sorry for the wait", "idempotency_key": "form-1"}
    assert client.post(url, form).status_code == 302
    client.post(url, form)  # a double submit books once
    client.post(url, {"points": "lots", "reason": "", "idempotency_key": "form-2"})
    account = ticket.customer.loyalty_account
    account.refresh_from_db()
    assert account.balance == 30
    assert "Sorry for the wait" in client.get(reverse("tickets:detail", args=[ticket.pk])).text


def test_the_lead_approves_from_the_ticket_page(client, team, ticket):
    agent = make_agent(username="agent", teams=[team]).user
    make_agent(username="lead", role=AgentProfile.Role.LEAD, teams=[team])
    request = grant(agent, ticket, 900).request
    client.login(username="lead", password=PASSWORD)
    assert "Approve" in client.get(reverse("tickets:detail", args=[ticket.pk])).text

    client.post(reverse("loyalty:goodwill_decide", args=[request.pk, "approve"]))
    request.refresh_from_db()
    assert request.status == "approved"


def test_agents_outside_the_team_cannot_grant_or_decide(client, team, ticket):
    agent = make_agent(username="agent", teams=[team]).user
    request = grant(agent, ticket, 900).request
    make_agent(username="outsider", teams=[TeamFactory(slug="o", name="O")])
    client.login(username="outsider", password=PASSWORD)

    url = reverse("loyalty:goodwill_grant", args=[ticket.pk])
    form = {"points": 5, "reason": "x", "idempotency_key": "k"}
    assert client.post(url, form).status_code == 404
    decide = reverse("loyalty:goodwill_decide", args=[request.pk, "approve"])
    assert client.post(decide).status_code == 404
    assert not LedgerEntry.objects.exists()


def test_with_htmx_the_panel_comes_back_with_the_outcome(client, team, ticket):
    make_agent(username="agent", teams=[team])
    client.login(username="agent", password=PASSWORD)
    url = reverse("loyalty:goodwill_grant", args=[ticket.pk])

    response = client.post(
        url,
        {"points": 900, "reason": "Broken twice", "idempotency_key": "h"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert 'role="status"' in response.text
    assert "A team lead will approve this grant." in response.text
    assert "<html" not in response.text


def test_a_large_grant_submitted_twice_makes_one_request(team, ticket):
    agent = make_agent(username="agent", teams=[team]).user
    first = grant(agent, ticket, 900, key="same").request
    assert grant(agent, ticket, 900, key="same").request == first
    assert GoodwillRequest.objects.count() == 1
