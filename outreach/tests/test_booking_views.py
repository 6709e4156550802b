"""The customer's booking page behind the signed link, and the agents' day list: every
write is a CSRF-protected POST; bad, expired, foreign and hostile input gets a clear
answer and changes nothing."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import signing
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from outreach.appointments import appointment_book, slot_key
from outreach.maintenance import booking_token
from outreach.models import Appointment, Outreach

from .helpers import sent_reminder, service_team

pytestmark = pytest.mark.django_db
BERLIN = ZoneInfo("Europe/Berlin")
MONDAY = timezone.datetime(2026, 12, 7, 9, 0, tzinfo=BERLIN)
NOW = MONDAY - timedelta(days=5, hours=1)


@pytest.fixture(autouse=True)
def _clock_and_cache():
    cache.clear()
    with time_machine.travel(NOW, tick=False):
        yield


def url(reminder: Outreach) -> str:
    return f"/outreach/book/{booking_token(reminder=reminder)}/"


def test_the_page_offers_the_slots_and_a_get_books_nothing(client):
    service_team()
    reminder = sent_reminder()
    response = client.get(url(reminder))
    assert response.status_code == 200
    body = response.content.decode()
    assert reminder.order_item.product.name in body
    assert f'value="{slot_key(MONDAY)}"' in body
    assert f'value="{slot_key(NOW)}"' not in body
    assert "Times are local times in Europe/Berlin." in body
    assert client.head(url(reminder)).status_code == 200
    assert not Appointment.objects.exists()


def test_booking_then_seeing_moving_and_cancelling_from_the_same_link(client):
    service_team()
    reminder = sent_reminder()
    response = client.post(url(reminder), {"action": "book", "slot": slot_key(MONDAY)})
    assert response.status_code == 302
    assert response["Location"].endswith("?done=booked")
    page = client.get(response["Location"]).content.decode()
    assert "Your appointment is booked." in page
    assert "Monday, 7 Dec 2026, 09:00–10:00 (Europe/Berlin)" in page
    later = MONDAY + timedelta(hours=3)
    assert f'value="{slot_key(later)}"' in client.get(url(reminder) + "?change=1").content.decode()
    response = client.post(url(reminder), {"action": "move", "slot": slot_key(later)})
    assert response.status_code == 302
    assert Appointment.objects.get().starts_at == later
    response = client.post(url(reminder), {"action": "cancel"})
    assert response["Location"].endswith("?done=cancelled")
    assert Appointment.objects.get().state == "cancelled"


def test_a_double_post_books_once(client):
    service_team()
    reminder = sent_reminder()
    for _ in range(2):
        response = client.post(url(reminder), {"action": "book", "slot": slot_key(MONDAY)})
        assert response.status_code == 302
    assert Appointment.objects.count() == 1
    assert Outreach.objects.filter(kind="appointment_booked").count() == 1
    # Another time while booked is not a second booking.
    other_time = slot_key(MONDAY + timedelta(hours=1))
    response = client.post(url(reminder), {"action": "book", "slot": other_time})
    assert response.status_code == 409
    assert Appointment.objects.count() == 1


def test_a_taken_slot_answers_with_the_next_free_ones(client):
    service_team()
    appointment_book(reminder_id=sent_reminder().pk, starts_at=MONDAY)
    response = client.post(url(sent_reminder()), {"action": "book", "slot": slot_key(MONDAY)})
    assert response.status_code == 409
    body = response.content.decode()
    assert "that time was booked by someone else" in body
    for hours in (1, 2, 3):
        assert f'value="{slot_key(MONDAY + timedelta(hours=hours))}"' in body
    assert Appointment.objects.count() == 1


@pytest.mark.parametrize(("data", "status"), [
    ({"action": "book", "slot": "garbage"}, 400),
    ({"action": "book", "slot": "2026-12-07T08:00:00Z"}, 400),
    ({"action": "book", "slot": "20261207T0800Z" * 100}, 400),
    ({"action": "book", "slot": "<script>alert(1)</script>"}, 400),
    ({"action": "book", "slot": "20261332T2599Z"}, 400),
    ({"action": "book"}, 400),
    ({"action": "delete", "slot": "20261207T0800Z"}, 400),
    ({"action": ["book", "cancel"], "slot": "20261207T0800Z"}, 409),  # the last one wins
    ({}, 400),
    ({"action": "book", "slot": "20261205T0900Z"}, 422),  # Saturday
    ({"action": "book", "slot": "20261207T1700Z"}, 422),  # 18:00, closed
    ({"action": "book", "slot": "20261207T0830Z"}, 422),  # between slots
    ({"action": "book", "slot": "20261130T0800Z"}, 422),  # the past
    ({"action": "book", "slot": "20270107T0800Z"}, 422),  # too far ahead
    ({"action": "move", "slot": "20261207T0800Z"}, 409),  # nothing booked to move
    ({"action": "cancel"}, 409),
])  # fmt: skip
def test_hostile_and_malformed_posts_change_nothing(client, data, status):
    service_team()
    reminder = sent_reminder()
    response = client.post(url(reminder), data)
    assert response.status_code == status
    assert "<script>alert(1)</script>" not in response.content.decode()
    assert not Appointment.objects.filter(state="booked").exists()


def test_bad_expired_and_foreign_links_get_a_clear_page(client):
    service_team()
    reminder = sent_reminder()
    token = booking_token(reminder=reminder)
    for bad in (token[:-3] + "abc", "x", "A" * 600,
                signing.dumps({"o": reminder.pk}, salt="loyalty.account-link")):  # fmt: skip
        for method in (client.get, client.post):
            response = method(f"/outreach/book/{bad}/", {"action": "cancel"})
            assert response.status_code == 404
            assert "This link does not work" in response.content.decode()
    # A link for a message that is not a sent maintenance reminder.
    thanks = Outreach.objects.create(kind="thank_you", state="sent", customer=reminder.customer,
                                     cause="t", send_after=NOW)  # fmt: skip
    assert client.get(url(thanks)).status_code == 404
    unsent = sent_reminder()
    Outreach.objects.filter(pk=unsent.pk).update(state="scheduled")
    assert client.get(url(unsent)).status_code == 404
    with time_machine.travel(NOW + timedelta(days=61), tick=False):
        response = client.post(f"/outreach/book/{token}/", {"action": "book",
                                                            "slot": slot_key(MONDAY)})  # fmt: skip
    assert response.status_code == 410
    assert "This link has expired" in response.content.decode()
    assert not Appointment.objects.exists()


def test_one_link_never_shows_or_changes_another_customers_booking(client):
    service_team()
    theirs = sent_reminder()
    appointment_book(reminder_id=theirs.pk, starts_at=MONDAY)
    mine = sent_reminder()
    page = client.get(url(mine)).content.decode()
    assert "Your appointment" not in page
    assert theirs.customer.first_name not in page or not theirs.customer.first_name
    appointment = Appointment.objects.get()
    response = client.post(url(mine), {"action": "cancel", "appointment": appointment.pk,
                                       "reminder": theirs.pk})  # fmt: skip
    assert response.status_code == 409
    assert Appointment.objects.get().state == "booked"


def test_writes_need_the_csrf_token_and_other_methods_are_refused():
    service_team()
    reminder = sent_reminder()
    strict = Client(enforce_csrf_checks=True)
    response = strict.post(url(reminder), {"action": "book", "slot": slot_key(MONDAY)})
    assert response.status_code == 403
    assert Client().put(url(reminder)).status_code == 405
    assert Client().delete(url(reminder)).status_code == 405
    assert not Appointment.objects.exists()


def test_posts_through_one_link_are_rate_limited(client, settings):
    settings.OUTREACH_BOOKING_POSTS_PER_LINK_HOUR = 3
    service_team()
    reminder = sent_reminder()
    for _ in range(3):
        assert client.post(url(reminder), {"action": "cancel"}).status_code == 409
    response = client.post(url(reminder), {"action": "book", "slot": slot_key(MONDAY)})
    assert response.status_code == 429
    assert "many changes in a short time" in response.content.decode()
    assert not Appointment.objects.exists()
    other = sent_reminder()  # another link is not held up
    assert client.post(url(other), {"action": "book", "slot": slot_key(MONDAY)}).status_code == 302


# --- The agents' day list -----------------------------------------------------------------


def test_agents_see_their_teams_appointments_of_the_day_by_time(client):
    from tickets.tests.factories import PASSWORD, TeamFactory, make_agent

    repairs = service_team()
    elsewhere = service_team(slug="outlet")
    make_agent(username="ali", teams=[repairs])
    make_agent(username="eve", teams=[TeamFactory(slug="care")])
    later, first = sent_reminder(), sent_reminder()
    appointment_book(reminder_id=later.pk, starts_at=MONDAY + timedelta(hours=2))
    appointment_book(reminder_id=first.pk, starts_at=MONDAY)
    hidden = sent_reminder()
    from outreach.models import ServiceSchedule

    ServiceSchedule.objects.filter(team=repairs).update(active=False)
    appointment_book(reminder_id=hidden.pk, starts_at=MONDAY)  # booked with the other team
    assert Appointment.objects.get(reminder=hidden).team == elsewhere

    client.login(username="ali", password=PASSWORD)
    response = client.get("/outreach/appointments/?day=2026-12-07")
    assert response.status_code == 200
    body = response.content.decode()
    first_at = body.index(f"/customers/{first.customer_id}/")
    later_at = body.index(f"/customers/{later.customer_id}/")
    assert first_at < later_at
    assert f"/customers/{hidden.customer_id}/" not in body
    assert "?day=2026-12-06" in body
    assert "?day=2026-12-08" in body
    assert "2 appointments booked." in body
    assert f"/customers/{first.customer_id}/" not in client.get(
        "/outreach/appointments/?day=2026-12-08").content.decode()  # fmt: skip

    client.logout()
    client.login(username="eve", password=PASSWORD)
    body = client.get("/outreach/appointments/?day=2026-12-07").content.decode()
    assert "No appointments on this day." in body
    for reminder in (first, later, hidden):
        assert f"/customers/{reminder.customer_id}/" not in body


@pytest.mark.parametrize("day", ["garbage", "2026-13-01", "0001-01-01", "9999-12-31",
                                 "2026-12-07" * 50, "'; DROP TABLE x;--"])  # fmt: skip
def test_a_malformed_day_shows_today(client, day):
    from tickets.tests.factories import PASSWORD, make_agent

    make_agent(username="ali", teams=[service_team()])
    client.login(username="ali", password=PASSWORD)
    response = client.get("/outreach/appointments/", {"day": day})
    assert response.status_code == 200
    assert response.context["day"] == timezone.localdate()


def test_the_day_list_is_for_agents_only(client):
    response = client.get("/outreach/appointments/")
    assert response.status_code == 302
    assert "/login/" in response["Location"]


def test_the_customer_panel_shows_upcoming_appointments(client):
    from tickets.tests.factories import PASSWORD, make_agent

    make_agent(username="ali", teams=[service_team()])
    reminder = sent_reminder()
    appointment_book(reminder_id=reminder.pk, starts_at=MONDAY)
    client.login(username="ali", password=PASSWORD)
    body = client.get(f"/customers/{reminder.customer_id}/").content.decode()
    assert "customer-appointments" in body
    assert "/outreach/appointments/?day=2026-12-07" in body
