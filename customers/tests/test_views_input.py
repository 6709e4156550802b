"""Malformed, oversized, duplicated and hostile input to the customer pages."""

from __future__ import annotations

import pytest
from django.urls import reverse

from core.models import Event
from customers.models import ContactIdentity, Customer, CustomerNote
from customers.tests.factories import ContactIdentityFactory, CustomerFactory
from customers.views import NOTE_MAX_LENGTH
from tickets.tests.test_workspace_input import HOSTILE

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("value", HOSTILE)
def test_hostile_search_and_merge_values_are_harmless(agent_client, value):
    customer = CustomerFactory(first_name="Kim")

    search = agent_client.get(reverse("customers:list"), {"q": value})
    merge = agent_client.post(reverse("customers:merge", args=[customer.pk]),
                              {"duplicate": value})  # fmt: skip

    assert search.status_code == 200
    assert b"<script>alert(1)</script>" not in search.content
    assert merge.status_code in (302, 404)
    customer.refresh_from_db()
    assert customer.merged_into_id is None
    assert Customer.objects.filter(merged_into__isnull=False).count() == 0


@pytest.mark.parametrize(
    ("form", "field"),
    [
        ({"first_name": "", "language": "de"}, "first_name"),
        ({"first_name": "x" * 151, "language": "de"}, "first_name"),
        ({"first_name": "Kim", "language": "xx"}, "language"),
        ({"first_name": "Kim", "language": "de", "email": "not-an-address"}, "email"),
        ({"first_name": "Kim", "language": "de", "phone": "<script>"}, "phone"),
        ({"first_name": "Kim", "language": "de", "phone": "12"}, "phone"),
        ({"first_name": "Kim\x00", "language": "de"}, "first_name"),
    ],
)
def test_a_bad_new_customer_form_is_shown_again_with_its_error(agent_client, form, field):
    response = agent_client.post(reverse("customers:create"), form)

    assert response.status_code == 422
    assert field in response.context["form"].errors
    assert Customer.objects.count() == 0


def test_creating_a_customer_with_a_known_address_points_to_the_owner(agent_client):
    owner = ContactIdentityFactory(address="kim@example.com").customer

    response = agent_client.post(reverse("customers:create"), {
        "first_name": "Kim", "language": "en", "email": "KIM@example.com", "phone": "+49 30 1234",
    })  # fmt: skip

    assert response.status_code == 409
    assert f"kim@example.com already belongs to customer #{owner.pk}" in response.text
    assert Customer.objects.count() == 1  # the half-made customer was rolled back
    assert ContactIdentity.objects.count() == 1


def test_a_new_customer_gets_normalised_identities(agent_client):
    agent_client.post(reverse("customers:create"), {
        "first_name": "Ayşe", "language": "tr", "email": "Ayse@Example.com",
        "phone": "0049 (30) 123-456",
    })  # fmt: skip

    assert set(ContactIdentity.objects.values_list("kind", "address")) == {
        ("email", "ayse@example.com"), ("phone", "+4930123456"),
    }  # fmt: skip


@pytest.mark.parametrize("body", ["", "   ", "\x00"])
def test_an_empty_note_is_refused(agent_client, body):
    customer = CustomerFactory()

    response = agent_client.post(reverse("customers:note_add", args=[customer.pk]),
                                 {"body": body}, HTTP_HX_REQUEST="true")  # fmt: skip

    assert response.status_code == 422
    assert b"Write the note first" in response.content
    assert CustomerNote.objects.count() == 0


def test_an_overlong_note_is_refused_whole_and_kept_in_the_field(agent_client):
    customer = CustomerFactory()
    body = "Travelling until the 12th. " + "z" * NOTE_MAX_LENGTH

    response = agent_client.post(reverse("customers:note_add", args=[customer.pk]),
                                 {"body": body}, HTTP_HX_REQUEST="true")  # fmt: skip

    assert response.status_code == 422
    assert f"at most {NOTE_MAX_LENGTH}".encode() in response.content
    assert body.encode() in response.content
    assert CustomerNote.objects.count() == 0


def test_a_hostile_note_is_kept_as_text_and_shown_escaped(agent_client):
    customer = CustomerFactory()

    agent_client.post(reverse("customers:note_add", args=[customer.pk]),
                      {"body": "<script>alert(1)</script>", "next": "//evil.example/"})  # fmt: skip
    page = agent_client.get(reverse("customers:detail", args=[customer.pk]))

    assert CustomerNote.objects.get().body == "<script>alert(1)</script>"
    assert b"&lt;script&gt;alert(1)&lt;/script&gt;" in page.content
    assert b"<script>alert(1)</script>" not in page.content


@pytest.mark.parametrize("next_url", ["//evil.example/", "https://evil.example/", "/tickets//evil"])
def test_the_note_form_never_redirects_off_site(agent_client, next_url):
    customer = CustomerFactory()

    response = agent_client.post(reverse("customers:note_add", args=[customer.pk]),
                                 {"body": "Prefers phone calls", "next": next_url})  # fmt: skip

    assert response.url == reverse("customers:detail", args=[customer.pk])


def test_merging_the_same_duplicate_twice_reports_it(agent_client):
    keep, dupe = CustomerFactory(), CustomerFactory()

    agent_client.post(reverse("customers:merge", args=[keep.pk]), {"duplicate": f"#{dupe.pk}"})
    again = agent_client.post(reverse("customers:merge", args=[keep.pk]),
                              {"duplicate": str(dupe.pk)}, follow=True)  # fmt: skip

    assert b"already merged" in again.content
    dupe.refresh_from_db()
    assert dupe.merged_into_id == keep.pk


def test_an_agent_adds_a_phone_number_and_sending_it_twice_adds_it_once(agent_client):
    customer = CustomerFactory(first_name="Kim")
    form = {"kind": "phone", "address": "+49 (30) 555-0101"}

    first = agent_client.post(reverse("customers:identity_add", args=[customer.pk]), form,
                              HTTP_HX_REQUEST="true")  # fmt: skip
    agent_client.post(reverse("customers:identity_add", args=[customer.pk]), form,
                      HTTP_HX_REQUEST="true")  # fmt: skip

    assert first.status_code == 200
    assert "+49305550101" in first.text
    assert list(customer.identities.values_list("kind", "address")) == [("phone", "+49305550101")]
    assert Event.objects.filter(kind="customer.identity_added").count() == 1


def test_another_customers_address_is_refused_naming_them(agent_client):
    owner = ContactIdentityFactory(address="kim@example.com").customer
    customer = CustomerFactory()

    response = agent_client.post(reverse("customers:identity_add", args=[customer.pk]),
                                 {"kind": "email", "address": "Kim@Example.com"},
                                 HTTP_HX_REQUEST="true")  # fmt: skip

    assert response.status_code == 422
    assert f"already belongs to customer #{owner.pk}" in response.text
    assert 'value="Kim@Example.com"' in response.text  # kept for a second look
    assert not customer.identities.exists()


@pytest.mark.parametrize(
    "form",
    [
        {"kind": "email", "address": "not an address"},
        {"kind": "phone", "address": "call me"},
        {"kind": "whatsapp", "address": "12"},
        {"kind": "chat", "address": "visitor-1"},
        {"kind": "<script>", "address": "kim@example.com"},
        {"kind": "email", "address": "k" * 320 + "@example.com"},
        {"kind": "email", "address": ""},
        {"kind": "email", "address": "kim\x00@example.com"},
    ],
)
def test_a_malformed_contact_is_refused(agent_client, form):
    customer = CustomerFactory()

    htmx = agent_client.post(reverse("customers:identity_add", args=[customer.pk]), form,
                             HTTP_HX_REQUEST="true")  # fmt: skip
    plain = agent_client.post(reverse("customers:identity_add", args=[customer.pk]), form,
                              follow=True)  # fmt: skip

    assert htmx.status_code == 422
    assert b'role="alert"' in htmx.content
    assert plain.status_code == 200
    assert b'class="flash toast' in plain.content
    assert not ContactIdentity.objects.exists()
