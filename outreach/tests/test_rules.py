"""The rules every proactive message follows: quiet hours in the customer's time zone, one
contact-pressure limit with surveys, consents, and the stop link of each kind. Each rule
stops or delays a message, and says why where an agent looks."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.test import Client

from core.models import Event
from customers.models import Consent
from customers.services import consent_record
from messaging.models import OutboxMessage
from messaging.pressure import contact_pressure_until, pressure_window
from outreach import services
from outreach.models import Outreach, OutreachOptOut
from outreach.rules import quiet_until, stop_token, stop_token_read
from surveys import services as surveys
from surveys.models import SurveyInvitation
from tickets.tests.factories import PASSWORD, TeamFactory, make_agent

from .helpers import customer_with_email

pytestmark = pytest.mark.django_db
WEDNESDAY_EVENING = datetime(2026, 12, 2, 18, 30, tzinfo=UTC)  # 21:30 Istanbul, 19:30 Berlin
SUNDAY_NOON = datetime(2026, 12, 6, 12, 0, tzinfo=UTC)


@pytest.fixture
def agent():
    return make_agent(username="ali", teams=[TeamFactory(slug="care")]).user


@pytest.fixture
def quiet(settings):
    settings.OUTREACH_QUIET_HOURS = "20:00-08:00"
    settings.OUTREACH_QUIET_WEEKDAYS = [7]
    settings.OUTREACH_QUIET_HOURS_EXEMPT = []
    return settings


def thank(customer, agent, *, at: datetime) -> Outreach:
    with time_machine.travel(at, tick=False):
        row = services.thank_you_send(customer=customer, by=agent)
        return services.outreach_send(outreach_id=row.pk)


# --- Quiet hours --------------------------------------------------------------------------


def test_a_message_due_in_the_customers_night_waits_for_the_morning(quiet, agent):
    istanbul = customer_with_email("tr", country="TR")
    row = thank(istanbul, agent, at=WEDNESDAY_EVENING)
    assert row.state == Outreach.State.SCHEDULED
    assert row.send_after == datetime(2026, 12, 3, 5, 0, tzinfo=UTC)  # 08:00 in Istanbul
    assert row.details["postponed"]["reason"] == "quiet_hours"
    event = Event.objects.get(kind="outreach.postponed", customer_id=istanbul.pk)
    assert event.data["reason"] == "quiet_hours"
    assert event.data["until"] == "2026-12-03T05:00:00+00:00"
    assert OutboxMessage.objects.count() == 0
    # Not before the morning, then it goes.
    with time_machine.travel(row.send_after - timedelta(minutes=1), tick=False):
        assert services.outreach_send(outreach_id=row.pk).state == Outreach.State.SCHEDULED
    with time_machine.travel(row.send_after, tick=False):
        assert services.outreach_send(outreach_id=row.pk).state == Outreach.State.SENT


def test_the_same_instant_is_evening_in_berlin_and_goes_at_once(quiet, agent):
    berlin = customer_with_email("de")  # no country, no zone: the shop's (Europe/Berlin)
    assert thank(berlin, agent, at=WEDNESDAY_EVENING).state == Outreach.State.SENT


def test_the_customers_own_time_zone_wins_over_the_country(quiet, agent):
    new_york = customer_with_email("en", country="DE", time_zone="America/New_York")
    # 18:30 UTC is 13:30 in New York: the middle of their day.
    assert thank(new_york, agent, at=WEDNESDAY_EVENING).state == Outreach.State.SENT
    late = customer_with_email("en", country="DE", time_zone="America/New_York")
    row = thank(late, agent, at=datetime(2026, 12, 3, 2, 0, tzinfo=UTC))  # 21:00 there
    assert row.send_after == datetime(2026, 12, 3, 13, 0, tzinfo=UTC)  # 08:00 there


def test_sunday_is_quiet_all_day_and_saturday_night_runs_into_monday(quiet):
    customer = customer_with_email("de")
    monday_morning = datetime(2026, 12, 7, 7, 0, tzinfo=UTC)  # 08:00 Berlin
    assert quiet_until(customer=customer, at=SUNDAY_NOON, kind="thank_you") == monday_morning
    saturday_night = datetime(2026, 12, 5, 22, 0, tzinfo=UTC)
    assert quiet_until(customer=customer, at=saturday_night, kind="thank_you") == monday_morning
    assert quiet_until(customer=customer, at=monday_morning, kind="thank_you") is None


def test_incidents_follow_quiet_hours_unless_configured_not_to(quiet):
    customer = customer_with_email("tr", country="TR")
    assert quiet_until(customer=customer, at=WEDNESDAY_EVENING, kind="incident") is not None
    quiet.OUTREACH_QUIET_HOURS_EXEMPT = ["incident"]
    assert quiet_until(customer=customer, at=WEDNESDAY_EVENING, kind="incident") is None
    assert quiet_until(customer=customer, at=WEDNESDAY_EVENING, kind="thank_you") is not None


def test_quiet_hours_off_and_a_window_within_one_day(settings):
    customer = customer_with_email("de")
    settings.OUTREACH_QUIET_HOURS = ""
    settings.OUTREACH_QUIET_WEEKDAYS = []
    assert quiet_until(customer=customer, at=SUNDAY_NOON, kind="thank_you") is None
    settings.OUTREACH_QUIET_HOURS = "12:00-14:00"  # a shop that keeps lunch quiet
    noon = datetime(2026, 12, 2, 11, 30, tzinfo=UTC)  # 12:30 Berlin
    assert quiet_until(customer=customer, at=noon, kind="thank_you") == datetime(
        2026, 12, 2, 13, 0, tzinfo=UTC
    )


# --- Contact pressure ---------------------------------------------------------------------


def with_care_tips(customer):
    from customers.tests.factories import OrderFactory, OrderItemFactory, ProductFactory

    kettle = ProductFactory(name="Kettle", care_tips="Descale it once a month with vinegar.")
    OrderItemFactory(order=OrderFactory(customer=customer), product=kettle)
    return customer


def test_one_unasked_message_per_window_across_kinds(agent):
    customer = with_care_tips(customer_with_email())
    first = thank(customer, agent, at=WEDNESDAY_EVENING)
    assert first.state == Outreach.State.SENT
    # A win-back note due the next day waits for the window to pass since the note.
    next_day = WEDNESDAY_EVENING + timedelta(days=1)
    win_back = Outreach.objects.create(kind="win_back", cause="win_back:test", customer=customer,
                                       send_after=next_day)  # fmt: skip
    with time_machine.travel(WEDNESDAY_EVENING + timedelta(days=1), tick=False):
        row = services.outreach_send(outreach_id=win_back.pk)
    assert row.state == Outreach.State.SCHEDULED
    assert row.send_after == first.sent_at + pressure_window()
    assert row.details["postponed"]["reason"] == "contacted_recently"
    assert Event.objects.filter(kind="outreach.postponed", data__reason="contacted_recently",
                                customer_id=customer.pk).exists()  # fmt: skip


def test_the_window_is_a_setting(settings, agent):
    settings.CONTACT_PRESSURE_DAYS = 7
    customer = customer_with_email()
    first = thank(customer, agent, at=WEDNESDAY_EVENING)
    assert contact_pressure_until(customer_id=customer.pk, now=WEDNESDAY_EVENING) == (
        first.sent_at + timedelta(days=7)
    )
    later = WEDNESDAY_EVENING + timedelta(days=7, seconds=1)
    assert contact_pressure_until(customer_id=customer.pk, now=later) is None


def test_incidents_are_exempt_both_ways(agent):
    from outreach.models import Incident

    customer = customer_with_email()
    thank(customer, agent, at=WEDNESDAY_EVENING)
    incident = Incident.objects.create(title="Kettle lids", message="They crack.",
                                       state=Incident.State.NOTIFIED)  # fmt: skip
    notice = Outreach.objects.create(kind="incident", cause="incident:x:1", customer=customer,
                                     incident=incident, send_after=WEDNESDAY_EVENING)  # fmt: skip
    next_day = WEDNESDAY_EVENING + timedelta(days=1)
    with time_machine.travel(next_day, tick=False):
        # Heard from us yesterday, and still told of the incident today.
        assert services.outreach_send(outreach_id=notice.pk).state == Outreach.State.SENT
    # The notice does not count against the limit: only the thank-you holds others back.
    until = contact_pressure_until(customer_id=customer.pk, now=next_day)
    assert until == Outreach.objects.get(kind="thank_you").sent_at + pressure_window()


def test_a_survey_waits_for_the_window_after_an_outreach_message(agent):
    from surveys.tests.helpers import solved_ticket

    customer = customer_with_email()
    sent = thank(customer, agent, at=WEDNESDAY_EVENING)
    invitation = surveys.survey_schedule_csat(ticket_id=solved_ticket(customer).pk)
    with time_machine.travel(WEDNESDAY_EVENING + timedelta(days=1), tick=False):
        invitation = surveys.survey_send(invitation_id=invitation.pk)
    assert invitation.state == SurveyInvitation.State.SCHEDULED
    assert invitation.send_after == sent.sent_at + pressure_window()
    event = Event.objects.get(kind="survey.postponed", customer_id=customer.pk)
    assert event.data["reason"] == "contacted_recently"
    assert not OutboxMessage.objects.filter(kind="survey_csat").exists()
    with time_machine.travel(invitation.send_after + timedelta(seconds=1), tick=False):
        assert surveys.survey_send(invitation_id=invitation.pk).state == SurveyInvitation.State.SENT


# --- Consent ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "purpose", "stopped"),
    [
        ("win_back", Consent.Purpose.MARKETING, True),
        ("back_in_stock", Consent.Purpose.MARKETING, True),
        ("thank_you", Consent.Purpose.MARKETING, True),
        ("shipment_delay", Consent.Purpose.MARKETING, False),
        ("follow_up", Consent.Purpose.MARKETING, False),
        ("incident", Consent.Purpose.MARKETING, False),
        ("shipment_delay", Consent.Purpose.SERVICE_EMAIL, True),
        ("win_back", Consent.Purpose.SERVICE_EMAIL, True),
    ],
)
def test_consents_per_kind(kind, purpose, stopped):
    customer = customer_with_email()
    consent_record(customer=customer, purpose=purpose, granted=False, source="test", by=None)
    assert services._consent_refused(customer, kind) is stopped


def test_withdrawn_marketing_consent_skips_the_win_back_with_the_reason():
    customer = customer_with_email()
    consent_record(customer=customer, purpose=Consent.Purpose.MARKETING, granted=False,
                   source="test", by=None)  # fmt: skip
    row = Outreach.objects.create(kind="win_back", cause="win_back:c", customer=customer,
                                  send_after=WEDNESDAY_EVENING)  # fmt: skip
    with time_machine.travel(WEDNESDAY_EVENING, tick=False):
        assert services.outreach_send(outreach_id=row.pk).skip_reason == "consent"
    assert Event.objects.filter(kind="outreach.skipped", data__reason="consent").exists()


# --- The stop link ------------------------------------------------------------------------


def stop_url(customer, kind="thank_you") -> str:
    return f"/outreach/stop/{stop_token(customer_id=customer.pk, kind=kind)}/"


def test_every_outreach_email_carries_the_link_and_the_one_click_headers(agent):
    customer = customer_with_email()
    row = thank(customer, agent, at=WEDNESDAY_EVENING)
    outbox = OutboxMessage.objects.get(pk=row.outbox_id)
    link = outbox.headers["List-Unsubscribe"].strip("<>")
    assert outbox.headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert link in outbox.text
    assert stop_token_read(link.rstrip("/").rsplit("/", 1)[1]) == (customer.pk, "thank_you")


def test_the_page_asks_first_then_stops_that_kind_only(agent):
    customer = customer_with_email("de")
    browser = Client(enforce_csrf_checks=True)
    page = browser.get(stop_url(customer))
    assert page.status_code == 200
    assert '<html lang="de">' in page.text  # in the customer's language
    assert browser.head(stop_url(customer)).status_code == 200
    assert not OutreachOptOut.objects.exists()  # a link scanner's GET changes nothing
    done = browser.post(stop_url(customer))  # no CSRF token: the signed link is the key
    assert done.status_code == 200
    assert OutreachOptOut.objects.get(customer=customer).kind == "thank_you"
    assert browser.post(stop_url(customer)).status_code == 200  # twice is once
    assert OutreachOptOut.objects.count() == 1
    assert Event.objects.filter(kind="outreach.stopped").count() == 1
    # A later thank-you is skipped with the reason; a win-back is not affected by it.
    row = thank(customer, agent, at=WEDNESDAY_EVENING)
    assert (row.state, row.skip_reason) == (Outreach.State.SKIPPED, "unsubscribed")
    assert Event.objects.filter(kind="outreach.skipped", data__reason="unsubscribed").exists()
    assert not services.opted_out(customer=customer, kind="win_back")


def test_the_mail_clients_one_click_post(client):
    customer = customer_with_email()
    waiting = Outreach.objects.create(kind="win_back", cause="win_back:w", customer=customer,
                                      send_after=WEDNESDAY_EVENING + timedelta(days=9))  # fmt: skip
    answer = Client(enforce_csrf_checks=True).post(
        stop_url(customer, "win_back"), "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )  # fmt: skip
    assert answer.status_code == 200
    assert OutreachOptOut.objects.get().source == "one-click"
    waiting.refresh_from_db()
    assert (waiting.state, waiting.skip_reason) == (Outreach.State.SKIPPED, "unsubscribed")


@pytest.mark.parametrize(
    "token",
    [
        "x",
        "not-a-token",
        "W1sxLCJ0aGFua195b3UiXQ:AAAA",  # a forged signature
        "a" * 5000,  # oversized
        "%00%0d%0a",
        "<img src=x onerror=alert(1)>",
        "' OR 1=1 --",
        "ğüş",
    ],
)
def test_malformed_tampered_and_hostile_links_get_a_clear_page(client, token):
    customer_with_email()
    for method in (client.get, client.post):
        answer = method(f"/outreach/stop/{token}/")
        assert answer.status_code == 404
        assert "This link does not work" in answer.text
    assert not OutreachOptOut.objects.exists()


def test_a_token_for_another_kind_or_customer_cannot_be_made_from_one(settings):
    from django.core import signing

    customer = customer_with_email()
    good = stop_token(customer_id=customer.pk, kind="thank_you")
    flipped = ("B" if good[3] == "A" else "A").join((good[:3], good[4:]))
    assert stop_token_read(flipped) is None
    # Well signed, but not a kind, not an id, or not a pair: refused all the same.
    for value in ([customer.pk, "nope"], [True, "thank_you"], ["1", "thank_you"], {"a": 1},
                  [customer.pk]):  # fmt: skip
        forged = signing.dumps(value, salt="outreach.stop")
        assert stop_token_read(forged) is None, value
    assert (
        Client()
        .get(f"/outreach/stop/{signing.dumps([999999, 'thank_you'], salt='outreach.stop')}/")
        .status_code
        == 404
    )


def test_the_customer_page_shows_what_they_stopped(client, agent):
    customer = customer_with_email()
    from outreach.stop import outreach_stop

    outreach_stop(customer=customer, kind="win_back")
    client.login(username="ali", password=PASSWORD)
    page = client.get(f"/customers/{customer.pk}/").text
    assert "outreach-opt-outs" in page
    assert "Win-back note" in page


def test_the_customers_api_takes_where_the_customer_lives(api_client_for):
    shop = api_client_for(name="shop")
    body = {"email": "ayse@example.com", "country": "tr", "time_zone": "Europe/Istanbul"}
    made = shop.post("/api/v1/customers/", body, format="json", HTTP_IDEMPOTENCY_KEY="c1")
    assert made.status_code == 201
    assert (made.json()["country"], made.json()["time_zone"]) == ("TR", "Europe/Istanbul")
    for i, bad in enumerate([{"country": "TUR"}, {"country": "1"}, {"country": ["TR"]},
                             {"time_zone": "Mars/Olympus"}, {"time_zone": "x" * 500},
                             {"time_zone": "../../etc/passwd"}]):  # fmt: skip
        answer = shop.post("/api/v1/customers/", {**body, **bad}, format="json",
                           HTTP_IDEMPOTENCY_KEY=f"c-bad-{i}")  # fmt: skip
        assert answer.status_code == 400, bad
    # Left out on an update, both stay.
    again = shop.post("/api/v1/customers/", {"email": "ayse@example.com"}, format="json",
                      HTTP_IDEMPOTENCY_KEY="c2")  # fmt: skip
    assert again.json()["time_zone"] == "Europe/Istanbul"
