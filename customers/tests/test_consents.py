"""Agents record consents the customer gives or withdraws; surveys follow at once."""

from __future__ import annotations

import pytest
from django.urls import reverse

from core.models import Event
from customers.models import Consent
from customers.tests.factories import CustomerFactory
from surveys.models import SurveyOptOut

pytestmark = pytest.mark.django_db


def _record(client, customer, **form):
    return client.post(reverse("customers:consent_record", args=[customer.pk]), form,
                       HTTP_HX_REQUEST="true")  # fmt: skip


def test_a_withdrawn_survey_consent_stops_surveys_and_a_new_yes_allows_them(agent_client):
    customer = CustomerFactory()

    withdrawn = _record(agent_client, customer, purpose="surveys", granted="no",
                        source="told us on the phone")  # fmt: skip
    assert withdrawn.status_code == 200
    assert "told us on the phone" in withdrawn.text
    assert SurveyOptOut.objects.filter(customer=customer).exists()

    _record(agent_client, customer, purpose="surveys", granted="yes", source="asked in chat")

    consent = Consent.objects.get(customer=customer, purpose="surveys")
    assert consent.granted is True
    assert consent.source == "asked in chat"
    assert not SurveyOptOut.objects.filter(customer=customer).exists()
    recorded = Event.objects.filter(kind="customer.consent_recorded").order_by("pk")
    assert [(e.data["from"], e.data["to"]) for e in recorded] == [(None, False), (False, True)]


def test_other_purposes_leave_surveys_alone(agent_client):
    customer = CustomerFactory()

    _record(agent_client, customer, purpose="marketing", granted="no", source="email to us")

    assert Consent.objects.get(customer=customer).purpose == "marketing"
    assert not SurveyOptOut.objects.exists()


@pytest.mark.parametrize(
    "form",
    [
        {"purpose": "everything", "granted": "yes", "source": "phone"},
        {"purpose": "surveys", "granted": "maybe", "source": "phone"},
        {"purpose": "surveys", "granted": "no", "source": ""},
        {"purpose": "surveys", "granted": "no", "source": "x" * 101},
        {"purpose": "surveys", "granted": "no", "source": "phone\x00"},
        {},
    ],
)
def test_a_malformed_consent_is_refused_and_records_nothing(agent_client, form):
    customer = CustomerFactory()

    response = _record(agent_client, customer, **form)

    assert response.status_code == 422
    assert 'role="alert"' in response.text
    assert not Consent.objects.exists()
    assert not SurveyOptOut.objects.exists()


def test_the_same_consent_twice_is_one_row(agent_client):
    customer = CustomerFactory()
    for _ in range(2):
        _record(agent_client, customer, purpose="sms", granted="yes", source="shop counter")

    assert Consent.objects.filter(customer=customer).count() == 1
