"""Finding or creating the customer behind a contact address."""

from __future__ import annotations

import pytest

from core.models import Event
from customers.models import ContactIdentity, Customer
from customers.services import customer_create_for_identity, customer_from_identity

pytestmark = pytest.mark.django_db


def test_a_new_address_makes_a_customer_with_its_identity_and_says_so():
    customer, identity, created = customer_create_for_identity(
        kind="email", address="kim@example.com", display_name="Kim Lee Weber",
        language=lambda: "de",
    )  # fmt: skip

    assert created
    assert (customer.first_name, customer.last_name, customer.language) == (
        "Kim", "Lee Weber", "de",
    )  # fmt: skip
    assert identity.customer == customer
    assert Event.objects.filter(kind="customer.created", customer_id=customer.pk).exists()


def test_an_address_another_transaction_created_meanwhile_is_that_customer():
    # The caller looked the address up and did not find it; it was created since.
    existing, _identity = customer_from_identity(kind="email", address="kim@example.com")

    customer, identity, created = customer_create_for_identity(
        kind="email", address="kim@example.com", language=lambda: "tr"
    )

    assert not created
    assert customer == existing
    assert identity.address == "kim@example.com"
    assert Customer.objects.count() == 1
    assert ContactIdentity.objects.count() == 1
    assert Event.objects.filter(kind="customer.created").count() == 1
