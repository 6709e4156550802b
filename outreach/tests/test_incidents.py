"""Incidents: declare, preview, notify each affected customer once in their language,
resolve, the banner on their tickets and new tickets tagged and linked."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from django.utils import timezone

from core.models import AgentProfile
from customers.models import Consent
from customers.services import consent_record
from customers.tests.factories import OrderFactory, OrderItemFactory, ProductFactory
from messaging.models import OutboxMessage
from outreach import services
from outreach.incidents import (
    IncidentError,
    affected_customers,
    incident_declare,
    incident_notify,
    incident_preview,
    incident_resolve,
    incident_tickets_link,
)
from outreach.models import Incident, Outreach
from outreach.selectors import OUTREACH_SHOWN
from tickets.tests.factories import PASSWORD, TeamFactory, TicketFactory, make_agent

from .helpers import customer_with_email

pytestmark = pytest.mark.django_db


@pytest.fixture
def lead():
    return make_agent(username="lena", role=AgentProfile.Role.LEAD,
                      teams=[TeamFactory(slug="care")]).user  # fmt: skip


def bought(product, *, language="en", placed_at=None, postal_code=""):
    customer = customer_with_email(language)
    order = OrderFactory(customer=customer, placed_at=placed_at or timezone.now(),
                         delivery_postal_code=postal_code)  # fmt: skip
    OrderItemFactory(order=order, product=product)
    return customer


def send_all() -> None:
    for pk in services.outreach_due_ids():
        services.outreach_send(outreach_id=pk)


def test_criteria_combine(lead):
    kettle, toaster = ProductFactory(sku="KET-1"), ProductFactory(sku="TOA-1")
    old = datetime(2026, 1, 10, 12, tzinfo=timezone.get_current_timezone())
    a = bought(kettle, postal_code="10115")
    b = bought(kettle, postal_code="80331")
    c = bought(toaster, postal_code="10117")
    d = bought(kettle, placed_at=old, postal_code="10119")
    by_product = incident_declare(by=lead, title="Kettle lids", message="m", products=[kettle])
    assert set(affected_customers(incident=by_product)) == {a, b, d}
    by_sku = incident_declare(by=lead, title="t", message="m", skus=["TOA-1", "TOA-1"])
    assert by_sku.skus == ["TOA-1"]
    assert set(affected_customers(incident=by_sku)) == {c}
    region = incident_declare(by=lead, title="t", message="m", postal_prefixes=["101"])
    assert set(affected_customers(incident=region)) == {a, c, d}
    dated = incident_declare(by=lead, title="t", message="m", products=[kettle],
                             postal_prefixes=["101"], ordered_from=date(2026, 1, 1),
                             ordered_until=date(2026, 1, 10))  # fmt: skip
    assert list(affected_customers(incident=dated)) == [d]
    preview = incident_preview(incident=by_product)
    assert preview["count"] == 3
    assert len(preview["sample"]) == 3


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({}, "who is affected"),
        ({"skus": ["x" * 65]}, "not a valid"),
        ({"skus": ["A\nB"]}, "not a valid"),
        ({"postal_prefixes": [str(n) for n in range(201)]}, "At most"),
        ({"skus": ["A"], "ordered_from": date(2026, 2, 1), "ordered_until": date(2026, 1, 1)},
         "ends before"),
        ({"skus": ["A"], "title": "  "}, "title"),
    ],
)  # fmt: skip
def test_malformed_declarations_are_refused(lead, kwargs, message):
    kwargs = {"title": "Kettle lids", "message": "m", **kwargs}
    with pytest.raises(IncidentError, match=message):
        incident_declare(by=lead, **kwargs)
    assert Incident.objects.count() == 0


def test_notify_once_in_each_language_then_resolve(lead):
    kettle = ProductFactory()
    en, de = bought(kettle), bought(kettle, language="de")
    tr = bought(kettle, language="tr")
    OrderItemFactory(order=OrderFactory(customer=tr), product=kettle)  # two orders: one notice
    withdrawn = bought(kettle)
    consent_record(customer=withdrawn, purpose=Consent.Purpose.SERVICE_EMAIL, granted=False,
                   source="test", by=None)  # fmt: skip
    bought(ProductFactory())  # not affected
    incident = incident_declare(by=lead, title="Kettle lids crack", message="Lids may crack.",
                                products=[kettle])  # fmt: skip
    assert incident_notify(incident=incident, by=lead) == 4
    assert incident_notify(incident=incident, by=lead) == 0  # a second click
    send_all()
    send_all()
    notices = OutboxMessage.objects.filter(kind="outreach_incident")
    assert sorted(notices.values_list("language", flat=True)) == ["de", "en", "tr"]
    assert {n.customer_id for n in notices} == {en.pk, de.pk, tr.pk}
    assert "Lids may crack." in notices.first().text
    assert Outreach.objects.get(customer=withdrawn).skip_reason == "consent"
    # The customer heard from us today, but an incident is never held back.
    services.thank_you_send(customer=en, by=lead)
    assert incident_resolve(incident=incident, by=lead, resolution="New lids are sent.") == 3
    assert incident_resolve(incident=incident, by=lead, resolution="again") == 0
    send_all()
    resolved = OutboxMessage.objects.filter(kind="outreach_incident_resolved")
    assert resolved.count() == 3
    assert "New lids are sent." in resolved.first().text


def test_resolving_needs_words_for_customers(lead):
    incident = incident_declare(by=lead, title="t", message="m", skus=["X"])
    incident_notify(incident=incident, by=lead)
    with pytest.raises(IncidentError):
        incident_resolve(incident=incident, by=lead, resolution="  ")


def test_banner_on_affected_tickets_and_new_tickets_linked(client, lead):
    kettle = ProductFactory()
    customer = bought(kettle)
    incident = incident_declare(by=lead, title="Kettle lids crack", message="m",
                                products=[kettle])  # fmt: skip
    incident_notify(incident=incident, by=lead)
    ticket = TicketFactory(customer=customer, team=lead.agent_profile.teams.get())
    other = TicketFactory(team=ticket.team)
    assert incident_tickets_link() == 1
    assert incident_tickets_link() == 0
    assert list(incident.tickets.all()) == [ticket]
    assert ticket.tags.filter(name="incident").exists()
    client.login(username="lena", password=PASSWORD)
    page = client.get(f"/tickets/{ticket.pk}/").text
    assert "incident-banner" in page
    assert "Kettle lids crack" in page
    assert "incident-banner" not in client.get(f"/tickets/{other.pk}/").text
    incident_resolve(incident=incident, by=lead, resolution="Fixed.")
    assert "incident-banner" not in client.get(f"/tickets/{ticket.pk}/").text


def test_banner_shows_when_the_incident_notice_is_older_than_the_latest_outreach(client, lead):
    """The sidebar lists a customer's latest outreach and looks incidents up only when
    that list could hide an incident notice: with a full list it always looks."""
    kettle = ProductFactory()
    customer = bought(kettle)
    incident = incident_declare(by=lead, title="Kettle lids crack", message="m",
                                products=[kettle])  # fmt: skip
    incident_notify(incident=incident, by=lead)
    ticket = TicketFactory(customer=customer, team=lead.agent_profile.teams.get())
    client.login(username="lena", password=PASSWORD)

    def newer(cause):
        Outreach.objects.create(
            kind=Outreach.Kind.THANK_YOU, state=Outreach.State.SKIPPED, cause=cause,
            customer=customer, send_after=timezone.now(),
        )  # fmt: skip

    for number in range(OUTREACH_SHOWN - 1):
        newer(f"newer-{number}")
    assert "Kettle lids crack" in client.get(f"/tickets/{ticket.pk}/").text  # notice listed
    newer("newer-last")
    page = client.get(f"/tickets/{ticket.pk}/").text  # the notice is no longer listed
    assert "incident-banner" in page
    assert "Kettle lids crack" in page


def test_incident_pages_are_for_leads_and_refuse_bad_input(client, lead):
    make_agent(username="ali", teams=[TeamFactory(slug="care")])
    client.login(username="ali", password=PASSWORD)
    assert client.get("/outreach/incidents/").status_code == 403
    client.logout()
    client.login(username="lena", password=PASSWORD)
    assert client.get("/outreach/incidents/").status_code == 200
    for data in (
        {"title": "t", "message": "m"},  # nobody affected
        {"title": "t", "message": "m", "skus": "A", "ordered_from": "2026-13-45"},
        {"title": "t" * 201, "message": "m", "skus": "A"},
        {"title": "t", "message": "m" * 4001, "skus": "A"},
        {"title": "t", "message": "m", "products": ["abc"]},
        {"title": "t", "message": "m", "products": ["999999"]},
        {"title": "t", "message": "m", "skus": "A\x00B"},
    ):
        assert client.post("/outreach/incidents/", data).status_code == 422
    assert Incident.objects.count() == 0
    response = client.post("/outreach/incidents/", {"title": "<script>x</script>",
                                                    "message": "m", "skus": "A, B"})  # fmt: skip
    incident = Incident.objects.get()
    assert response["Location"] == f"/outreach/incidents/{incident.pk}/"
    page = client.get(response["Location"]).text
    assert "<script>x</script>" not in page
    assert "&lt;script&gt;" in page
    assert client.get(f"/outreach/incidents/{incident.pk}/send/").status_code == 405
    client.post(f"/outreach/incidents/{incident.pk}/send/")
    client.post(f"/outreach/incidents/{incident.pk}/send/")  # duplicate
    client.post(f"/outreach/incidents/{incident.pk}/close/", {"resolution": ""})
    incident.refresh_from_db()
    assert incident.state == Incident.State.NOTIFIED
    client.post(f"/outreach/incidents/{incident.pk}/close/", {"resolution": "x" * 4001})
    incident.refresh_from_db()
    assert incident.state == Incident.State.NOTIFIED
    assert client.post("/outreach/incidents/999999/send/").status_code == 404
