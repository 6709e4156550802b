"""Promises: recorded once, kept by the owner's reply, call or a solve before the due
time, broken otherwise; the sweeps remind, flag overdue (the leads' approvals page) and
break, each once; the kept rate per agent and team."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import timezone

from core.models import AgentProfile, Event
from tickets.approvals import ApprovalNotFoundError, approval_provider, approvals_waiting
from tickets.models import Notification, Promise, Ticket
from tickets.promises.selectors import promise_due_text, promises_kept_rate
from tickets.promises.services import (
    PromiseError,
    promise_record,
    promises_sweep,
)
from tickets.services import ticket_call_log, ticket_reply
from tickets.tests.factories import TeamFactory, TicketFactory, make_agent
from tickets.workflow import PlaceholderContext, placeholders_fill, ticket_update

pytestmark = pytest.mark.django_db


@pytest.fixture
def team():
    return TeamFactory(slug="care", name="Care")


@pytest.fixture
def ali(team):
    return make_agent(username="ali", teams=[team]).user


@pytest.fixture
def lena(team):
    return make_agent(username="lena", teams=[team], role=AgentProfile.Role.LEAD,
                      language="de").user  # fmt: skip


@pytest.fixture
def ticket(team, ali):
    return TicketFactory(team=team, assignee=ali, status=Ticket.Status.OPEN)


def _promise(ticket, owner, *, in_minutes=120, key="k1", what="Call the customer"):
    return promise_record(ticket=ticket, owner=owner, what=what, by=owner, source="detected",
                          due_at=timezone.now() + timedelta(minutes=in_minutes),
                          dedupe_key=key)  # fmt: skip


def _kinds(ticket):
    return list(Event.objects.filter(ticket_id=ticket.pk, kind__startswith="promise.")
                .order_by("pk").values_list("kind", flat=True))  # fmt: skip


def test_a_promise_is_recorded_once_per_key_with_an_event(ticket, ali):
    first = _promise(ticket, ali)
    again = _promise(ticket, ali)
    assert first.pk == again.pk
    assert Promise.objects.count() == 1
    assert first.state == "open"
    assert first.team_id == ticket.team_id
    assert _kinds(ticket) == ["promise.recorded"]


@pytest.mark.parametrize(("what", "minutes", "problem"), [
    ("", 60, "Say what"), ("   ", 60, "Say what"), ("x" * 256, 60, "at most"),
    ("Call", -1, "already passed"), ("Call", 60 * 24 * 400, "within a year"),
])  # fmt: skip
def test_a_promise_that_cannot_be_kept_is_refused(ticket, ali, what, minutes, problem):
    with pytest.raises(PromiseError, match=problem):
        _promise(ticket, ali, what=what, in_minutes=minutes)
    assert not Promise.objects.exists()


def test_a_public_reply_by_the_owner_before_due_keeps_it(ticket, ali):
    promise = _promise(ticket, ali)
    ticket_reply(ticket=ticket, by=ali, text="Hello, as promised: here is the label.")
    promise.refresh_from_db()
    assert (promise.state, promise.resolved_by_action) == ("kept", "reply")
    assert _kinds(ticket) == ["promise.recorded", "promise.kept"]


def test_a_colleagues_reply_does_not_keep_the_owners_promise(ticket, ali, team):
    bea = make_agent(username="bea", teams=[team]).user
    promise = _promise(ticket, ali)
    ticket_reply(ticket=ticket, by=bea, text="Hello from a colleague.")
    promise.refresh_from_db()
    assert promise.state == "open"


def test_a_logged_call_keeps_it_and_is_on_the_phone_channel(ticket, ali):
    promise = _promise(ticket, ali)
    message = ticket_call_log(ticket=ticket, by=ali, text="Called: replacement agreed.")
    assert (message.channel, message.visibility) == ("phone", "internal")
    promise.refresh_from_db()
    assert (promise.state, promise.resolved_by_action) == ("kept", "call")
    assert Event.objects.filter(kind="ticket.call_logged", ticket_id=ticket.pk).exists()


def test_solving_the_ticket_keeps_every_open_promise(ticket, ali, team):
    bea = make_agent(username="bea", teams=[team]).user
    first, second = _promise(ticket, ali), _promise(ticket, bea, key="k2")
    ticket_update(ticket=ticket, by=bea, status=Ticket.Status.SOLVED)
    assert set(Promise.objects.values_list("state", flat=True)) == {"kept"}
    assert {first.pk, second.pk} == set(Promise.objects.values_list("pk", flat=True))


def test_acting_after_the_due_time_breaks_it_as_late(ticket, ali):
    promise = _promise(ticket, ali, in_minutes=30)
    Promise.objects.filter(pk=promise.pk).update(due_at=timezone.now() - timedelta(minutes=5))
    ticket_reply(ticket=ticket, by=ali, text="Sorry for the delay.")
    promise.refresh_from_db()
    assert (promise.state, promise.broken_reason) == ("broken", "late")
    broken = Event.objects.get(kind="promise.broken", ticket_id=ticket.pk)
    assert broken.data["reason"] == "late"
    assert broken.actor == ali


def test_the_sweeps_remind_flag_overdue_and_break_each_once(ticket, ali, lena, settings):
    settings.PROMISE_REMIND_BEFORE_MINUTES = 60
    settings.PROMISE_BROKEN_AFTER_MINUTES = 120
    promise = _promise(ticket, ali, in_minutes=180)
    due = promise.due_at

    assert promises_sweep(now=due - timedelta(minutes=61)) == {"reminded": 0, "overdue": 0,
                                                                "broken": 0}  # fmt: skip
    assert promises_sweep(now=due - timedelta(minutes=59))["reminded"] == 1
    assert promises_sweep(now=due - timedelta(minutes=30))["reminded"] == 0
    reminders = Notification.objects.filter(kind="promise.due_soon")
    assert [n.recipient for n in reminders] == [ali]

    assert promises_sweep(now=due + timedelta(minutes=1))["overdue"] == 1
    assert promises_sweep(now=due + timedelta(minutes=2))["overdue"] == 0
    told = Notification.objects.filter(kind="promise.overdue")
    assert sorted(n.recipient.username for n in told) == ["ali", "lena"]
    items = approvals_waiting(user=lena)
    assert [(i.kind, i.pk) for i in items] == [("promise", promise.pk)]
    assert approvals_waiting(user=ali) == []  # not a lead

    assert promises_sweep(now=due + timedelta(minutes=119))["broken"] == 0
    assert promises_sweep(now=due + timedelta(minutes=121))["broken"] == 1
    assert promises_sweep(now=due + timedelta(minutes=200)) == {"reminded": 0, "overdue": 0,
                                                                 "broken": 0}  # fmt: skip
    promise.refresh_from_db()
    assert (promise.state, promise.broken_reason) == ("broken", "nothing_done")
    assert _kinds(ticket) == ["promise.recorded", "promise.reminded", "promise.overdue",
                              "promise.broken"]  # fmt: skip
    assert approvals_waiting(user=lena) == []


def test_a_missed_sweep_still_flags_before_it_breaks(ticket, ali, settings):
    promise = _promise(ticket, ali, in_minutes=10)
    promises_sweep(now=promise.due_at + timedelta(days=2))
    promise.refresh_from_db()
    assert promise.state == "broken"
    assert promise.overdue_at is not None


def test_a_lead_decides_an_overdue_promise_once(ticket, ali, lena):
    kept, broken = _promise(ticket, ali, key="a"), _promise(ticket, ali, key="b")
    promises_sweep(now=kept.due_at + timedelta(minutes=1))
    provider = approval_provider("promise")
    with pytest.raises(ApprovalNotFoundError):
        provider.decide(user=ali, pk=kept.pk, approve=True)  # an agent decides nothing
    decision = provider.decide(user=lena, pk=kept.pk, approve=True)
    assert decision.approved
    assert decision.fresh
    assert not provider.decide(user=lena, pk=kept.pk, approve=False).fresh
    assert not provider.decide(user=lena, pk=broken.pk, approve=False).approved
    assert dict(Promise.objects.values_list("dedupe_key", "state")) == {"a": "kept", "b": "broken"}
    assert Promise.objects.get(dedupe_key="b").broken_reason == "lead"


def test_a_promise_not_yet_overdue_is_not_for_a_lead_to_decide(ticket, ali, lena):
    promise = _promise(ticket, ali)
    with pytest.raises(ApprovalNotFoundError):
        approval_provider("promise").decide(user=lena, pk=promise.pk, approve=True)
    with pytest.raises(ApprovalNotFoundError):
        approval_provider("promise").decide(user=lena, pk=10**9, approve=True)


def test_the_kept_rate_per_agent_and_team(ticket, ali, team):
    bea = make_agent(username="bea", teams=[team]).user
    other_team = TeamFactory(slug="sales", name="Sales")
    cem = make_agent(username="cem", teams=[other_team]).user
    sales_ticket = TicketFactory(team=other_team, status=Ticket.Status.OPEN)
    start = timezone.now()
    for n, (owner, on) in enumerate([(ali, ticket), (ali, ticket), (bea, ticket),
                                     (cem, sales_ticket)]):  # fmt: skip
        _promise(on, owner, key=f"r{n}", in_minutes=10 + n)
    ticket_reply(ticket=ticket, by=ali, text="Done.")  # keeps both of Ali's
    promises_sweep(now=start + timedelta(days=1))  # breaks the others
    end = start + timedelta(hours=2)

    per_agent = {r.key: (r.kept, r.broken) for r in promises_kept_rate(start=start, end=end)}
    assert per_agent == {ali.pk: (2, 0), bea.pk: (0, 1), cem.pk: (0, 1)}
    per_team = {r.key: r.rate for r in promises_kept_rate(start=start, end=end, by="team")}
    assert per_team == {team.pk: 2 / 3, other_team.pk: 0.0}
    scoped = promises_kept_rate(start=start, end=end, by="team", user=ali)
    assert [r.key for r in scoped] == [team.pk]
    assert promises_kept_rate(start=end, end=end + timedelta(days=1)) == []
    with pytest.raises(ValueError, match="group by"):
        promises_kept_rate(start=start, end=end, by="customer")


@time_machine.travel(datetime(2026, 12, 2, 9, tzinfo=ZoneInfo("UTC")), tick=False)
def test_macros_fill_the_promise_due_in_the_customers_language(ticket, ali):
    ticket.customer.language = "de"
    ticket.customer.save()
    zone = ZoneInfo(ticket.team.time_zone)
    promise_record(ticket=ticket, owner=ali, what="Rückruf", by=ali, source="manual",
                   due_at=datetime(2027, 3, 4, 12, 0, tzinfo=zone), dedupe_key="m")  # fmt: skip
    context = PlaceholderContext(
        customer_first_name="Jana",
        latest_order_number=None,
        agent_name="Ali",
        promise_due=promise_due_text(ticket=ticket),
    )
    text = placeholders_fill(text="Wir melden uns am {{ promise.due }}.", context=context)
    assert text == "Wir melden uns am Donnerstag, 4. Mär 2027, 12:00."


def test_without_an_open_promise_the_placeholder_is_refused(ticket):
    context = PlaceholderContext(
        customer_first_name="Jana",
        latest_order_number=None,
        agent_name="Ali",
        promise_due=promise_due_text(ticket=ticket),
    )
    with pytest.raises(ValueError, match=r"promise\.due"):
        placeholders_fill(text="By {{ promise.due }}", context=context)


def test_the_reply_that_makes_the_promise_does_not_keep_it(ticket, ali):
    token = uuid.uuid4()
    promise = promise_record(ticket=ticket, owner=ali, what="Call you", by=ali,
                             source="detected", due_at=timezone.now() + timedelta(hours=3),
                             dedupe_key="t", composer_token=token)  # fmt: skip
    ticket_reply(ticket=ticket, by=ali, text="We will call you at 3 pm.", composer_token=token)
    promise.refresh_from_db()
    assert promise.state == "open"
    ticket_reply(ticket=ticket, by=ali, text="As promised, here is the update.")
    promise.refresh_from_db()
    assert promise.state == "kept"


def test_open_promises_follow_a_merged_ticket(ticket, ali, team):
    from tickets.workflow import ticket_merge

    target = TicketFactory(team=team, status=Ticket.Status.OPEN)
    open_one, done = _promise(ticket, ali, key="o"), _promise(ticket, ali, key="d")
    Promise.objects.filter(pk=done.pk).update(state="kept")
    ticket_merge(source=ticket, target=target, by=ali)
    assert Promise.objects.get(pk=open_one.pk).ticket_id == target.pk
    assert Promise.objects.get(pk=done.pk).ticket_id == ticket.pk
