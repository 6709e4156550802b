"""Tickets agents open themselves: a phone call, a walk-in or an outbound email, for a
customer found or entered on the page. Bad, oversized, repeated and hostile input is a
clear error that creates nothing and keeps what was typed."""

from __future__ import annotations

import threading
import uuid

import pytest
from django.db import connection
from django.urls import reverse

from core.models import Event
from customers.models import ContactIdentity, Customer
from customers.tests.factories import ContactIdentityFactory, CustomerFactory, OrderFactory
from messaging.models import OutboxMessage
from tickets.models import Message, Ticket
from tickets.services import NewCustomer, ReplyRefusedError, ticket_open_by_agent
from tickets.tests.factories import PASSWORD, TeamFactory, make_agent
from tickets.tests.test_workspace_input import HOSTILE

pytestmark = pytest.mark.django_db

URL = reverse("tickets:new")


@pytest.fixture
def kim():
    customer = CustomerFactory(first_name="Kim", last_name="Weber", language="de")
    ContactIdentityFactory(customer=customer, address="kim@example.com")
    return customer


def _form(home_team, **changes) -> dict:
    data = {
        "contact": "phone", "subject": "Kettle stopped heating", "team": str(home_team.pk),
        "body": "Called at 10:05, kettle dead after two days; promised a replacement.",
        "customer": "new", "new-first_name": "Ben", "new-last_name": "Arslan",
        "new-email": "Ben@Example.com", "new-phone": "030 1234567", "new-language": "tr",
        "composer_token": str(uuid.uuid4()), "action": "create",
    }  # fmt: skip
    data.update(changes)
    return data


def _nothing_created() -> None:
    assert not Ticket.objects.exists()
    assert not Message.objects.exists()
    assert not OutboxMessage.objects.exists()
    assert not Customer.objects.filter(first_name="Ben").exists()


def test_the_inbox_links_to_the_page_and_it_opens(client, ali):
    assert URL in client.get(reverse("tickets:list")).text
    page = client.get(URL)
    assert page.status_code == 200
    assert 'id="ticket-new-form"' in page.text
    assert 'value="in_person"' in page.text


def test_staff_without_an_agent_profile_and_strangers_are_kept_out(client, django_user_model):
    assert client.get(URL).status_code == 302  # to the login page
    django_user_model.objects.create_user(username="clerk", password=PASSWORD)
    client.login(username="clerk", password=PASSWORD)
    assert client.get(URL).status_code == 403
    assert client.post(URL, {"contact": "phone"}).status_code == 403


def test_a_phone_call_of_a_new_customer_becomes_a_ticket_with_the_agents_notes(client, team, ali):
    response = client.post(URL, _form(team))

    ticket = Ticket.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("tickets:detail", args=[ticket.pk])
    assert (ticket.channel, ticket.status, ticket.team, ticket.assignee) == (
        "phone", Ticket.Status.OPEN, team, ali,
    )  # fmt: skip
    assert ticket.first_response_at is not None  # the customer was answered on the phone
    customer = ticket.customer
    assert (customer.first_name, customer.last_name, customer.language) == ("Ben", "Arslan", "tr")
    assert sorted(customer.identities.values_list("kind", "address")) == [
        ("email", "ben@example.com"), ("phone", "+49301234567"),
    ]  # fmt: skip
    [note] = ticket.messages.all()
    assert (note.visibility, note.direction, note.author) == ("internal", "out", ali)
    assert note.body_text.startswith("Called at 10:05")
    assert not OutboxMessage.objects.exists()  # nothing is sent after a call
    created = Event.objects.get(kind="ticket.created", ticket_id=ticket.pk)
    assert created.actor == ali
    assert created.data == {"channel": "phone", "by_agent": True}


def test_a_walk_in_of_a_customer_found_in_the_list(client, team, ali, kim):
    results = client.get(URL, {"q": "weber"}, HTTP_HX_REQUEST="true",
                         HTTP_HX_TARGET="customer-results")  # fmt: skip
    assert f'value="{kim.pk}"' in results.text
    assert "kim@example.com" in results.text

    response = client.post(URL, _form(team, contact="in_person", customer=str(kim.pk)))

    assert response.status_code == 302
    ticket = Ticket.objects.get()
    assert (ticket.channel, ticket.customer) == ("in_person", kim)
    assert Customer.objects.count() == 1


def test_an_outbound_email_goes_to_the_customer_like_a_reply(client, team, ali, kim):
    OrderFactory(customer=kim, number="ORD-4711")
    body = "Hallo {{ customer.first_name }}, zu {{ order.number }}: der Ersatz ist unterwegs."

    response = client.post(URL, _form(team, contact="email", customer=str(kim.pk), body=body))

    assert response.status_code == 302
    ticket = Ticket.objects.get()
    assert ticket.channel == "email"
    assert ticket.first_response_at is not None
    [message] = ticket.messages.all()
    assert (message.visibility, message.channel) == ("public", "email")
    assert message.body_text == "Hallo Kim, zu ORD-4711: der Ersatz ist unterwegs."
    row = OutboxMessage.objects.get()
    assert (row.channel, row.to, row.language) == ("email", "kim@example.com", "de")
    assert row.subject == f"Kettle stopped heating [#{ticket.pk}]"
    assert row.text == message.body_text


def test_an_outbound_email_to_a_customer_with_no_address_creates_nothing(client, team, ali):
    response = client.post(URL, _form(team, contact="email", **{"new-email": ""}))

    assert response.status_code == 422
    assert "no address on this channel" in response.text
    assert "Kettle stopped heating" in response.text  # what was typed stays
    assert "Called at 10:05" in response.text
    _nothing_created()


def test_a_placeholder_a_new_customer_cannot_fill_stops_the_ticket(client, team, ali):
    response = client.post(URL, _form(team, contact="email", body="Order {{ order.number }}"))

    assert response.status_code == 422
    assert "No value for {{ order.number }}" in response.text
    _nothing_created()


def test_a_double_submit_opens_one_ticket_for_one_customer(client, team, ali):
    data = _form(team)

    first = client.post(URL, data)
    second = client.post(URL, data)

    assert first["Location"] == second["Location"]
    assert Ticket.objects.count() == 1
    assert Customer.objects.count() == 1
    assert Message.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_submits_at_the_same_moment_open_one_ticket(team):
    ali = make_agent(username="ali", teams=[team]).user
    token = uuid.uuid4()
    results, errors = [], []
    barrier = threading.Barrier(2)

    def submit() -> None:
        try:
            barrier.wait()
            results.append(ticket_open_by_agent(
                by=ali, channel="phone", subject="Call", text="Notes", team=team,
                new_customer=NewCustomer(first_name="Ben", phone="+49301234567"),
                composer_token=token,
            ).pk)  # fmt: skip
        except Exception as error:  # pragma: no cover - the assertion shows it
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=submit) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert len(set(results)) == 1
    assert Ticket.objects.count() == 1
    assert Customer.objects.count() == 1


def test_a_merged_customer_is_replaced_by_the_one_it_was_merged_into(client, team, ali, kim):
    duplicate = CustomerFactory(first_name="Kim", merged_into=kim)

    client.post(URL, _form(team, customer=str(duplicate.pk)))

    assert Ticket.objects.get().customer == kim


def test_a_new_customers_address_that_is_taken_names_that_customer(client, team, ali, kim):
    response = client.post(URL, _form(team, **{"new-email": "KIM@example.com"}))

    assert response.status_code == 422
    assert f"kim@example.com already belongs to customer #{kim.pk}" in response.text
    assert f'value="{kim.pk}"' in response.text  # offered to pick instead
    assert "is-invalid" in response.text
    _nothing_created()
    assert Customer.objects.count() == 1


@pytest.mark.parametrize(("changes", "problem"), [
    ({"new-email": "", "new-phone": ""}, "Give an email address or a phone number."),
    ({"new-first_name": ""}, "This field is required."),
    ({"new-email": "not-an-address"}, "Enter a valid email address."),
    ({"new-phone": "12"}, "not a valid phone number"),
    ({"new-language": "xx"}, "Select a valid choice."),
    ({"new-first_name": "x" * 151}, "at most 150 characters"),
    ({"subject": ""}, "This field is required."),
    ({"subject": "   "}, "This field is required."),
    ({"subject": "x" * 256}, "at most 255 characters"),
    ({"subject": "Kettle\x00"}, "Null characters are not allowed."),
    ({"body": ""}, "This field is required."),
    ({"body": "x" * 50_001}, "at most 50000 characters"),
    ({"contact": "sms"}, "Select a valid choice."),
    ({"contact": "web"}, "Select a valid choice."),
    ({"contact": "<script>alert(1)</script>"}, "Select a valid choice."),
    ({"contact": ""}, "This field is required."),
])  # fmt: skip
def test_bad_input_is_a_clear_error_and_creates_nothing(client, team, ali, changes, problem):
    response = client.post(URL, _form(team, **changes))

    assert response.status_code == 422
    assert problem in response.text
    assert "is-invalid" in response.text or "alert-danger" in response.text
    _nothing_created()


@pytest.mark.parametrize("value", HOSTILE)
def test_a_hostile_customer_choice_is_an_error(client, team, ali, value):
    response = client.post(URL, _form(team, customer=value))

    assert response.status_code == 422
    if value.strip() != "new":
        assert "Choose a customer from the list, or enter a new one." in response.text
    _nothing_created()


@pytest.mark.parametrize("value", HOSTILE)
def test_hostile_search_text_finds_nothing_and_never_fails(client, ali, kim, value):
    partial = client.get(URL, {"q": value}, HTTP_HX_REQUEST="true",
                         HTTP_HX_TARGET="customer-results")  # fmt: skip
    page = client.get(URL, {"q": value, "customer": value})

    assert partial.status_code == 200
    assert page.status_code == 200
    assert "<script>alert(1)</script>" not in page.text


def test_a_team_outside_the_agents_own_is_refused(client, team, ali):
    other = TeamFactory(slug="orders", name="Orders")

    response = client.post(URL, _form(team, team=str(other.pk)))

    assert response.status_code == 422
    assert "Select a valid choice." in response.text
    assert "Orders" not in response.text  # not even offered
    _nothing_created()


def test_an_admin_may_open_a_ticket_in_any_team(client, team):
    make_agent(username="root", role="admin")
    client.login(username="root", password=PASSWORD)
    other = TeamFactory(slug="orders", name="Orders")

    assert client.post(URL, _form(team, team=str(other.pk))).status_code == 302
    assert Ticket.objects.get().team == other


def test_a_search_without_javascript_keeps_what_was_typed_and_creates_nothing(
    client, team, ali, kim
):
    response = client.post(URL, _form(team, action="search", q="kim", customer=str(kim.pk),
                                      subject="Noisy kettle"))  # fmt: skip

    assert response.status_code == 200
    assert 'value="Noisy kettle"' in response.text
    assert f'value="{kim.pk}" id="customer-{kim.pk}" checked' in response.text
    assert "is-invalid" not in response.text
    assert not Ticket.objects.exists()


def test_the_customer_page_can_preselect_a_customer(client, ali, kim):
    page = client.get(URL, {"customer": str(kim.pk)}).text

    assert f'value="{kim.pk}" id="customer-{kim.pk}" checked' in page


def test_the_service_takes_only_the_channels_an_agent_records(team, ali, kim):
    for channel in ("sms", "web", "api", "chat"):
        with pytest.raises(ValueError, match="an agent opens tickets"):
            ticket_open_by_agent(by=ali, channel=channel, subject="s", text="t", team=team,
                                 customer=kim)  # fmt: skip
    with pytest.raises(ValueError, match="either a customer or a new customer"):
        ticket_open_by_agent(by=ali, channel="phone", subject="s", text="t", team=team)
    with pytest.raises(ValueError, match="either a customer or a new customer"):
        ticket_open_by_agent(by=ali, channel="phone", subject="s", text="t", team=team,
                             customer=kim, new_customer=NewCustomer(first_name="Ben"))  # fmt: skip
    assert not Ticket.objects.exists()


def test_a_refused_outbound_email_takes_the_new_customer_back(team, ali):
    ben = NewCustomer(first_name="Ben", phone="+4915112345678")
    with pytest.raises(ReplyRefusedError):
        ticket_open_by_agent(by=ali, channel="email", subject="s", text="t", team=team,
                             new_customer=ben)  # fmt: skip

    assert not Customer.objects.exists()
    assert not ContactIdentity.objects.exists()
    assert not Event.objects.filter(kind__in=["customer.created", "ticket.created"]).exists()


def test_a_taken_phone_number_is_told_at_the_phone_field(client, team, ali, kim):
    ContactIdentityFactory(customer=kim, kind="phone", address="+49301234567")

    response = client.post(URL, _form(team, **{"new-email": ""}))

    assert response.status_code == 422
    phone = response.text.split('id="id_new-phone"')[1].split("</div>")[0]
    assert f"+49301234567 already belongs to customer #{kim.pk}" in phone
    _nothing_created()
