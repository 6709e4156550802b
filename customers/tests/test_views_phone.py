"""Phone numbers typed on the customer pages: read in the agent's team's country, and
anything that is not a number refused with a message, never a server error."""

from __future__ import annotations

import pytest
from django.urls import reverse

from customers.models import ContactIdentity, Customer
from customers.tests.factories import CustomerFactory
from tickets.tests.factories import PASSWORD, TeamFactory, make_agent

pytestmark = pytest.mark.django_db

HOSTILE_NUMBERS = [
    "9" * 321, "+49 30 1234567" * 20, "+49 30 1234567\x00", "\x00", "030 CALL NOW",
    "kim@example.com", "<script>alert(1)</script>", "０３０ ", "+49 1", "+999 123",
    "ü" * 300, "0; DROP TABLE customers_contactidentity",
]  # fmt: skip


def _agent_client(client, *, countries: list[str]):
    teams = [TeamFactory(slug=f"team-{country.lower()}", country=country) for country in countries]
    make_agent(username="emre", teams=teams)
    client.login(username="emre", password=PASSWORD)
    return client


def _add(client, customer, address: str, *, htmx: bool = True):
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {"follow": True}
    return client.post(reverse("customers:identity_add", args=[customer.pk]),
                       {"kind": "phone", "address": address}, **headers)  # fmt: skip


def test_a_national_number_is_read_in_the_agents_team_country(client):
    agent_client = _agent_client(client, countries=["TR"])
    customer = CustomerFactory()

    response = _add(agent_client, customer, "0532 123 45 67")

    assert response.status_code == 200
    assert list(customer.identities.values_list("address", flat=True)) == ["+905321234567"]


@pytest.mark.parametrize("countries", [[], ["DE", "TR"]])
def test_without_one_team_country_the_shops_country_reads_the_number(client, countries):
    agent_client = _agent_client(client, countries=countries)
    customer = CustomerFactory()

    _add(agent_client, customer, "030 1234567")
    again = _add(agent_client, customer, "+49 (0)30 1234567")

    assert again.status_code == 200
    assert list(customer.identities.values_list("address", flat=True)) == ["+49301234567"]


def test_a_new_customers_national_number_is_read_in_the_agents_team_country(client):
    agent_client = _agent_client(client, countries=["TR"])
    form = {"first_name": "Emre", "language": "tr", "phone": "0212 555 12 34"}

    agent_client.post(reverse("customers:create"), form)

    assert ContactIdentity.objects.get().address == "+902125551234"


def test_a_number_that_does_not_exist_is_refused_with_why(client):
    agent_client = _agent_client(client, countries=["DE"])
    customer = CustomerFactory()

    response = _add(agent_client, customer, "+49 30 12345678901234")

    assert response.status_code == 422
    assert "not a valid phone number" in response.text
    assert 'value="+49 30 12345678901234"' in response.text  # kept for a second look
    assert not ContactIdentity.objects.exists()


@pytest.mark.parametrize("address", HOSTILE_NUMBERS)
def test_hostile_numbers_are_refused_on_the_customer_page(client, address):
    agent_client = _agent_client(client, countries=["DE"])
    customer = CustomerFactory()

    htmx = _add(agent_client, customer, address)
    plain = _add(agent_client, customer, address, htmx=False)
    form = {"first_name": "Kim", "language": "de", "phone": address}
    created = agent_client.post(reverse("customers:create"), form)

    assert htmx.status_code == 422
    assert b'role="alert"' in htmx.content
    assert b"<script>alert(1)</script>" not in htmx.content
    assert plain.status_code == 200
    assert b'class="flash toast' in plain.content
    assert created.status_code == 422
    assert "phone" in created.context["form"].errors
    assert not ContactIdentity.objects.exists()
    assert Customer.objects.count() == 1
