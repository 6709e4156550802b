"""The approvals registry: every provider's items on one page, oldest first; the count for
the header; decisions go to the provider that owns the item."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.urls import reverse

from core.models import AgentProfile
from tickets.approvals import (
    Approval,
    ApprovalNotFoundError,
    Decision,
    approval_provider,
    approvals_register,
    approvals_unregister,
    approvals_waiting,
    approvals_waiting_count,
)
from tickets.tests.factories import PASSWORD, TeamFactory, make_agent

pytestmark = pytest.mark.django_db


class ReturnsApprovals:
    """A later kind of approval (a refund above the agent's limit), kept in memory."""

    kind = "refund"

    def __init__(self) -> None:
        self.decided: list[tuple[int, bool]] = []

    def waiting(self, *, user, limit):
        return [
            Approval(kind=self.kind, pk=7, title="Refund of ORD-7", amount="49.99 EUR",
                     reason="Arrived broken", requested_by="Ayse",
                     requested_at=datetime(2026, 1, 2, tzinfo=UTC)),
            Approval(kind=self.kind, pk=3, title="Refund of ORD-3", amount="9.99 EUR",
                     reason="Late", requested_by="Ayse",
                     requested_at=datetime(2026, 1, 1, tzinfo=UTC)),
        ][:limit]  # fmt: skip

    def waiting_count(self, *, user):
        return 2

    def decide(self, *, user, pk, approve):
        if pk not in (3, 7):
            raise ApprovalNotFoundError(pk)
        self.decided.append((pk, approve))
        return Decision(approved=approve, fresh=True, by_me=True, decided_by="Lead",
                        title=f"Refund of ORD-{pk}")  # fmt: skip


@pytest.fixture
def refunds():
    provider = approvals_register(ReturnsApprovals())
    yield provider
    approvals_unregister("refund")


@pytest.fixture
def lead(client):
    user = make_agent(username="lead", role=AgentProfile.Role.LEAD, teams=[TeamFactory()]).user
    client.login(username="lead", password=PASSWORD)
    return user


def test_registering_twice_keeps_one_provider_of_a_kind(refunds):
    again = approvals_register(ReturnsApprovals())
    assert approval_provider("refund") is again
    approvals_register(refunds)


def test_items_of_every_kind_are_listed_oldest_first(refunds, lead):
    titles = [item.title for item in approvals_waiting(user=lead) if item.kind == "refund"]

    assert titles == ["Refund of ORD-3", "Refund of ORD-7"]
    assert approvals_waiting_count(user=lead) == 2


def test_the_page_shows_them_and_a_decision_reaches_their_provider(client, refunds, lead):
    page = client.get(reverse("tickets:approvals")).text
    assert "Refund of ORD-7" in page
    assert "49.99 EUR" in page

    url = reverse("tickets:approval_decide", args=["refund", 7, "reject"])
    response = client.post(url, follow=True)

    assert refunds.decided == [(7, False)]
    assert "Rejected: Refund of ORD-7." in response.text
    assert client.post(reverse("tickets:approval_decide", args=["refund", 8, "approve"])
                       ).status_code == 404  # fmt: skip


def test_an_unregistered_kind_is_gone_from_the_page(client, lead):
    assert approval_provider("refund") is None
    assert client.post("/tickets/approvals/refund/7/approve/").status_code == 404


def test_the_header_counts_for_leads_only(client, refunds, lead):
    page = client.get(reverse("tickets:list")).text
    assert 'id="approvals-count">2</span>' in page

    make_agent(username="agent", teams=[TeamFactory()])
    client.login(username="agent", password=PASSWORD)
    assert 'id="nav-approvals"' not in client.get(reverse("tickets:list")).text
