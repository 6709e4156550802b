"""Thank-you notes: one click from a ticket or a customer, rule suggestions, and no
strings attached (the template system refuses coupons, offers and surveys)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from core.models import Event
from customers.models import Consent
from customers.services import consent_record
from customers.tests.factories import OrderFactory
from messaging.models import OutboxMessage
from messaging.outbox import outbox_dispatch
from outreach import services
from outreach.content import ContentRefusedError, content_check
from outreach.models import Outreach
from outreach.selectors import thank_you_suggestions
from surveys.models import SurveyInvitation, SurveyResponse
from tickets.tests.factories import PASSWORD, TeamFactory, TicketFactory, make_agent

from .helpers import customer_with_email

pytestmark = pytest.mark.django_db


@pytest.fixture
def agent():
    return make_agent(username="ali", teams=[TeamFactory(slug="care")]).user


@pytest.fixture
def signed_in(client, agent):
    client.login(username="ali", password=PASSWORD)
    return client


def _deliver(row: Outreach):
    row = services.outreach_send(outreach_id=row.pk)
    outbox_dispatch(outbox_id=row.outbox_id)
    return row, mail.outbox[-1]


@pytest.mark.parametrize(
    "text",
    [
        "Thanks! Here is a coupon for your next visit.",
        "Thank you, use code SAVE20 at checkout.",
        "Enjoy 15% off your next order.",
        "Thanks, and have a look at our new deals: https://shop.example/sale",
        "Danke! Mit dem Gutschein WELCOME-10 sparen Sie.",
        "Vielen Dank, hier ist ein Rabatt für Sie.",
        "Teşekkürler! İndirim kodunuz: TESEKKUR5",
        "Teşekkür ederiz, lütfen kısa anketimize katılın.",
        "Thanks! Please take our short survey.",
        "Thank you. Buy the matching case now!",
    ],
)
def test_a_note_with_strings_attached_is_refused(agent, text):
    customer = customer_with_email()
    with pytest.raises(ContentRefusedError):
        services.thank_you_send(customer=customer, by=agent, text=text)
    assert Outreach.objects.count() == 0


def test_the_template_system_refuses_coupon_offer_and_survey_blocks():
    for block in ("coupon", "upsell", "survey"):
        with pytest.raises(ContentRefusedError, match=block):
            content_check(kind=Outreach.Kind.THANK_YOU, text="Thank you!", blocks={block: "x"})
    assert content_check(kind=Outreach.Kind.THANK_YOU, text="Thank you!", blocks={"note": "x"})


def test_a_plain_personal_note_passes_and_is_sent_once(agent):
    customer = customer_with_email(first_name="Kim", email="kim@example.com")
    text = "Thank you for your patience with the repair, Kim."
    row = services.thank_you_send(customer=customer, by=agent, text=text)
    again = services.thank_you_send(customer=customer, by=agent, text="Thanks again!")
    assert again.pk == row.pk  # a double click is one note
    row, sent = _deliver(row)
    assert row.state == Outreach.State.SENT
    assert sent.to == ["kim@example.com"]
    assert "patience with the repair" in sent.body
    services.outreach_send(outreach_id=row.pk)
    assert OutboxMessage.objects.filter(kind="outreach_thank_you").count() == 1
    assert Event.objects.filter(kind="outreach.sent", customer_id=customer.pk).count() == 1


def test_the_standard_note_is_signed_by_the_agent_in_the_customers_language(agent):
    customer = customer_with_email(language="de", first_name="Jonas")
    row = services.thank_you_send(customer=customer, by=agent)
    assert "Jonas" in row.text
    assert "Ali" in row.text
    row, _sent = _deliver(row)
    assert OutboxMessage.objects.get(pk=row.outbox_id).language == "de"


def test_withdrawn_marketing_consent_stops_the_note_with_the_reason(agent):
    customer = customer_with_email()
    consent_record(customer=customer, purpose=Consent.Purpose.MARKETING, granted=False,
                   source="test", by=None)  # fmt: skip
    row = services.outreach_send(
        outreach_id=services.thank_you_send(customer=customer, by=agent).pk
    )
    assert row.state == Outreach.State.SKIPPED
    assert row.skip_reason == "consent"
    assert OutboxMessage.objects.count() == 0


def test_one_click_from_the_customer_page(signed_in):
    customer = customer_with_email()
    page = signed_in.get(f"/customers/{customer.pk}/").text
    assert f'action="/outreach/thank-you/{customer.pk}/"' in page
    response = signed_in.post(f"/outreach/thank-you/{customer.pk}/")
    assert response.status_code == 302
    assert response["Location"] == f"/customers/{customer.pk}/"
    row = Outreach.objects.get(customer=customer)
    assert row.kind == Outreach.Kind.THANK_YOU
    assert row.ticket is None
    signed_in.post(f"/outreach/thank-you/{customer.pk}/")  # double click
    assert Outreach.objects.count() == 1


def test_one_click_from_a_ticket(signed_in, agent):
    ticket = TicketFactory(team=agent.agent_profile.teams.get(), customer=customer_with_email())
    page = signed_in.get(f"/tickets/{ticket.pk}/").text
    assert 'name="ticket"' in page
    assert "Send a thank-you note" in page
    response = signed_in.post(f"/outreach/thank-you/{ticket.customer_id}/",
                              {"ticket": ticket.pk})  # fmt: skip
    assert response["Location"] == f"/tickets/{ticket.pk}/"
    assert Outreach.objects.get().ticket == ticket


def test_hostile_and_malformed_input(client, signed_in, agent):
    customer = customer_with_email()
    url = f"/outreach/thank-you/{customer.pk}/"
    assert signed_in.get(url).status_code == 405
    assert signed_in.post("/outreach/thank-you/999999/").status_code == 404
    # Malformed ticket ids, an oversized note, a NUL byte, a coupon: nothing is saved.
    for data in ({"ticket": "abc"}, {"ticket": "-1"}, {"ticket": "9" * 40},
                 {"text": "x" * 4001}, {"text": "Thanks\x00"},
                 {"text": "<script>alert(1)</script> use code SAVE20"}):  # fmt: skip
        response = signed_in.post(url, data)
        assert response.status_code == 302
    assert Outreach.objects.count() == 0
    # Another customer's ticket, and a ticket outside the agent's teams.
    other = TicketFactory(team=agent.agent_profile.teams.get(), customer=customer_with_email())
    signed_in.post(url, {"ticket": other.pk})
    assert Outreach.objects.count() == 0
    hidden = TicketFactory(team=TeamFactory(slug="elsewhere"), customer=customer)
    assert signed_in.post(url, {"ticket": hidden.pk}).status_code == 404
    # HTML is sent as plain text, never rendered as markup.
    signed_in.post(url, {"text": "<b>Thank you</b> for everything"})
    assert Outreach.objects.get().text == "<b>Thank you</b> for everything"
    signed_in.logout()
    assert signed_in.post(url).status_code == 302  # to the sign-in page
    assert Outreach.objects.count() == 1


def test_customers_without_a_staff_profile_cannot_send(client, django_user_model):
    django_user_model.objects.create_user(username="mallory", password=PASSWORD)
    client.login(username="mallory", password=PASSWORD)
    assert client.post(f"/outreach/thank-you/{customer_with_email().pk}/").status_code == 403


def test_suggested_for_a_long_time_customers_tenth_order(agent):
    customer = customer_with_email()
    now = timezone.now()
    for n in range(9):
        OrderFactory(customer=customer, placed_at=now - timedelta(days=400 - n))
    assert thank_you_suggestions(customer=customer) == []
    OrderFactory(customer=customer, placed_at=now - timedelta(days=2))
    assert len(thank_you_suggestions(customer=customer)) == 1
    services.thank_you_send(customer=customer, by=agent)
    assert thank_you_suggestions(customer=customer) == []  # already thanked


def test_suggested_for_a_detractor_who_came_back():
    customer = customer_with_email()
    invitation = SurveyInvitation.objects.create(
        kind=SurveyInvitation.Kind.NPS, customer=customer, send_after=timezone.now(),
        state=SurveyInvitation.State.SENT, sent_at=timezone.now(),
    )  # fmt: skip
    SurveyResponse.objects.create(invitation=invitation, score=3)
    assert thank_you_suggestions(customer=customer) == []
    OrderFactory(customer=customer, placed_at=timezone.now() + timedelta(minutes=1))
    assert thank_you_suggestions(customer=customer, now=timezone.now() + timedelta(minutes=2))
