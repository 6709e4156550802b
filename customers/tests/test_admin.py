"""The admin site writes customers, their identities, consents and notes through the
services: audited, addresses normalised, surveys following a consent."""

from __future__ import annotations

import pytest

from core.models import Event
from customers.models import Consent, ContactIdentity, Customer, CustomerNote
from customers.tests.factories import ContactIdentityFactory, CustomerFactory
from surveys.models import SurveyOptOut
from tests.admin_forms import admin_form_data

pytestmark = pytest.mark.django_db


def _change_url(customer: Customer) -> str:
    return f"/admin/customers/customer/{customer.pk}/change/"


def test_editing_a_customer_in_the_admin_is_audited_and_cannot_merge_by_hand(client, boss):
    customer = CustomerFactory(first_name="Kim", last_name="Lee")
    other = CustomerFactory()
    data = admin_form_data(client, _change_url(customer))
    assert "merged_into" not in data
    data |= {"first_name": "Kimberly", "external_ref": "shop-77", "merged_into": other.pk}

    response = client.post(_change_url(customer), data)

    assert response.status_code == 302
    customer.refresh_from_db()
    assert (customer.first_name, customer.external_ref, customer.merged_into_id) == (
        "Kimberly", "shop-77", None,
    )  # fmt: skip
    event = Event.objects.get(kind="customer.updated", customer_id=customer.pk)
    assert event.actor == boss
    assert (event.data["from"]["first_name"], event.data["to"]["first_name"]) == ("Kim", "Kimberly")


def test_a_customer_added_in_the_admin_with_an_address_a_consent_and_a_note(client, boss):
    data = admin_form_data(client, "/admin/customers/customer/add/")
    data |= {
        "first_name": "Ada", "last_name": "O'Neil", "language": "de",
        "identities-TOTAL_FORMS": 1, "identities-0-kind": "email",
        "identities-0-address": " Ada@Example.COM", "identities-0-verified": "on",
        "consents-TOTAL_FORMS": 1, "consents-0-purpose": "marketing",
        "consents-0-granted": "on", "consents-0-source": "phone call",
        "notes-TOTAL_FORMS": 1, "notes-0-body": "Prefers calls after 5pm",
    }  # fmt: skip

    response = client.post("/admin/customers/customer/add/", data)

    assert response.status_code == 302, response.context["errors"]
    customer = Customer.objects.get()
    assert (customer.first_name, customer.last_name, customer.language) == ("Ada", "O'Neil", "de")
    identity = ContactIdentity.objects.get()
    assert (identity.customer, identity.address, identity.verified) == (
        customer, "ada@example.com", True,
    )  # fmt: skip
    consent = Consent.objects.get()
    assert (consent.purpose, consent.granted, consent.source) == ("marketing", True, "phone call")
    note = CustomerNote.objects.get()
    assert (note.customer, note.author, note.body) == (customer, boss, "Prefers calls after 5pm")
    kinds = Event.objects.filter(customer_id=customer.pk, actor=boss).values_list("kind", flat=True)
    assert sorted(kinds) == [
        "customer.consent_recorded", "customer.created", "customer.identity_added",
        "customer.note_added",
    ]  # fmt: skip


def test_withdrawing_the_surveys_consent_in_the_admin_opts_the_customer_out(client, boss):
    customer = CustomerFactory()
    Consent.objects.create(customer=customer, purpose="surveys", granted=True, source="signup")
    data = admin_form_data(client, _change_url(customer))
    assert "consents-0-DELETE" not in data  # a withdrawal is a "no", not a deleted row
    data.pop("consents-0-granted")  # the box unticked
    data["consents-0-source"] = "asked by email"

    response = client.post(_change_url(customer), data)

    assert response.status_code == 302
    consent = Consent.objects.get()
    assert (consent.granted, consent.source) == (False, "asked by email")
    event = Event.objects.get(kind="customer.consent_recorded")
    assert (event.actor, event.data["from"], event.data["to"]) == (boss, True, False)
    assert SurveyOptOut.objects.filter(customer=customer).exists()
    assert Event.objects.get(kind="survey.opted_out").actor == boss


def test_an_existing_consent_keeps_its_purpose_and_an_identity_its_address(client, boss):
    customer = CustomerFactory()
    Consent.objects.create(customer=customer, purpose="surveys", granted=True)
    ContactIdentityFactory(customer=customer, address="kim@example.com")
    data = admin_form_data(client, _change_url(customer))
    data |= {"consents-0-purpose": "marketing", "identities-0-address": "evil@example.com",
             "identities-0-display_name": "Kim Lee"}  # fmt: skip

    client.post(_change_url(customer), data)

    assert Consent.objects.get().purpose == "surveys"
    identity = ContactIdentity.objects.get()
    assert (identity.address, identity.display_name) == ("kim@example.com", "Kim Lee")


def test_an_address_of_another_customer_is_refused_in_any_spelling(client, boss):
    ContactIdentityFactory(address="kim@example.com")
    customer = CustomerFactory()
    data = admin_form_data(client, _change_url(customer))
    data |= {"identities-TOTAL_FORMS": 1, "identities-0-kind": "email",
             "identities-0-address": "KIM@example.com"}  # fmt: skip

    response = client.post(_change_url(customer), data)

    assert response.status_code == 200
    assert "already exists" in response.text
    assert not ContactIdentity.objects.filter(customer=customer).exists()


def test_an_identity_is_not_moved_to_another_customer_in_the_admin(client, boss):
    identity = ContactIdentityFactory(address="kim@example.com")
    other = CustomerFactory()
    url = f"/admin/customers/contactidentity/{identity.pk}/change/"

    client.post(url, {**admin_form_data(client, url), "customer": other.pk, "verified": "on"})

    owner = identity.customer_id
    identity.refresh_from_db()
    assert (identity.customer_id, identity.verified) == (owner, True)
    assert client.get("/admin/customers/contactidentity/add/").status_code == 403
