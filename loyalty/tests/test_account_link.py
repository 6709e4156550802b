from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from core.models import Event
from customers.tests.factories import ContactIdentityFactory, CustomerFactory
from loyalty import services
from loyalty.models import LoyaltyNotice
from loyalty.tests.factories import make_member
from messaging.models import OutboxMessage
from messaging.tests.outbox_helpers import outbox_deliver_queued
from tickets.tests.factories import PASSWORD, TeamFactory, TicketFactory, make_agent

pytestmark = pytest.mark.django_db


@pytest.fixture
def team():
    return TeamFactory(slug="care", name="Care")


@pytest.fixture
def agent(team):
    return make_agent(username="agent", teams=[team]).user


def ticket_for(team, *, language="en", email="kunde@example.com", member=True):
    if member:
        customer = make_member(email=email, language=language, first_name="Jonas").customer
    else:
        customer = CustomerFactory(language=language, first_name="Jonas")
        ContactIdentityFactory(customer=customer, address=email)
    return TicketFactory(team=team, customer=customer)


def test_the_link_goes_through_the_outbox_in_the_customers_language(settings, team, agent):
    settings.SITE_URL = "https://help.shop.example"
    ticket = ticket_for(team, language="de")

    notice = services.account_link_send(ticket=ticket, by=agent)

    row = OutboxMessage.objects.get()
    assert (row.to, row.language, row.kind, row.automatic) == (
        "kunde@example.com", "de", "loyalty.link", "",
    )  # fmt: skip
    outbox_deliver_queued()
    message = mail.outbox[0]
    assert "Hallo Jonas" in message.body
    assert "Treuepunkte" in message.subject
    assert "https://help.shop.example/loyalty/me/" in message.body  # never the request's Host
    assert "14 Tage" in message.body
    event = Event.objects.get(kind="loyalty.link_sent")
    assert (event.actor, event.ticket_id, event.data["notice"]) == (agent, ticket.pk, notice.pk)


def test_turkish_customers_get_it_in_turkish(team, agent):
    ticket = ticket_for(team, language="tr")
    services.account_link_send(ticket=ticket, by=agent)
    outbox_deliver_queued()
    assert "Merhaba Jonas" in mail.outbox[0].body


def test_the_link_opens_the_customers_page(client, team, agent):
    ticket = ticket_for(team)
    services.account_link_send(ticket=ticket, by=agent)
    outbox_deliver_queued()
    path = next(line for line in mail.outbox[0].body.split() if "/loyalty/me/" in line)
    path = path[path.index("/loyalty/me/") :]
    assert client.get(path).status_code == 200


def test_at_most_one_link_per_customer_every_ten_minutes(team, agent):
    ticket = ticket_for(team)
    other_agent = make_agent(username="other", teams=[team]).user
    now = timezone.now()
    services.account_link_send(ticket=ticket, by=agent, now=now)

    with pytest.raises(services.LinkRateLimitedError):
        services.account_link_send(ticket=ticket, by=other_agent, now=now + timedelta(minutes=9))
    assert OutboxMessage.objects.count() == 1

    services.account_link_send(ticket=ticket, by=agent, now=now + timedelta(minutes=11))
    assert OutboxMessage.objects.count() == 2


def test_non_members_get_the_link_too_so_they_can_join(team, agent):
    ticket = ticket_for(team, member=False)
    services.account_link_send(ticket=ticket, by=agent)
    assert OutboxMessage.objects.count() == 1


def test_no_address_no_email(team, agent):
    ticket = TicketFactory(team=team, customer=make_member().customer, reachable=False)
    with pytest.raises(services.LinkNoAddressError):
        services.account_link_send(ticket=ticket, by=agent)
    assert not LoyaltyNotice.objects.exists()
    assert not OutboxMessage.objects.exists()


def test_the_panel_button_sends_it_and_a_second_click_is_refused_politely(client, team, agent):
    ticket = ticket_for(team)
    client.login(username="agent", password=PASSWORD)
    page = client.get(reverse("tickets:detail", args=[ticket.pk]))
    assert "Email the customer their loyalty link" in page.text
    url = reverse("loyalty:link_send", args=[ticket.pk])

    first = client.post(url, HTTP_HX_REQUEST="true")
    second = client.post(url, HTTP_HX_REQUEST="true")

    assert "The link to the loyalty page is on its way." in first.text
    assert "a few minutes ago" in second.text
    assert OutboxMessage.objects.count() == 1
    assert client.post(url).status_code == 302  # without htmx: back to the ticket


def test_agents_outside_the_team_cannot_send_and_get_needs_post(client, team):
    ticket = ticket_for(team)
    make_agent(username="outsider", teams=[TeamFactory(slug="o", name="O")])
    url = reverse("loyalty:link_send", args=[ticket.pk])

    assert client.post(url).status_code == 302  # anonymous: to the login page
    client.login(username="outsider", password=PASSWORD)
    assert client.post(url).status_code == 404
    assert client.get(url).status_code == 405
    assert not OutboxMessage.objects.exists()
    outsider = make_agent(username="outsider2", teams=[]).user
    with pytest.raises(services.LoyaltyError):
        services.account_link_send(ticket=ticket, by=outsider)
