"""The ticket page: timeline, composer, macros, property changes, attachments."""

from __future__ import annotations

import re

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.models import Event
from customers.tests.factories import (
    ContactIdentityFactory,
    CustomerFactory,
    OrderFactory,
    OrderItemFactory,
)
from messaging.tests.outbox_helpers import outbox_deliver_queued
from tickets import workflow
from tickets.models import Attachment, Macro, Message, Ticket
from tickets.tests.email_helpers import compose, deliver
from tickets.tests.factories import PASSWORD, MessageFactory, TeamFactory, TicketFactory, make_agent
from tickets.timeline import RECENT_MESSAGES

pytestmark = pytest.mark.django_db


@pytest.fixture
def team():
    return TeamFactory(slug="returns", name="Returns")


@pytest.fixture
def agent(team):
    return make_agent(username="ayse", teams=[team]).user


@pytest.fixture
def agent_client(client, agent):
    client.login(username="ayse", password=PASSWORD)
    return client


def _ticket_with_messages(team, count):
    customer = CustomerFactory(first_name="Kim")
    ContactIdentityFactory(customer=customer, address=f"kim{count}@example.com")
    for n in range(3):
        OrderItemFactory(order=OrderFactory(customer=customer, number=f"ORD-{count}-{n}"))
    ticket = TicketFactory(team=team, customer=customer)
    messages = MessageFactory.create_batch(count, ticket=ticket)
    for message in messages[::2]:
        Attachment.objects.create(
            message=message, file=ContentFile(b"x", name="a.txt"), filename="a.txt",
            content_type="text/plain", size=1, sha256="0" * 64,
        )  # fmt: skip
    Event.objects.create(
        kind="ticket.priority_changed", ticket_id=ticket.pk, data={"from": 2, "to": 3}
    )
    return ticket


def test_ticket_page_query_count_is_the_same_for_5_and_50_messages(agent_client, team):
    def count(n):
        ticket = _ticket_with_messages(team, n)
        with CaptureQueriesContext(connection) as queries:
            response = agent_client.get(reverse("tickets:detail", args=[ticket.pk]))
        assert response.status_code == 200
        assert response.text.count('class="message ') == n
        return len(queries)

    assert count(5) == count(50)


@pytest.mark.parametrize("page", ["ticket", "inbox"])
def test_a_page_looks_at_the_configuration_version_once(agent_client, team, page):
    """Teams, agents, macros, SLA policies and the agent's own teams are configuration:
    one read of its shared version for all of them, however many lists a page shows."""
    from unittest import mock

    from django.core.cache import cache

    from core.config_cache import VERSION_KEY

    ticket = _ticket_with_messages(team, 3)
    url = reverse("tickets:detail", args=[ticket.pk]) if page == "ticket" else reverse(
        "tickets:list"
    )  # fmt: skip
    agent_client.get(url)
    with mock.patch.object(cache, "get", wraps=cache.get) as get:
        assert agent_client.get(url).status_code == 200
    assert [call.args[0] for call in get.call_args_list].count(VERSION_KEY) == 1


def test_a_huge_ticket_opens_on_its_latest_messages_with_the_rest_one_click_away(
    agent_client, team
):
    ticket = _ticket_with_messages(team, RECENT_MESSAGES + 5)
    first = ticket.messages.order_by("created_at", "id").first()
    with CaptureQueriesContext(connection) as queries:
        page = agent_client.get(reverse("tickets:detail", args=[ticket.pk])).text
    everything = agent_client.get(reverse("tickets:timeline", args=[ticket.pk]), {"all": "1"})

    assert page.count('class="message ') == RECENT_MESSAGES
    assert f'id="message-{first.pk}"' not in page
    assert "Show earlier messages" in page
    assert everything.text.count('class="message ') == RECENT_MESSAGES + 5
    assert "Show earlier messages" not in everything.text
    small = _ticket_with_messages(team, 5)
    with CaptureQueriesContext(connection) as small_queries:
        agent_client.get(reverse("tickets:detail", args=[small.pk]))
    assert len(queries) == len(small_queries)


@pytest.mark.parametrize("count", [RECENT_MESSAGES, RECENT_MESSAGES + 1])
def test_a_long_timeline_leaves_out_the_events_of_the_messages_it_leaves_out(
    agent_client, team, count
):
    """Events before the oldest message shown are left out with the older messages, and
    only then: a ticket with exactly as many messages as are shown shows all its events."""
    import time
    from datetime import timedelta

    ticket = TicketFactory(team=team)

    def event(status):
        return Event.objects.create(kind="ticket.status_changed", ticket_id=ticket.pk,
                                    data={"from": "open", "to": status}).created_at  # fmt: skip

    before = event("pending")
    time.sleep(0.05)
    after = event("on_hold")
    # The messages shown lie between the two events; those left out, before both.
    step = (after - before) / (RECENT_MESSAGES + 2)
    hidden = count - RECENT_MESSAGES
    for n, message in enumerate(MessageFactory.create_batch(count, ticket=ticket)):
        at = before - timedelta(minutes=1 + n) if n < hidden else before + step * (n - hidden + 1)
        Message.objects.filter(pk=message.pk).update(created_at=at)

    page = agent_client.get(reverse("tickets:detail", args=[ticket.pk])).text
    everything = agent_client.get(reverse("tickets:timeline", args=[ticket.pk]), {"all": "1"})

    def told(html):
        lines = re.findall(r'<li class="event">.*?· (.*?)</span>', html, re.S)
        return [" ".join(line.split()) for line in lines]

    assert page.count('class="message ') == RECENT_MESSAGES
    pending = "System changed the status: Open → Pending"
    on_hold = "System changed the status: Open → On hold"
    assert told(page) == ([pending, on_hold] if count == RECENT_MESSAGES else [on_hold])
    assert told(everything.text) == [pending, on_hold]


def test_timeline_tells_what_happened_in_words_and_leaves_plumbing_out(client, team):
    make_agent(username="ali", teams=[team])
    client.login(username="ali", password=PASSWORD)
    deliver(compose(sender="Kim Weber <kim@example.com>", subject="Kettle", body="It leaks"))
    ticket = Ticket.objects.get()
    Ticket.objects.filter(pk=ticket.pk).update(team=team)
    client.post(reverse("tickets:reply", args=[ticket.pk]), {"body": "New one on its way"})
    outbox_deliver_queued()
    workflow.ticket_update(ticket=ticket, by=None, status=Ticket.Status.SOLVED)
    reply = ticket.messages.get(direction="out")
    deliver(compose(sender="kim@example.com", body="Still leaks", in_reply_to=reply.external_id))

    page = client.get(reverse("tickets:detail", args=[ticket.pk])).text
    events = [
        " ".join(e.split()) for e in re.findall(r'<li class="event">.*?· (.*?)</span>', page, re.S)
    ]

    assert events == [
        "System sent the automatic acknowledgement",
        "Ali changed the assignee: – → Ali",  # the reply made the ticket Ali's
        "System changed the status: Open → Solved",
        "Kim Weber replied and reopened the ticket",
    ]
    for plumbing in ("message.received", "outbox.queued", "outbox.sent", "ticket.replied"):
        assert plumbing not in page


def test_timeline_tells_public_from_internal_and_folds_in_events(agent_client, team, agent):
    ticket = MessageFactory(ticket=TicketFactory(team=team), body_text="My kettle leaks").ticket
    agent_client.post(reverse("tickets:reply", args=[ticket.pk]),
                      {"body": "Secret plan", "visibility": "internal"})  # fmt: skip
    agent_client.post(reverse("tickets:update", args=[ticket.pk]), {"priority": "4"})
    page = agent_client.get(reverse("tickets:detail", args=[ticket.pk])).text
    assert 'class="message out internal ' in page
    assert 'class="message in public ' in page
    assert "changed the priority: Normal → Urgent" in page
    assert Message.objects.get(body_text="Secret plan").visibility == Message.Visibility.INTERNAL


def test_macro_fills_placeholders_and_unknown_ones_are_refused_before_sending(agent_client, team):
    customer = CustomerFactory(first_name="Kim")
    ContactIdentityFactory(customer=customer, address="kim@example.com")
    OrderFactory(customer=customer, number="ORD-777")
    ticket = MessageFactory(ticket=TicketFactory(team=team, customer=customer)).ticket
    good = Macro.objects.create(
        name="Refund",
        body="Hi {{ customer.first_name }}, order {{ order.number }} — {{agent.name}}",
    )
    bad = Macro.objects.create(name="Broken", body="Hi {{ customer.nickname }}")

    response = agent_client.get(reverse("tickets:macro", args=[ticket.pk]), {"macro": good.pk})
    assert "Hi Kim, order ORD-777 — Ayse" in response.text
    response = agent_client.get(reverse("tickets:macro", args=[ticket.pk]), {"macro": bad.pk})
    assert "Unknown placeholder {{ customer.nickname }}" in response.text

    before = Message.objects.count()
    reply_url = reverse("tickets:reply", args=[ticket.pk])
    response = agent_client.post(reply_url, {"body": "Hi {{ customer.nickname }}"})
    assert response.status_code == 422
    assert "Unknown placeholder" in response.text
    assert Message.objects.count() == before

    response = agent_client.post(reply_url, {"body": "Hi {{ customer.first_name }}"})
    assert response.status_code == 200
    assert Message.objects.filter(ticket=ticket, body_text="Hi Kim").exists()


def test_property_changes_are_audited(agent_client, team, agent):
    ticket = TicketFactory(team=team)
    agent_client.post(reverse("tickets:update", args=[ticket.pk]), {
        "status": "pending", "priority": "3", "team": str(team.pk), "assignee": str(agent.pk),
        "add_tag": "Refund",
    })  # fmt: skip
    ticket.refresh_from_db()
    assert (ticket.status, ticket.priority, ticket.assignee_id) == ("pending", 3, agent.pk)
    assert [t.name for t in ticket.tags.all()] == ["refund"]
    kinds = set(Event.objects.filter(ticket_id=ticket.pk).values_list("kind", flat=True))
    assert {"ticket.status_changed", "ticket.priority_changed", "ticket.assignee_changed",
            "ticket.tag_added"} <= kinds  # fmt: skip


def test_saving_one_property_keeps_what_a_colleague_changed_meanwhile(agent_client, team, agent):
    ticket = TicketFactory(team=team, status=Ticket.Status.OPEN)
    page = agent_client.get(reverse("tickets:detail", args=[ticket.pk])).text
    shown = dict(re.findall(r'name="(was_\w+)" value="([^"]*)"', page))
    colleague = make_agent(username="bert", teams=[team]).user
    workflow.ticket_update(ticket=ticket, by=colleague, status=Ticket.Status.SOLVED)

    # The form still shows "open"; the agent only raised the priority.
    agent_client.post(reverse("tickets:update", args=[ticket.pk]), shown | {
        "status": shown["was_status"], "priority": "3", "team": shown["was_team"],
        "assignee": shown["was_assignee"],
    })  # fmt: skip

    ticket.refresh_from_db()
    assert ticket.status == Ticket.Status.SOLVED
    assert ticket.priority == 3
    assert shown["was_status"] == "open"


def test_attachment_is_a_nosniff_download(agent_client, team):
    message = MessageFactory(ticket=TicketFactory(team=team))
    attachment = Attachment.objects.create(
        message=message, file=ContentFile(b"<script>alert(1)</script>", name="x"),
        filename="evil.html", content_type="text/html", size=25, sha256="0" * 64,
    )  # fmt: skip
    response = agent_client.get(reverse("tickets:attachment", args=[attachment.pk]))
    assert response.status_code == 200
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["Content-Type"] == "application/octet-stream"


def test_formatted_email_opens_in_a_sandboxed_frame_that_runs_nothing(agent_client, team):
    ticket = TicketFactory(team=team)
    plain = MessageFactory(ticket=ticket, body_text="plain only")
    # Sanitised on arrival; were anything to slip through, the frame's CSP still stops it.
    html = '<p style="color:red">Hello</p><script>alert(1)</script>'
    formatted = MessageFactory(ticket=ticket, body_text="Hello", body_html=html)

    page = agent_client.get(reverse("tickets:detail", args=[ticket.pk])).text
    frame = agent_client.get(reverse("tickets:message_html", args=[formatted.pk]))

    assert page.count("<iframe sandbox") == 1
    assert reverse("tickets:message_html", args=[formatted.pk]) in page
    assert reverse("tickets:message_html", args=[plain.pk]) not in page
    assert frame.status_code == 200
    policy = frame["Content-Security-Policy"]
    assert "default-src 'none'" in policy
    assert "sandbox" in policy
    assert "script-src" not in policy
    assert "frame-ancestors 'self'" in policy
    assert frame["X-Frame-Options"] == "SAMEORIGIN"
    assert frame["X-Content-Type-Options"] == "nosniff"
    assert agent_client.get(reverse("tickets:message_html", args=[plain.pk])).status_code == 404


def test_presence_warns_about_another_agent_typing(client, team, agent):
    other = make_agent(username="bert", teams=[team]).user
    ticket = TicketFactory(team=team)
    client.force_login(other)
    client.post(reverse("tickets:presence", args=[ticket.pk]), {"typing": "1"})
    client.force_login(agent)
    response = client.post(reverse("tickets:presence", args=[ticket.pk]), {"typing": "0"})
    assert "Bert is typing a reply" in response.text


def test_next_ticket_follows_the_inbox_order(agent_client, team):
    older = TicketFactory(team=team, status=Ticket.Status.OPEN)
    newer = TicketFactory(team=team, status=Ticket.Status.OPEN)
    response = agent_client.get(reverse("tickets:next", args=[newer.pk]))
    assert response.url == reverse("tickets:detail", args=[older.pk])


def test_next_ticket_walks_the_list_the_agent_came_from(agent_client, team):
    urgent = []
    for _ in range(3):
        urgent.append(TicketFactory(team=team, priority=Ticket.Priority.URGENT))
        TicketFactory(team=team, priority=Ticket.Priority.LOW)  # between them, filtered out
    agent_client.get(reverse("tickets:list"), {"priority": "4", "sort": "created"})

    walked = [urgent[-1].pk]
    while len(walked) < 4:
        response = agent_client.get(reverse("tickets:next", args=[walked[-1]]))
        if response.url == reverse("tickets:list"):
            break
        walked.append(int(response.url.strip("/").split("/")[-1]))

    assert walked == [t.pk for t in reversed(urgent)]  # newest created first, low skipped


def test_a_follow_up_links_back_to_the_closed_ticket(agent_client, team):
    earlier = TicketFactory(team=team, status=Ticket.Status.CLOSED)
    follow_up = TicketFactory(team=team, follow_up_of=earlier)

    page = agent_client.get(reverse("tickets:detail", args=[follow_up.pk])).text

    assert f"Follow-up of ticket #{earlier.pk}, which was closed." in page
    assert f'href="{reverse("tickets:detail", args=[earlier.pk])}"' in page


def test_the_summary_under_the_subject_follows_replies_and_property_changes(agent_client, team):
    ticket = TicketFactory(team=team, status=Ticket.Status.NEW)

    replied = agent_client.post(reverse("tickets:reply", args=[ticket.pk]), {"body": "On it"},
                                HTTP_HX_REQUEST="true")  # fmt: skip
    solved = agent_client.post(reverse("tickets:update", args=[ticket.pk]), {"status": "solved"},
                               HTTP_HX_REQUEST="true")  # fmt: skip

    summary = r'id="ticket-summary" hx-swap-oob="true">.*?class="badge [^"]* status status-(\w+)"'
    assert re.search(summary, replied.text, re.S).group(1) == "open"
    assert re.search(summary, solved.text, re.S).group(1) == "solved"


@pytest.mark.django_db(transaction=True)
def test_the_page_offers_current_teams_agents_and_macros(agent_client, agent, team):
    """Teams, the agents of the ticket's team and the macros are read once per change:
    a change shows on the next load. (Committed writes: inside a test's transaction the
    configuration is read from the database every time.)"""
    ticket = TicketFactory(team=team)

    def page() -> str:  # the ticket's properties and the composer's macros
        text = agent_client.get(reverse("tickets:detail", args=[ticket.pk])).text
        lists = re.findall(r'<select name="(?:team|assignee|macro)".*?</select>', text, re.S)
        return "".join(lists)

    assert ">Mert</option>" not in page()
    other = TeamFactory(slug="orders", name="Orders desk")
    assert ">Orders desk</option>" in page()
    mert = make_agent(username="mert", teams=[other])
    assert ">Mert</option>" not in page()  # not in this ticket's team
    mert.teams.add(team)
    assert ">Mert</option>" in page()
    mert.teams.remove(team)
    assert ">Mert</option>" not in page()
    other.name = "Orders"
    other.save()
    assert ">Orders</option>" in page()
    assert ">Kettle refund</option>" not in page()
    macro = Macro.objects.create(name="Kettle refund", body="Hi", team=team)
    assert ">Kettle refund</option>" in page()
    macro.name = "Kettle refund sent"
    macro.save()
    assert ">Kettle refund sent</option>" in page()
    macro.delete()
    assert ">Kettle refund sent</option>" not in page()
    agent.first_name = "Ayşe"
    agent.save()
    assert ">Ayşe</option>" in page()


def test_macros_come_in_the_customers_language_first_then_any_then_the_others(agent_client, team):
    ticket = TicketFactory(team=team, customer=CustomerFactory(language="de"))
    for name, language in (("b-en", "en"), ("a-any", ""), ("c-de", "de"), ("a-de", "de"),
                           ("a-tr", "tr")):  # fmt: skip
        Macro.objects.create(name=name, body="Hi", language=language, team=team)
    page = agent_client.get(reverse("tickets:detail", args=[ticket.pk])).text
    shown = re.findall(r'<option value="\d+">([abc]-\w+)</option>', page)
    assert shown == ["a-de", "c-de", "a-any", "b-en", "a-tr"]


def test_a_changed_message_shows_changed_on_the_next_load(agent_client, team):
    """Messages' markup is kept per process by everything it shows, so it is never stale."""
    ticket = _ticket_with_messages(team, 2)
    message = ticket.messages.order_by("id").first()
    url = reverse("tickets:detail", args=[ticket.pk])
    assert "Redacted" not in agent_client.get(url).text
    Message.objects.filter(pk=message.pk).update(body_text="Redacted <b>", visibility="internal")
    page = agent_client.get(url).text
    assert "Redacted &lt;b&gt;" in page
    assert f'class="message {message.direction} internal card" id="message-{message.pk}"' in page


@pytest.mark.django_db(transaction=True)  # committed: configuration is read once, then kept
def test_every_statement_of_the_ticket_page_but_the_session_read_is_prepared(agent_client, team):
    """Agents load ticket pages all day, and building and planning the same statements
    cost more than running them: each is prepared once per connection (core.rows)."""
    ticket = _ticket_with_messages(team, 5)
    url = reverse("tickets:detail", args=[ticket.pk])
    agent_client.get(url)  # prepares them
    with CaptureQueriesContext(connection) as queries:
        assert agent_client.get(url).status_code == 200
    plain = [query["sql"] for query in queries if not query["sql"].startswith("EXECUTE ")]
    assert len(plain) == 1, "\n".join(q[:120] for q in plain)
    assert "FROM django_session" in plain[0]
