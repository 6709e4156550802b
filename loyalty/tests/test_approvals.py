"""Goodwill grants above the threshold on the leads' approvals page: who sees them, the
count in the header, approving and rejecting, a double submit, and a request a colleague
decided first."""

from __future__ import annotations

import re
import threading

import pytest
from django.db import connection
from django.urls import reverse

from core.models import AgentProfile
from loyalty import services
from loyalty.approvals import GoodwillApprovals
from loyalty.models import GoodwillRequest, LedgerEntry
from loyalty.tests.factories import make_member
from tickets.approvals import (
    ApprovalNotFoundError,
    approval_providers,
    approvals_waiting,
    approvals_waiting_count,
)
from tickets.tests.factories import PASSWORD, TeamFactory, TicketFactory, make_agent

pytestmark = pytest.mark.django_db

Role = AgentProfile.Role
PAGE = reverse("tickets:approvals")


@pytest.fixture
def team():
    return TeamFactory(slug="care", name="Care")


@pytest.fixture
def people(team):
    other = TeamFactory(slug="orders", name="Orders")
    return {
        "agent": make_agent(username="agent", teams=[team]).user,
        "lead": make_agent(username="lead", role=Role.LEAD, teams=[team]).user,
        "lead2": make_agent(username="lead2", role=Role.LEAD, teams=[team]).user,
        "far": make_agent(username="far", role=Role.LEAD, teams=[other]).user,
        "admin": make_agent(username="admin", role=Role.ADMIN).user,
    }


def _request(by, team, points=1_000, reason="Kettle broke twice", key="k"):
    account = make_member(first_name="Kim", last_name="Weber")
    ticket = TicketFactory(team=team, customer=account.customer, subject="Broken kettle")
    return services.points_goodwill_grant(
        account=account, points=points, reason=reason, by=by, ticket=ticket, idempotency_key=key,
    ).request  # fmt: skip


def _decide_url(request, decision="approve", kind="goodwill"):
    return reverse("tickets:approval_decide", args=[kind, request.pk, decision])


def _signed_in(client, username):
    client.logout()
    client.login(username=username, password=PASSWORD)
    return client


def test_a_lead_of_the_team_sees_the_request_with_everything_to_decide_on(client, team, people):
    request = _request(people["agent"], team)

    page = _signed_in(client, "lead").get(PAGE)

    assert page.status_code == 200
    row = page.text.split(f'id="approval-goodwill-{request.pk}"')[1].split("</tr>")[0]
    assert "Goodwill points for Kim Weber" in row
    assert f'href="/tickets/{request.ticket_id}/"' in row
    assert "Broken kettle" in row
    assert "1000 points" in row
    assert "Kettle broke twice" in row
    assert "Agent" in row  # requested by
    assert "<time datetime=" in row
    assert _decide_url(request, "approve") in row
    assert _decide_url(request, "reject") in row


def test_the_header_counts_what_waits_for_a_lead(client, team, people):
    _request(people["agent"], team, key="a")
    _request(people["agent"], team, key="b")

    page = _signed_in(client, "lead").get(reverse("tickets:list")).text

    assert re.search(r'id="approvals-count">2<', page)
    assert approvals_waiting_count(user=people["lead"]) == 2


def test_agents_see_no_link_and_are_refused_the_page(client, team, people):
    request = _request(people["agent"], team)

    client = _signed_in(client, "agent")
    assert 'id="nav-approvals"' not in client.get(reverse("tickets:list")).text
    assert client.get(PAGE).status_code == 403
    assert client.post(_decide_url(request)).status_code == 403
    assert approvals_waiting_count(user=people["agent"]) is None
    assert approvals_waiting(user=people["agent"]) == []
    assert GoodwillRequest.objects.get().status == "pending"


def test_a_lead_of_another_team_sees_none_of_it_and_cannot_decide(client, team, people):
    request = _request(people["agent"], team)

    client = _signed_in(client, "far")
    page = client.get(PAGE)
    assert page.status_code == 200
    assert 'id="approvals-empty"' in page.text
    assert 'id="nav-approvals"' in page.text
    assert 'id="approvals-count"' not in page.text
    assert client.post(_decide_url(request)).status_code == 404
    assert GoodwillRequest.objects.get().status == "pending"


def test_a_lead_never_sees_nor_decides_their_own_request(client, team, people):
    request = _request(people["lead"], team)

    client = _signed_in(client, "lead")
    assert f"approval-goodwill-{request.pk}" not in client.get(PAGE).text
    assert client.post(_decide_url(request)).status_code == 404
    assert f"approval-goodwill-{request.pk}" in _signed_in(client, "lead2").get(PAGE).text


def test_an_admin_sees_every_teams_requests(client, team, people):
    request = _request(people["agent"], team)

    assert f"approval-goodwill-{request.pk}" in _signed_in(client, "admin").get(PAGE).text


def test_approving_books_the_points_and_the_request_leaves_the_list(client, team, people):
    request = _request(people["agent"], team)
    client = _signed_in(client, "lead")

    response = client.post(_decide_url(request), follow=True)

    assert response.redirect_chain == [(PAGE, 302)]
    assert "Approved: Goodwill points for Kim Weber." in response.text
    assert f"approval-goodwill-{request.pk}" not in response.text
    request.refresh_from_db()
    assert (request.status, request.decided_by) == ("approved", people["lead"])
    assert request.account.entries.get().points == 1_000


def test_rejecting_books_nothing(client, team, people):
    request = _request(people["agent"], team)

    response = _signed_in(client, "lead").post(_decide_url(request, "reject"), follow=True)

    assert "Rejected: Goodwill points for Kim Weber." in response.text
    request.refresh_from_db()
    assert request.status == "rejected"
    assert not LedgerEntry.objects.exists()


def test_a_double_submit_books_once_and_says_so(client, team, people):
    request = _request(people["agent"], team)
    client = _signed_in(client, "lead")

    client.post(_decide_url(request))
    second = client.post(_decide_url(request), follow=True)
    third = client.post(_decide_url(request, "reject"), follow=True)  # a stale page

    assert "You already approved this: Goodwill points for Kim Weber." in second.text
    assert "You already approved this" in third.text
    assert LedgerEntry.objects.count() == 1
    assert GoodwillRequest.objects.get().status == "approved"


def test_a_request_a_colleague_decided_first_is_told_not_redone(client, team, people):
    request = _request(people["agent"], team)
    services.goodwill_request_decide(request=request, approve=False, by=people["lead2"])

    response = _signed_in(client, "lead").post(_decide_url(request), follow=True)

    assert response.status_code == 200
    assert "Lead2 already rejected this: Goodwill points for Kim Weber." in response.text
    request.refresh_from_db()
    assert (request.status, request.decided_by) == ("rejected", people["lead2"])
    assert not LedgerEntry.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_two_leads_deciding_at_the_same_moment_book_once(team):
    agent = make_agent(username="agent", teams=[team]).user
    leads = [make_agent(username=f"lead{n}", role=Role.LEAD, teams=[team]).user for n in (1, 2)]
    request = _request(agent, team)
    outcomes, errors = [], []
    barrier = threading.Barrier(2)

    def decide(lead, approve) -> None:
        try:
            barrier.wait()
            outcomes.append(GoodwillApprovals().decide(user=lead, pk=request.pk, approve=approve))
        except Exception as error:  # pragma: no cover - the assertion shows it
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=decide, args=(lead, n == 0)) for n, lead in enumerate(leads)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert sorted(outcome.fresh for outcome in outcomes) == [False, True]
    assert len({outcome.approved for outcome in outcomes}) == 1  # both tell the same end
    request.refresh_from_db()
    assert LedgerEntry.objects.count() == (1 if request.status == "approved" else 0)


@pytest.mark.parametrize("url", [
    "/tickets/approvals/goodwill/{pk}/maybe/", "/tickets/approvals/goodwill/{pk}/APPROVE/",
    "/tickets/approvals/nosuchkind/{pk}/approve/", "/tickets/approvals/goodwill/0/approve/",
    "/tickets/approvals/goodwill/-1/approve/", "/tickets/approvals/goodwill/%C2%B2/approve/",
    "/tickets/approvals/goodwill/99999999999999999999/approve/",
    "/tickets/approvals/goodwill/9223372036854775807/approve/",
    "/tickets/approvals/goodwill/1%00/approve/", "/tickets/approvals/goodwill/%3Cb%3E/approve/",
])  # fmt: skip
def test_hostile_decision_urls_are_not_found_and_change_nothing(client, team, people, url):
    request = _request(people["agent"], team)

    response = _signed_in(client, "lead").post(url.format(pk=request.pk))

    assert response.status_code == 404
    assert GoodwillRequest.objects.get().status == "pending"


def test_deciding_takes_a_post(client, team, people):
    request = _request(people["agent"], team)

    assert _signed_in(client, "lead").get(_decide_url(request)).status_code == 405
    assert GoodwillRequest.objects.get().status == "pending"


def test_the_provider_refuses_a_missing_request(people):
    with pytest.raises(ApprovalNotFoundError):
        GoodwillApprovals().decide(user=people["lead"], pk=123456, approve=True)


def test_the_count_is_one_query(team, people, django_assert_num_queries):
    for key in "abc":
        _request(people["agent"], team, key=key)
    lead = people["lead"]
    approvals_waiting_count(user=lead)  # the profile and team ids are read once per request

    # One query per provider (goodwill here, overdue promises from tickets): it runs on
    # every page a lead opens.
    with django_assert_num_queries(len(approval_providers())):
        assert approvals_waiting_count(user=lead) == 3
