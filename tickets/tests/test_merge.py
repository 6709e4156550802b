"""Merging tickets and customers loses nothing."""

from __future__ import annotations

import pytest
from django.urls import reverse

from core.models import Event
from customers.models import Consent, ContactIdentity, Customer, CustomerNote, Order
from customers.services import customer_merge, customer_note_add
from customers.tests.factories import ContactIdentityFactory, CustomerFactory, OrderFactory
from tickets.models import Message, Ticket
from tickets.tests.factories import PASSWORD, MessageFactory, TeamFactory, TicketFactory, make_agent
from tickets.workflow import ticket_merge, ticket_tags_add

pytestmark = pytest.mark.django_db


def test_ticket_merge_moves_every_message_and_tag_and_closes_with_a_pointer():
    team = TeamFactory()
    source = TicketFactory(team=team)
    target = TicketFactory(team=team)
    source_messages = {m.pk for m in MessageFactory.create_batch(3, ticket=source)}
    target_messages = {m.pk for m in MessageFactory.create_batch(2, ticket=target)}
    ticket_tags_add(tickets=[source], name="refund", by=None)
    total = Message.objects.count()

    ticket_merge(source=source, target=target, by=None)

    source.refresh_from_db()
    assert Message.objects.count() == total
    assert set(target.messages.values_list("pk", flat=True)) == source_messages | target_messages
    assert (source.status, source.merged_into_id) == (Ticket.Status.CLOSED, target.pk)
    assert [t.name for t in target.tags.all()] == ["refund"]
    assert Event.objects.filter(ticket_id=source.pk, kind="ticket.merged_away").exists()
    with pytest.raises(ValueError, match="already merged"):
        ticket_merge(source=source, target=target, by=None)


def test_customer_merge_moves_identities_tickets_orders_notes_and_consents():
    agent = make_agent(username="ayse").user
    keep = CustomerFactory(first_name="Kim")
    dupe = CustomerFactory(first_name="Kim")
    ContactIdentityFactory(customer=keep, address="kim@example.com")
    ContactIdentityFactory(customer=dupe, address="kim.work@example.com")
    ContactIdentityFactory(customer=dupe, kind="phone", address="+4915112345678")
    tickets = [TicketFactory(customer=dupe), TicketFactory(customer=keep)]
    for ticket in tickets:
        MessageFactory(ticket=ticket)
    OrderFactory(customer=dupe, number="A-1")
    OrderFactory(customer=keep, number="A-2")
    customer_note_add(customer=dupe, by=agent, body="Travelling until the 12th")
    Consent.objects.create(customer=dupe, purpose="surveys", granted=False)
    Consent.objects.create(customer=keep, purpose="marketing", granted=True)
    models = (ContactIdentity, Ticket, Order, CustomerNote, Message)
    counts = [model.objects.count() for model in models]

    customer_merge(source=dupe, target=keep, by=agent)

    assert counts == [model.objects.count() for model in models]
    assert keep.identities.count() == 3
    assert keep.tickets.count() == 2
    assert set(keep.orders.values_list("number", flat=True)) == {"A-1", "A-2"}
    assert keep.notes.get().body == "Travelling until the 12th"
    assert set(keep.consents.values_list("purpose", flat=True)) == {"surveys", "marketing"}
    dupe.refresh_from_db()
    assert dupe.merged_into_id == keep.pk
    assert Customer.objects.filter(pk=dupe.pk).exists()


def test_customer_pages_search_create_edit_merge(client):
    make_agent(username="ayse")
    client.login(username="ayse", password=PASSWORD)
    response = client.post(reverse("customers:create"), {
        "first_name": "Jürgen", "last_name": "Klein", "language": "de", "email": "J@Example.com",
    })  # fmt: skip
    customer = Customer.objects.get(first_name="Jürgen")
    assert response.url == reverse("customers:detail", args=[customer.pk])
    assert "j@example.com" in client.get(reverse("customers:list"), {"q": "jür"}).text
    assert "Jürgen" in client.get(reverse("customers:list"), {"q": "j@exam"}).text
    client.post(reverse("customers:edit", args=[customer.pk]),
                {"first_name": "Jürgen", "last_name": "Groß", "language": "de"})  # fmt: skip
    customer.refresh_from_db()
    assert customer.last_name == "Groß"
    dupe = CustomerFactory()
    OrderFactory(customer=dupe, number="X-9")
    client.post(reverse("customers:merge", args=[customer.pk]), {"duplicate": str(dupe.pk)})
    page = client.get(reverse("customers:detail", args=[customer.pk])).text
    assert "X-9" in page
    assert client.get(reverse("customers:detail", args=[dupe.pk])).url == reverse(
        "customers:detail", args=[customer.pk]
    )


def test_merging_into_a_ticket_that_was_merged_away_is_refused():
    team = TeamFactory(slug="returns")
    agent = make_agent(username="ayse", teams=[team]).user
    a, b = TicketFactory(team=team), TicketFactory(team=team)
    ticket_merge(source=a, target=b, by=agent)

    with pytest.raises(ValueError, match=f"merged into #{b.pk}"):
        ticket_merge(source=b, target=a, by=agent)

    b.refresh_from_db()
    assert b.merged_into_id is None


def test_merging_into_a_customer_that_was_merged_away_is_refused():
    keep, dupe = CustomerFactory(), CustomerFactory()
    customer_merge(source=dupe, target=keep, by=None)

    with pytest.raises(ValueError, match=f"merged into #{keep.pk}"):
        customer_merge(source=keep, target=dupe, by=None)

    keep.refresh_from_db()
    assert keep.merged_into_id is None


def test_a_bulk_merge_refused_part_way_merges_none_of_the_selection(client):
    team = TeamFactory(slug="returns")
    agent = make_agent(username="ayse", teams=[team]).user
    first, second, third, elsewhere = TicketFactory.create_batch(4, team=team)
    MessageFactory(ticket=second)
    ticket_merge(source=third, target=elsewhere, by=agent)  # merged away before
    events = Event.objects.count()
    client.login(username="ayse", password=PASSWORD)

    response = client.post(
        reverse("tickets:bulk"),
        {"ticket": [first.pk, second.pk, third.pk], "action": "merge"},
        follow=True,
    )

    assert "This ticket was already merged." in response.text
    assert "Updated 3 tickets." not in response.text
    second.refresh_from_db()
    assert (second.merged_into_id, second.status) == (None, Ticket.Status.NEW)
    assert second.messages.count() == 1
    assert Ticket.objects.filter(merged_into=first).count() == 0
    assert Event.objects.count() == events


def test_tickets_merge_into_merges_every_source_into_the_target():
    from tickets.workflow import tickets_merge_into

    target, *sources = TicketFactory.create_batch(3)
    for source in sources:
        MessageFactory(ticket=source)

    tickets_merge_into(sources=sources, target=target, by=None)

    assert set(Ticket.objects.filter(merged_into=target)) == set(sources)
    assert target.messages.count() == 2
    assert Event.objects.filter(ticket_id=target.pk, kind="ticket.merged_in").count() == 2
