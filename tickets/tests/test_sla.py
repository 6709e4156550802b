"""SLA clocks as the ticket services move a ticket, with the clock moved by time-machine.

The team works Monday to Friday 09:00–17:00 in Berlin; the default policies apply
(first response 4 h, next response 8 h, resolution 40 h, at risk from 75 %)."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from core.models import AgentProfile, Event
from messaging.models import OutboxMessage
from tickets.models import (
    BusinessCalendar,
    Closure,
    Notification,
    OpeningHours,
    SlaClock,
    SlaPolicy,
    Ticket,
)
from tickets.services import ticket_reply
from tickets.sla import sla_sweep
from tickets.tests.email_helpers import compose, deliver
from tickets.tests.factories import PASSWORD, TeamFactory, make_agent
from tickets.workflow import ticket_update

BERLIN = ZoneInfo("Europe/Berlin")
T = SlaClock.Target
pytestmark = pytest.mark.django_db


def berlin(*args: int) -> datetime:
    return datetime(*args, tzinfo=BERLIN)


@pytest.fixture
def team(sla_policies):
    team = TeamFactory(
        name="Care", slug="care", is_default=True, time_zone="Europe/Berlin", country="DE"
    )
    calendar = BusinessCalendar.objects.create(team=team, subdivision="BY")
    OpeningHours.objects.bulk_create(
        OpeningHours(calendar=calendar, weekday=d, opens=time(9), closes=time(17)) for d in range(5)
    )
    return team


@pytest.fixture
def agent(team):
    return make_agent(username="ali", teams=[team]).user


@pytest.fixture
def lead(team):
    return make_agent(
        username="lena", teams=[team], role=AgentProfile.Role.LEAD, language="de"
    ).user


def write_in(address="kim@example.com", subject="Where is my parcel?", **kw) -> Ticket:
    deliver(compose(sender=address, subject=subject, **kw))
    return Ticket.objects.latest("pk")


def clock(ticket: Ticket, target: str) -> SlaClock:
    return SlaClock.objects.filter(ticket=ticket, target=target).latest("started_at")


def test_a_new_ticket_gets_its_targets_in_business_time_and_the_acknowledgement_says_when(team):
    # Friday 4 December 2026, 16:00: one hour that day, three on Monday → Monday 12:00.
    with time_machine.travel(berlin(2026, 12, 4, 16), tick=False):
        ticket = write_in()
    first = clock(ticket, T.FIRST_RESPONSE)
    assert first.due_at == berlin(2026, 12, 7, 12)
    assert first.at_risk_at == berlin(2026, 12, 7, 11)  # 75 % of four hours
    # Resolution: 40 business hours from Friday 16:00 → Friday 11 December 16:00.
    assert clock(ticket, T.RESOLUTION).due_at == berlin(2026, 12, 11, 16)
    ticket.refresh_from_db()
    assert ticket.sla_due == first.due_at
    assert ticket.sla_at_risk_at == first.at_risk_at
    ack = OutboxMessage.objects.get(kind="ack", ticket_id=ticket.pk)
    assert "by Monday, 7 Dec 2026, 12:00 (Europe/Berlin time)" in ack.text


def test_the_acknowledgement_reads_the_due_time_in_the_customer_language(team):
    with time_machine.travel(berlin(2026, 12, 4, 16), tick=False):
        ticket = write_in(
            body="Hallo, wo bleibt meine Bestellung? Ich warte seit zwei Wochen "
            "auf das Paket und niemand antwortet mir. Vielen Dank im Voraus."
        )
    assert ticket.customer.language == "de"
    ack = OutboxMessage.objects.get(kind="ack", ticket_id=ticket.pk)
    assert "Montag, 7. Dez 2026, 12:00" in ack.text


def test_a_reply_meets_the_first_response_and_a_customer_message_starts_the_next(team, agent):
    with time_machine.travel(berlin(2026, 12, 7, 9), tick=False):
        ticket = write_in(message_id="<first@example.com>")
    with time_machine.travel(berlin(2026, 12, 7, 10), tick=False):
        reply = ticket_reply(ticket=ticket, by=agent, text="We are on it.")
    first = clock(ticket, T.FIRST_RESPONSE)
    assert first.met is True
    assert first.stopped_at == berlin(2026, 12, 7, 10)
    ticket.refresh_from_db()
    assert ticket.sla_due == clock(ticket, T.RESOLUTION).due_at  # only resolution runs
    with time_machine.travel(berlin(2026, 12, 7, 15), tick=False):
        deliver(
            compose(
                sender="kim@example.com",
                subject="Re: parcel",
                in_reply_to=reply.external_id,
                message_id="<second@example.com>",
            )
        )
    following = clock(ticket, T.NEXT_RESPONSE)
    # Eight business hours from Monday 15:00: two that day, six on Tuesday → 15:00.
    assert following.due_at == berlin(2026, 12, 8, 15)
    ticket.refresh_from_db()
    assert ticket.sla_due == following.due_at


def test_a_late_reply_is_recorded_as_breached(team, agent):
    with time_machine.travel(berlin(2026, 12, 7, 9), tick=False):
        ticket = write_in()
    with time_machine.travel(berlin(2026, 12, 7, 14), tick=False):
        ticket_reply(ticket=ticket, by=agent, text="Sorry for the wait.")
    first = clock(ticket, T.FIRST_RESPONSE)
    assert first.met is False
    assert first.breached_at == berlin(2026, 12, 7, 13)
    assert Event.objects.filter(ticket_id=ticket.pk, kind="sla.breached").count() == 1


def test_pending_pauses_and_the_due_time_moves_by_the_paused_business_time(team, agent):
    with time_machine.travel(berlin(2026, 12, 7, 9), tick=False):
        ticket = write_in()
    resolution = clock(ticket, T.RESOLUTION)
    due_before = resolution.due_at
    with time_machine.travel(berlin(2026, 12, 7, 10), tick=False):
        ticket_update(ticket=ticket, by=agent, status=Ticket.Status.PENDING)
    ticket.refresh_from_db()
    assert ticket.sla_due is None  # nothing runs while the customer has the ball
    # Paused from Monday 10:00 to Tuesday 11:00: 7 + 2 = 9 business hours.
    with time_machine.travel(berlin(2026, 12, 8, 11), tick=False):
        ticket_update(ticket=ticket, by=agent, status=Ticket.Status.OPEN)
    resolution.refresh_from_db()
    assert resolution.paused_seconds == 9 * 3600
    from tickets.sla import business_clock

    assert business_clock(team=team).between(due_before, resolution.due_at) == timedelta(hours=9)


def test_a_policy_without_pausing_keeps_the_clock_running(team, agent):
    SlaPolicy.objects.filter(team=None, priority=None).update(pause_when_pending=False)
    with time_machine.travel(berlin(2026, 12, 7, 9), tick=False):
        ticket = write_in()
        ticket_update(ticket=ticket, by=agent, status=Ticket.Status.PENDING)
    ticket.refresh_from_db()
    assert ticket.sla_due == clock(ticket, T.FIRST_RESPONSE).due_at


def test_solving_stops_every_clock_and_a_customer_reply_starts_again(team, agent):
    with time_machine.travel(berlin(2026, 12, 7, 9), tick=False):
        ticket = write_in()
        reply = ticket_reply(ticket=ticket, by=agent, text="Done.")
        ticket_update(ticket=ticket, by=agent, status=Ticket.Status.SOLVED)
    assert not SlaClock.objects.filter(ticket=ticket, stopped_at=None).exists()
    ticket.refresh_from_db()
    assert ticket.sla_due is None
    with time_machine.travel(berlin(2026, 12, 8, 9), tick=False):
        deliver(
            compose(
                sender="kim@example.com",
                subject="Re: it broke again",
                in_reply_to=reply.external_id,
            )
        )
    ticket.refresh_from_db()
    assert ticket.status == Ticket.Status.OPEN
    running = set(
        SlaClock.objects.filter(ticket=ticket, stopped_at=None).values_list("target", flat=True)
    )
    assert running == {T.NEXT_RESPONSE, T.RESOLUTION}


def test_a_higher_priority_brings_its_shorter_targets(team, agent):
    with time_machine.travel(berlin(2026, 12, 7, 9), tick=False):
        ticket = write_in()
        ticket_update(ticket=ticket, by=agent, priority=Ticket.Priority.URGENT)
    assert clock(ticket, T.FIRST_RESPONSE).due_at == berlin(2026, 12, 7, 10)  # one hour
    ticket.refresh_from_db()
    assert ticket.sla_due == berlin(2026, 12, 7, 10)


def test_a_closure_day_moves_the_due_time(team):
    Closure.objects.create(
        calendar=team.calendar,
        first=berlin(2026, 12, 8, 0).date(),
        last=berlin(2026, 12, 8, 0).date(),
        reason="Stocktaking",
    )
    with time_machine.travel(berlin(2026, 12, 7, 15), tick=False):
        ticket = write_in()
    assert clock(ticket, T.FIRST_RESPONSE).due_at == berlin(2026, 12, 9, 11)


def test_the_sweep_tells_assignee_and_lead_once_at_risk_and_once_breached(team, agent, lead):
    with time_machine.travel(berlin(2026, 12, 7, 9), tick=False):
        ticket = write_in()
        ticket_update(ticket=ticket, by=agent, assignee=agent)
    mail.outbox.clear()
    with time_machine.travel(berlin(2026, 12, 7, 11, 59), tick=False):
        assert sla_sweep() == {"at_risk": 0, "breached": 0}
    with time_machine.travel(berlin(2026, 12, 7, 12, 1), tick=False):
        assert sla_sweep() == {"at_risk": 1, "breached": 0}
        assert sla_sweep() == {"at_risk": 0, "breached": 0}
    with time_machine.travel(berlin(2026, 12, 7, 13, 1), tick=False):
        assert sla_sweep() == {"at_risk": 0, "breached": 1}
        assert sla_sweep() == {"at_risk": 0, "breached": 0}
    kinds = sorted(Notification.objects.values_list("recipient__username", "kind"))
    assert kinds == [
        ("ali", "sla.at_risk"),
        ("ali", "sla.breached"),
        ("lena", "sla.at_risk"),
        ("lena", "sla.breached"),
    ]
    emails = OutboxMessage.objects.filter(kind__startswith="notification.").order_by("pk")
    assert emails.count() == 4
    german = emails.get(to="lena@shop.example", kind="notification.sla.breached")
    assert german.language == "de"
    assert "Erste Antwort" in german.subject
    assert f"#{ticket.pk}" in german.subject
    english = emails.get(to="ali@shop.example", kind="notification.sla.at_risk")
    assert english.subject.startswith(f"First response on #{ticket.pk}")
    assert f"/tickets/{ticket.pk}/" in english.text


def test_a_sweep_that_runs_late_sends_only_the_breach(team, agent):
    with time_machine.travel(berlin(2026, 12, 7, 9), tick=False):
        ticket = write_in()
        ticket_update(ticket=ticket, by=agent, assignee=agent)
    with time_machine.travel(berlin(2026, 12, 7, 16), tick=False):
        assert sla_sweep() == {"at_risk": 0, "breached": 1}
    assert list(Notification.objects.values_list("kind", flat=True)) == ["sla.breached"]


def test_the_inbox_sorts_by_due_and_has_at_risk_and_overdue_views(client, team, agent):
    with time_machine.travel(berlin(2026, 12, 7, 9), tick=False):
        write_in(address="a@example.com", subject="Later")
    with time_machine.travel(berlin(2026, 12, 7, 9, 30), tick=False):
        soon = write_in(address="b@example.com", subject="Soon")
        ticket_update(ticket=soon, by=agent, priority=Ticket.Priority.URGENT)  # due 10:30
        none = write_in(address="c@example.com", subject="No target")
        ticket_update(ticket=none, by=agent, status=Ticket.Status.PENDING)
    client.login(username="ali", password=PASSWORD)
    with time_machine.travel(berlin(2026, 12, 7, 10, 20), tick=False):
        rows = client.get(reverse("tickets:list"), {"sort": "due"}).context["page"].tickets
        assert [t.subject for t in rows] == ["Soon", "Later", "No target"]
        page = client.get(reverse("tickets:list"), {"sort": "due", "size": 10})
        assert page.status_code == 200
        at_risk = client.get(reverse("tickets:list"), {"view": "at_risk"}).context["page"]
        assert [t.subject for t in at_risk.tickets] == ["Soon"]
        assert at_risk.query.sort == "due"
        assert b"At risk" in client.get(reverse("tickets:list"), {"view": "at_risk"}).content
    with time_machine.travel(berlin(2026, 12, 7, 13, 30), tick=False):
        overdue = client.get(reverse("tickets:list"), {"view": "breached"}).context["page"]
        assert [t.subject for t in overdue.tickets] == ["Soon", "Later"]


def test_paging_by_due_walks_every_ticket_once_nulls_last(client, team, agent):
    with time_machine.travel(berlin(2026, 12, 7, 9), tick=False):
        for n in range(7):
            ticket = write_in(address=f"p{n}@example.com", subject=f"T{n}")
            if n % 3 == 0:
                ticket_update(ticket=ticket, by=agent, status=Ticket.Status.PENDING)
    client.login(username="ali", password=PASSWORD)
    seen, url, params = [], reverse("tickets:list"), {"sort": "due", "size": 10}
    from django.http import QueryDict

    from tickets.inbox import InboxQuery, inbox_page

    cursor = ""
    for _page in range(10):
        query = InboxQuery.from_querydict(QueryDict(f"sort=due&size=10&after={cursor}"))
        query.size = 2
        page = inbox_page(user=agent, query=query)
        seen += [t.pk for t in page.tickets]
        if not page.next_cursor:
            break
        cursor = page.next_cursor
    assert len(seen) == len(set(seen)) == 7
    dues = [Ticket.objects.get(pk=pk).sla_due for pk in seen]
    assert dues[-3:] == [None, None, None]
    assert None not in dues[:4]
    assert client.get(url, {**params, "after": "not~a~cursor"}).status_code == 200
    assert client.get(url, {**params, "after": "none~abc"}).status_code == 200


def test_notifications_list_and_open_only_ones_own(client, team, agent, lead):
    with time_machine.travel(berlin(2026, 12, 7, 9), tick=False):
        ticket = write_in()
        ticket_update(ticket=ticket, by=agent, assignee=agent)
    with time_machine.travel(berlin(2026, 12, 7, 16), tick=False):
        sla_sweep()
    mine = Notification.objects.get(recipient=agent)
    theirs = Notification.objects.get(recipient=lead)
    client.login(username="ali", password=PASSWORD)
    page = client.get(reverse("tickets:list"))
    assert b'id="notifications-count">1<' in page.content
    listing = client.get(reverse("tickets:notifications"))
    assert f"First response on #{ticket.pk}".encode() in listing.content
    assert client.get(reverse("tickets:notification_open", args=[mine.pk])).status_code == 405
    assert client.post(reverse("tickets:notification_open", args=[theirs.pk])).status_code == 404
    assert client.post(reverse("tickets:notification_open", args=[99999])).status_code == 404
    opened = client.post(reverse("tickets:notification_open", args=[mine.pk]))
    assert opened.status_code == 302
    assert opened.url == reverse("tickets:detail", args=[ticket.pk])
    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert mine.read_at is not None
    assert theirs.read_at is None
    assert (
        client.post(reverse("tickets:notifications_read_all"), {"back": "//evil.example/"}).url
        == "/"
    )
    client.logout()
    assert client.get(reverse("tickets:notifications")).status_code == 302


def test_the_ticket_page_shows_a_clock_per_target(client, team, agent):
    with time_machine.travel(berlin(2026, 12, 7, 9), tick=False):
        ticket = write_in()
    with time_machine.travel(berlin(2026, 12, 7, 10), tick=False):
        ticket_reply(ticket=ticket, by=agent, text="On it.")
        client.login(username="ali", password=PASSWORD)
        html = client.get(reverse("tickets:detail", args=[ticket.pk])).content.decode()
    assert 'data-target="first_response"' in html
    assert "sla-met" in html
    assert 'data-target="resolution"' in html
    assert "sla-running" in html


def test_rebuild_reads_the_clocks_from_a_ticket_loaded_in_bulk(team, agent):
    from tickets.sla import sla_rebuild
    from tickets.tests.factories import MessageFactory, TicketFactory

    with time_machine.travel(berlin(2026, 12, 7, 9), tick=False):
        answered = TicketFactory(team=team, status=Ticket.Status.OPEN)
        waiting = TicketFactory(team=team, status=Ticket.Status.OPEN)
    Ticket.objects.filter(pk=answered.pk).update(first_response_at=berlin(2026, 12, 7, 14))
    with time_machine.travel(berlin(2026, 12, 7, 15), tick=False):
        MessageFactory(ticket=answered, direction="out", author=agent)
    with time_machine.travel(berlin(2026, 12, 7, 16), tick=False):
        MessageFactory(ticket=answered, direction="in")
    with time_machine.travel(berlin(2026, 12, 7, 16, 30), tick=False):
        sla_rebuild(ticket=answered.__class__.objects.get(pk=answered.pk))
        sla_rebuild(ticket=waiting)
        sla_rebuild(ticket=waiting)  # idempotent: the same clocks again
    first = clock(answered, T.FIRST_RESPONSE)
    assert first.met is False  # answered at 14:00, due 13:00
    assert clock(answered, T.NEXT_RESPONSE).due_at == berlin(2026, 12, 8, 16)
    assert SlaClock.objects.filter(ticket=waiting).count() == 2
    assert not Event.objects.filter(kind="sla.breached").exists()  # history, not news
