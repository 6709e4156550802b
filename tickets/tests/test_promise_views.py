"""The composer's assistant and recording promises over HTTP: proposals and advice as the
agent types, one click to confirm, a form to record by hand, a logged call, and the tone
statistics of sent replies; malformed, oversized, duplicated and hostile input."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from core.models import Event
from customers.tests.factories import CustomerFactory
from tickets.models import Message, Promise, Ticket, ToneRuleStat
from tickets.tests.factories import PASSWORD, MessageFactory, TeamFactory, TicketFactory, make_agent
from tickets.tone.stats import tone_outcome_record, tone_rule_use

pytestmark = pytest.mark.django_db
# Wednesday 2 December 2026, 09:30 in Berlin.
NOW = datetime(2026, 12, 2, 9, 30, tzinfo=ZoneInfo("Europe/Berlin"))


@pytest.fixture
def team():
    return TeamFactory(slug="care", name="Care", time_zone="Europe/Berlin")


@pytest.fixture
def ali(team):
    return make_agent(username="ali", teams=[team], language="de").user


@pytest.fixture
def agent_client(client, ali):
    client.login(username="ali", password=PASSWORD)
    return client


@pytest.fixture
def ticket(team, ali):
    customer = CustomerFactory(first_name="Jana", language="de")
    ticket = TicketFactory(team=team, customer=customer, status=Ticket.Status.OPEN)
    MessageFactory(ticket=ticket, body_text="Das ist eine Frechheit, ich warte immer noch!!")
    return ticket


def _assist(client, ticket, body, **extra):
    return client.post(reverse("tickets:assist", args=[ticket.pk]),
                       {"body": body, "visibility": "public", **extra})  # fmt: skip


@time_machine.travel(NOW, tick=False)
def test_the_assistant_proposes_the_promise_and_advises_on_tone(agent_client, ticket):
    response = _assist(agent_client, ticket, "Wir rufen Sie morgen um 12 Uhr an.")
    html = response.text
    assert response.status_code == 200
    assert 'value="2026-12-03T12:00"' in html
    assert 'value="Wir rufen Sie an"' in html
    assert "confirm-promise" in html
    # No greeting, no apology to an upset customer; explained in the agent's German.
    assert 'data-rule="no_greeting"' in html
    assert 'data-rule="no_apology"' in html
    assert "Die Antwort beginnt ohne Begrüßung." in html
    assert 'name="tone_seen" value="no_apology" form="composer"' in html


@time_machine.travel(NOW, tick=False)
def test_notes_and_empty_drafts_get_no_advice(agent_client, ticket):
    note = agent_client.post(
        reverse("tickets:assist", args=[ticket.pk]),
        {"body": "Wir rufen morgen an.", "visibility": "internal"},
    )
    assert "proposal" not in note.text
    assert "tone-advice" not in note.text
    assert "tone-advice" not in _assist(agent_client, ticket, "   ").text


@pytest.mark.parametrize("body", ["\x00" * 100, "Wir " * 30_000, "<script>alert(1)</script> "
                                  "wir rufen morgen an", "{{ 7*7 }} morgen"])  # fmt: skip
@time_machine.travel(NOW, tick=False)
def test_hostile_and_oversized_drafts_are_answered_safely(agent_client, ticket, body):
    response = _assist(agent_client, ticket, body, tone_seen=["../../x", "negative"] * 50)
    assert response.status_code == 200
    assert "<script>" not in response.text
    assert 'value="../../x"' not in response.text


def test_another_teams_ticket_is_not_found(agent_client):
    elsewhere = TicketFactory(team=TeamFactory(slug="other", name="Other"))
    assert _assist(agent_client, elsewhere, "Wir rufen an.").status_code == 404
    url = reverse("tickets:promise_add", args=[elsewhere.pk])
    assert agent_client.post(url, {"what": "x"}).status_code == 404
    assert not Promise.objects.exists()


def test_the_assistant_needs_a_post_and_a_signed_in_agent(client, agent_client, ticket):
    url = reverse("tickets:assist", args=[ticket.pk])
    assert agent_client.get(url).status_code == 405
    client.logout()
    assert client.post(url, {"body": "x"}).status_code == 302


def _confirm(client, ticket, **data):
    fields = {"what": "Wir rufen Sie an", "due": "2026-12-03T12:00", "source": "detected",
              "proposal": "0123456789abcdef"} | data  # fmt: skip
    return client.post(reverse("tickets:promise_add", args=[ticket.pk]), fields)


@time_machine.travel(NOW, tick=False)
def test_confirming_a_proposal_twice_records_one_promise_in_the_teams_time(
    agent_client, ticket, ali
):
    first = _confirm(agent_client, ticket)
    second = _confirm(agent_client, ticket)
    assert first.status_code == second.status_code == 200
    promise = Promise.objects.get()
    assert promise.due_at == datetime(2026, 12, 3, 11, 0, tzinfo=ZoneInfo("UTC"))
    assert (promise.owner, promise.source, promise.state) == (ali, "detected", "open")
    assert f'id="promise-{promise.pk}"' in second.text
    assert 'id="proposal-0123456789abcdef-state" hx-swap-oob="true"' in second.text
    # The assistant now shows the proposal as recorded.
    assert "recorded" in _assist(agent_client, ticket, "Wir rufen Sie morgen um 12 Uhr an.").text


@pytest.mark.parametrize(("data", "problem"), [
    ({"due": "tomorrow"}, "due date"), ({"due": ""}, "due date"),
    ({"due": "2026-12-01T12:00"}, "already passed"), ({"due": "9999-12-01T12:00"}, "due date"),
    ({"due": "2026-12-03T12:00+05:00"}, "due date"), ({"what": ""}, "Say what"),
    ({"what": "x" * 300}, "at most"), ({"source": "robot"}, "from the composer"),
    ({"owner": "999999"}, "cannot own"), ({"owner": "abc"}, None),
    ({"source": "manual", "token": "not-a-uuid"}, "expired"),
])  # fmt: skip
@time_machine.travel(NOW, tick=False)
def test_a_bad_promise_is_refused_with_the_reason(agent_client, ticket, data, problem):
    response = _confirm(agent_client, ticket, **data)
    if problem is None:  # a malformed owner id means the agent themself
        assert response.status_code == 200
        return
    assert response.status_code == 422
    assert problem in response.text
    assert not Promise.objects.exists()


@time_machine.travel(NOW, tick=False)
def test_a_hostile_proposal_key_names_no_element(agent_client, ticket):
    response = _confirm(agent_client, ticket, proposal='x" onclick="alert(1)')
    assert response.status_code == 200
    assert "hx-swap-oob" not in response.text


@time_machine.travel(NOW, tick=False)
def test_a_promise_recorded_by_hand_once_per_form_for_a_colleague(agent_client, ticket, team):
    bea = make_agent(username="bea", teams=[team]).user
    token = str(uuid.uuid4())
    for _ in range(2):
        response = _confirm(agent_client, ticket, source="manual", token=token,
                            what="Rückruf wegen Ersatzteil", owner=str(bea.pk))  # fmt: skip
        assert response.status_code == 200
    promise = Promise.objects.get()
    assert (promise.owner, promise.source, promise.created_by.username) == (bea, "manual", "ali")


@time_machine.travel(NOW, tick=False)
def test_the_ticket_page_lists_promises_with_their_state(agent_client, ticket):
    _confirm(agent_client, ticket)
    page = agent_client.get(reverse("tickets:detail", args=[ticket.pk])).text
    assert 'id="ticket-promises"' in page
    assert 'data-state="open"' in page
    assert 'id="composer-assist"' in page
    assert 'value="call"' in page


def test_a_logged_call_from_the_composer_keeps_the_promise(agent_client, ticket, ali):
    promise = Promise.objects.create(
        ticket=ticket,
        owner=ali,
        what="Call",
        source="manual",
        due_at=timezone.now() + timedelta(hours=2),
        dedupe_key="c",
    )
    response = agent_client.post(reverse("tickets:reply", args=[ticket.pk]), {
        "body": "Angerufen, Ersatz vereinbart.", "visibility": "call",
        "composer_token": str(uuid.uuid4()),
    }, HTTP_HX_REQUEST="true")  # fmt: skip
    assert response.status_code == 200
    message = Message.objects.filter(ticket=ticket, channel="phone").get()
    assert message.visibility == "internal"
    promise.refresh_from_db()
    assert promise.state == "kept"
    assert 'data-state="kept"' in response.text  # the list is refreshed in place
    assert Event.objects.filter(kind="ticket.call_logged").count() == 1


def test_a_sent_reply_counts_the_advice_that_fired_and_was_taken(agent_client, ticket):
    agent_client.post(reverse("tickets:reply", args=[ticket.pk]), {
        "body": "Hallo Jana,\n\nes tut mir leid. Ihr Ersatz geht heute raus, wie bereits gesagt.",
        "visibility": "public", "composer_token": str(uuid.uuid4()),
        "tone_seen": ["no_greeting", "no_apology", "arguing", "made_up"],
    })  # fmt: skip
    stats = {s.rule: (s.fired, s.applied) for s in ToneRuleStat.objects.all()}
    assert stats == {"no_greeting": (1, 1), "no_apology": (1, 1), "arguing": (1, 0)}


def test_tone_statistics_add_up_per_day_and_read_per_period():
    day = datetime(2026, 12, 2).date()
    for remaining in ([], ["negative"], []):
        tone_outcome_record(language="de", fired=["negative", "nope"], remaining=remaining,
                            day=day)  # fmt: skip
    tone_outcome_record(language="tr", fired=["vague_time"], remaining=[], day=day)
    assert tone_outcome_record(language="xx", fired=["negative"], remaining=[], day=day) == 0
    uses = tone_rule_use(start=day, end=day + timedelta(days=1))
    assert [(u.language, u.rule, u.fired, u.applied) for u in uses] == [
        ("de", "negative", 3, 2),
        ("tr", "vague_time", 1, 1),
    ]
    assert uses[0].applied_rate == pytest.approx(2 / 3)
    assert tone_rule_use(start=day, end=day + timedelta(days=1), language="tr")[0].rule == (
        "vague_time"
    )
    assert tone_rule_use(start=day + timedelta(days=1), end=day + timedelta(days=2)) == []


def test_an_overdue_promise_waits_on_the_leads_approvals_page(client, ticket, ali, team):
    from core.models import AgentProfile
    from tickets.promises.services import promises_sweep

    make_agent(username="lena", teams=[team], role=AgentProfile.Role.LEAD)
    promise = Promise.objects.create(ticket=ticket, owner=ali, what="Rückruf wegen Ersatz",
                                     source="manual", dedupe_key="o",
                                     due_at=timezone.now() + timedelta(minutes=5))  # fmt: skip
    promises_sweep(now=promise.due_at + timedelta(minutes=1))
    client.login(username="lena", password=PASSWORD)
    page = client.get(reverse("tickets:approvals")).text
    assert f'id="approval-promise-{promise.pk}"' in page
    assert "Rückruf wegen Ersatz" in page
    url = reverse("tickets:approval_decide", kwargs={"kind": "promise", "pk": promise.pk,
                                                     "decision": "reject"})  # fmt: skip
    assert client.post(url).status_code == 302
    assert client.post(url).status_code == 302  # twice: told, not an error
    promise.refresh_from_db()
    assert (promise.state, promise.broken_reason) == ("broken", "lead")
    assert (
        f'id="approval-promise-{promise.pk}"' not in client.get(reverse("tickets:approvals")).text
    )
