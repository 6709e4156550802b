"""The inbox: filters, saved views, keyset pagination, search, unread state, query counts."""

from __future__ import annotations

import html
import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from customers.tests.factories import CustomerFactory
from tickets.models import Ticket, TicketRead
from tickets.tests.factories import PASSWORD, MessageFactory, TeamFactory, TicketFactory, make_agent
from tickets.workflow import ticket_mark_read, ticket_tags_add

pytestmark = pytest.mark.django_db


@pytest.fixture
def team():
    return TeamFactory(slug="returns", name="Returns")


@pytest.fixture
def agent_client(client, team):
    make_agent(username="ayse", teams=[team])
    client.login(username="ayse", password=PASSWORD)
    return client


def _tickets(team, count, **kwargs):
    now = timezone.now()
    tickets = TicketFactory.create_batch(count, team=team, status=Ticket.Status.OPEN, **kwargs)
    for offset, ticket in enumerate(tickets):
        Ticket.objects.filter(pk=ticket.pk).update(last_activity_at=now - timedelta(minutes=offset))
    return tickets


def test_inbox_query_count_is_the_same_for_10_and_50_rows(agent_client, team):
    tickets = _tickets(team, 50)
    ticket_tags_add(tickets=tickets[:30], name="refund", by=None)

    def count(size):
        with CaptureQueriesContext(connection) as queries:
            response = agent_client.get(reverse("tickets:list"), {"size": size})
        assert response.status_code == 200
        assert response.text.count('name="ticket"') == size
        return len(queries)

    assert count(10) == count(50)


def test_keyset_pagination_walks_every_ticket_once(agent_client, team):
    tickets = _tickets(team, 23)
    seen = []
    url = reverse("tickets:list") + "?size=10"
    while url:
        response = agent_client.get(url)
        page = response.context["page"]
        seen += [t.pk for t in page.tickets]
        url = (
            response.context["next_url"] and reverse("tickets:list") + response.context["next_url"]
        )
    expected = [t.pk for t in sorted(tickets, key=lambda t: t.pk)]
    assert sorted(seen) == expected
    assert len(seen) == 23


def test_filters_combine_and_unknown_keys_are_ignored(agent_client, team):
    urgent = TicketFactory(team=team, status=Ticket.Status.OPEN, priority=4, subject="Urgent one")
    TicketFactory(team=team, status=Ticket.Status.OPEN, priority=2, subject="Normal one")
    TicketFactory(team=team, status=Ticket.Status.PENDING, priority=4, subject="Urgent pending")
    ticket_tags_add(tickets=[urgent], name="vip", by=None)

    response = agent_client.get(
        reverse("tickets:list"),
        {
            "status": "open",
            "priority": "4",
            "tag": "vip",
            "sort": "priority; drop table",
            "evil": "1",
        },
    )
    assert [t.subject for t in response.context["page"].tickets] == ["Urgent one"]
    assert response.context["query"].sort == "activity"


def test_builtin_saved_views(agent_client, team):
    from django.contrib.auth import get_user_model

    ayse = get_user_model().objects.get(username="ayse")
    mine = TicketFactory(team=team, status=Ticket.Status.OPEN, assignee=ayse, subject="Mine")
    TicketFactory(team=team, status=Ticket.Status.OPEN, subject="Nobody's")
    TicketFactory(team=team, status=Ticket.Status.ON_HOLD, subject="Held")

    def subjects(view):
        response = agent_client.get(reverse("tickets:list"), {"view": view})
        return {t.subject for t in response.context["page"].tickets}

    assert subjects("mine") == {mine.subject}
    assert subjects("unassigned") == {"Nobody's", "Held"}
    assert subjects("on_hold") == {"Held"}


def test_unread_until_opened_and_again_after_new_activity(agent_client, team):
    ticket = MessageFactory(ticket=TicketFactory(team=team, status=Ticket.Status.OPEN)).ticket
    from django.contrib.auth import get_user_model

    ayse = get_user_model().objects.get(username="ayse")

    def unread():
        response = agent_client.get(reverse("tickets:list"))
        return response.context["page"].tickets[0].is_unread

    assert unread()
    ticket_mark_read(ticket=ticket, user=ayse)
    assert not unread()
    Ticket.objects.filter(pk=ticket.pk).update(
        last_activity_at=timezone.now() + timedelta(seconds=5)
    )
    assert unread()


def test_opening_an_unchanged_ticket_again_writes_nothing_and_new_activity_is_unread_again(
    agent_client, team
):
    ticket = MessageFactory(ticket=TicketFactory(team=team, status=Ticket.Status.OPEN)).ticket
    page, inbox = reverse("tickets:detail", args=[ticket.pk]), reverse("tickets:list")

    def opened() -> list[str]:
        with CaptureQueriesContext(connection) as captured:
            assert agent_client.get(page).status_code == 200
        return [q["sql"] for q in captured if "tickets_ticketread" in q["sql"].split(" FROM ")[0]]

    def unread() -> bool:
        return agent_client.get(inbox).context["page"].tickets[0].is_unread

    assert unread()
    assert len(opened()) == 1  # the first view remembers it
    assert not unread()
    assert opened() == []  # nothing new: nothing written
    seen = TicketRead.objects.get(ticket=ticket).seen_at
    Ticket.objects.filter(pk=ticket.pk).update(last_activity_at=seen + timedelta(microseconds=1))
    assert unread()
    assert len(opened()) == 1
    assert not unread()


def test_full_text_search_is_ranked_and_language_aware(agent_client, team):
    german = CustomerFactory(language="de", first_name="Jürgen")
    turkish = CustomerFactory(language="tr", first_name="Ayşe")
    subject_hit = TicketFactory(
        team=team, status=Ticket.Status.OPEN, subject="Wasserkocher defekt", customer=german
    )
    body_hit = MessageFactory(
        ticket=TicketFactory(
            team=team, status=Ticket.Status.OPEN, subject="Frage", customer=german
        ),
        body_text="Mein Wasserkocher ist kaputt",
    ).ticket
    MessageFactory(
        ticket=TicketFactory(
            team=team, status=Ticket.Status.OPEN, subject="Kargo", customer=turkish
        ),
        body_text="Siparişlerim gelmedi",
    )
    TicketFactory(team=team, status=Ticket.Status.OPEN, subject="Unrelated")

    found = (
        agent_client.get(reverse("tickets:list"), {"q": "Wasserkochers"}).context["page"].tickets
    )
    assert [t.pk for t in found] == [subject_hit.pk, body_hit.pk]  # subject outranks body
    turkish_found = (
        agent_client.get(reverse("tickets:list"), {"q": "siparişler"}).context["page"].tickets
    )
    assert [t.subject for t in turkish_found] == ["Kargo"]
    by_name = agent_client.get(reverse("tickets:list"), {"q": "Jürgen"}).context["page"].tickets
    assert len(by_name) == 2


def test_bulk_actions_assign_set_status_tag_and_merge(agent_client, team):
    from django.contrib.auth import get_user_model

    ayse = get_user_model().objects.get(username="ayse")
    first, second, third = TicketFactory.create_batch(3, team=team, status=Ticket.Status.OPEN)
    MessageFactory(ticket=second)
    url = reverse("tickets:bulk")
    ids = [first.pk, second.pk, third.pk]

    agent_client.post(url, {"ticket": ids, "action": "assign", "assignee": "me"})
    agent_client.post(url, {"ticket": ids[:2], "action": "status", "status": "pending"})
    agent_client.post(url, {"ticket": ids, "action": "tag", "tag": "Recall"})
    response = agent_client.post(
        url, {"ticket": ids[:2], "action": "merge", "back": "/tickets/?view=pending"}
    )

    assert response.url == "/tickets/?view=pending"
    tickets = {t.pk: t for t in Ticket.objects.filter(pk__in=ids)}
    assert {t.assignee_id for t in tickets.values()} == {ayse.pk}
    assert tickets[third.pk].status == Ticket.Status.OPEN
    assert tickets[second.pk].merged_into_id == first.pk
    assert tickets[first.pk].messages.count() == 1
    assert all(t.tags.filter(name="recall").exists() for t in tickets.values())


def test_saved_views_keep_only_allowlisted_filters_and_belong_to_their_agent(agent_client, team):
    from tickets.models import SavedView

    response = agent_client.post(reverse("tickets:view_save"), {
        "name": "Urgent returns", "params": f"?team={team.pk}&priority=4&evil=1&sort=bogus",
    })  # fmt: skip
    view = SavedView.objects.get(name="Urgent returns")
    assert view.query == f"view=all_open&priority=4&team={team.pk}"
    assert response.url == "/tickets/?" + view.query
    assert "Urgent returns" in agent_client.get(reverse("tickets:list")).text

    make_agent(username="other", teams=[team])
    other = Client()
    other.login(username="other", password=PASSWORD)
    assert other.post(reverse("tickets:view_delete", args=[view.pk])).status_code == 404
    assert agent_client.post(reverse("tickets:view_delete", args=[view.pk])).status_code == 302
    assert not SavedView.objects.exists()


def test_all_tickets_of_one_customer_from_their_page_within_scope(agent_client, team):
    kim = CustomerFactory(first_name="Kim", last_name="<Weber>")
    theirs = [TicketFactory(team=team, customer=kim) for _ in range(3)]
    TicketFactory(team=team)  # someone else's
    TicketFactory(team=TeamFactory(slug="other"), customer=kim)  # Kim's, but not our team

    page = agent_client.get(reverse("customers:detail", args=[kim.pk])).text
    link = re.search(r'href="(/tickets/\?view=none&amp;customer=\d+)"', page).group(1)
    inbox = agent_client.get(html.unescape(link))
    listed = [t.pk for t in inbox.context["page"].tickets]

    assert sorted(listed) == sorted(t.pk for t in theirs)
    assert "Customer: Kim &lt;Weber&gt;" in inbox.text
    assert f'name="customer" value="{kim.pk}"' in inbox.text
    without = agent_client.get(reverse("tickets:list") + inbox.context["without_customer"])
    assert len(without.context["page"].tickets) == 4


def test_the_inbox_tells_when_its_list_has_new_activity(agent_client, team):
    TicketFactory(team=team, subject="Old one")
    page = agent_client.get(reverse("tickets:list"), {"priority": "4"})
    news_url = re.search(r'hx-get="([^"]*/news/[^"]*)"', page.text).group(1)
    quiet = agent_client.get(html.unescape(news_url))

    later = timezone.now() + timedelta(seconds=1)
    urgent = TicketFactory(team=team, priority=Ticket.Priority.URGENT)
    TicketFactory(team=team, priority=Ticket.Priority.LOW)  # not in this list
    TicketFactory(team=TeamFactory(slug="other"), priority=Ticket.Priority.URGENT)  # not ours
    Ticket.objects.filter(pk__gt=urgent.pk - 1).update(last_activity_at=later)
    news = agent_client.get(html.unescape(news_url))

    assert quiet.status_code == 200
    assert quiet.text.strip() == ""
    assert "1 ticket in this list has new activity" in news.text


@pytest.mark.parametrize("since", ["", "yesterday", "2026-13-40T00:00:00", "9" * 100, "\x00"])
def test_the_activity_poll_ignores_a_bad_since(agent_client, team, since):
    TicketFactory(team=team)

    response = agent_client.get(reverse("tickets:news"), {"since": since})

    assert response.status_code == 200
    assert response.text.strip() == ""


def _row(client, ticket, **params):
    page = client.get(reverse("tickets:list"), params).text
    match = re.search(rf'<tr class="[^"]*" data-ticket="{ticket.pk}">.*?</tr>', page, re.S)
    assert match, page
    return match.group(0)


def test_a_kept_row_shows_every_change_and_its_moments_stay_current(agent_client, team):
    """Rows are kept per process by what they show: each change below must show on the
    next load, in the reader's language, and "… minutes ago" must follow the clock."""
    from django.contrib.auth import get_user_model

    from tickets.workflow import ticket_update

    ticket = _tickets(team, 1, subject="Kettle leaks")[0]
    ayse = get_user_model().objects.get(username="ayse")
    first = _row(agent_client, ticket)
    assert "Kettle leaks" in first
    assert "Unassigned" in first
    assert _row(agent_client, ticket) == first  # kept, and the same

    Ticket.objects.filter(pk=ticket.pk).update(subject="Kettle <b>leaks</b> again")
    assert "Kettle &lt;b&gt;leaks&lt;/b&gt; again" in _row(agent_client, ticket)
    ticket.refresh_from_db()
    ticket_update(ticket=ticket, by=ayse, status=Ticket.Status.PENDING, priority=4, assignee=ayse)
    changed = _row(agent_client, ticket, view="none")
    assert "status-pending" in changed
    assert "Ayse" in changed
    assert "Unassigned" not in changed
    ticket_tags_add(tickets=[ticket], name="warranty", by=None)
    assert ">warranty</span>" in _row(agent_client, ticket, view="none")
    ticket.customer.first_name = "Zeynep"
    ticket.customer.save()
    assert "Zeynep" in _row(agent_client, ticket, view="none")
    agent_client.cookies["django_language"] = "de"
    assert ">Wartend<" in _row(agent_client, ticket, view="none")
    del agent_client.cookies["django_language"]

    Ticket.objects.filter(pk=ticket.pk).update(last_activity_at=timezone.now())
    assert "now" in _row(agent_client, ticket, view="none")
    Ticket.objects.filter(pk=ticket.pk).update(
        last_activity_at=timezone.now() - timedelta(minutes=10)
    )
    assert "10\xa0minutes ago" in html.unescape(_row(agent_client, ticket, view="none"))


@pytest.mark.django_db(transaction=True)
def test_the_filters_offer_current_teams_tags_and_agents(agent_client, team):
    """Read once per change: a new tag, a renamed or deactivated agent and a new team
    show in the filters on the next load. (Committed writes: inside a test's transaction
    the configuration is read from the database every time.)"""
    from django.contrib.auth import get_user_model

    _tickets(team, 1)
    options = lambda: agent_client.get(reverse("tickets:list")).text  # noqa: E731
    assert ">warranty</option>" not in options()
    ticket_tags_add(tickets=Ticket.objects.all(), name="warranty", by=None)
    assert ">warranty</option>" in options()
    make_agent(username="mert", teams=[team])
    assert ">Mert</option>" in options()
    mert = get_user_model().objects.get(username="mert")
    mert.first_name = "Mehmet"
    mert.save()
    assert ">Mehmet</option>" in options()
    mert.is_active = False
    mert.save(update_fields=["is_active"])
    assert ">Mehmet</option>" not in options()
    TeamFactory(slug="orders", name="Orders desk")
    assert ">Orders desk</option>" in options()
