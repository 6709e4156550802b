"""Phone numbers: every spelling of one number is one identity, in E.164."""

from __future__ import annotations

import pytest
from django.test import override_settings

from customers.models import ContactIdentity, Customer
from customers.phones import PhoneNumberError, phone_normalise
from customers.services import address_normalise, customer_from_identity

pytestmark = pytest.mark.django_db


def test_national_and_international_spellings_make_one_customer():
    spellings = ["030 1234567", "+49 30 1234567", "+49 (0)30 1234567", "0049 30/123 45-67"]

    found = [customer_from_identity(kind="phone", address=s, display_name="Kim Weber")
             for s in spellings]  # fmt: skip

    assert {customer.pk for customer, _identity in found} == {found[0][0].pk}
    assert Customer.objects.count() == 1
    assert list(ContactIdentity.objects.values_list("kind", "address")) == [
        ("phone", "+49301234567")
    ]


def test_a_national_number_is_read_in_the_given_region():
    customer, identity = customer_from_identity(
        kind="whatsapp", address="0532 123 45 67", region="TR"
    )

    assert identity.address == "+905321234567"
    assert customer_from_identity(kind="whatsapp", address="+90 532 123 45 67")[0] == customer


def test_without_a_region_national_numbers_are_the_shops_country():
    assert address_normalise(kind="phone", address="0532 123 45 67") == "+495321234567"
    with override_settings(SHOP_COUNTRY="TR"):
        assert address_normalise(kind="phone", address="0532 123 45 67") == "+905321234567"
    # An international number is the same wherever it is read.
    assert address_normalise(kind="phone", address="+49 30 1234567", region="TR") == (
        "+49301234567"
    )


def test_a_national_number_in_an_unknown_region_asks_for_the_country_code():
    with pytest.raises(PhoneNumberError, match="country code"):
        phone_normalise(number="030 1234567", region="XX")

    assert phone_normalise(number="+90 212 555 12 34", region="XX") == "+902125551234"


@pytest.mark.parametrize(
    "number",
    [
        "", "   ", "call me", "12", "+49 1", "+999 123", "+49 30 12345678901234567",
        "0301234567abc",  # letters are not read as a keypad
        "030-CALL-NOW", "+49 30 1234567 ext. 12", "tel:+49301234567",
        "+49 30 1234567\x00", "030\t1234567", "＋４９ ３０", "²³", "1" * 300,
        "+49 30 1234567" * 40, "<script>alert(1)</script>", "1;DROP TABLE customers_customer",
    ],
)  # fmt: skip
def test_anything_but_a_valid_number_is_refused_and_never_stored(number):
    with pytest.raises(PhoneNumberError) as refused:
        customer_from_identity(kind="phone", address=number)

    assert isinstance(refused.value, ValueError)
    assert str(refused.value)  # a message to show the agent
    assert not Customer.objects.exists()
    assert not ContactIdentity.objects.exists()


def test_email_addresses_are_not_read_as_phone_numbers():
    assert address_normalise(kind="email", address=" Kim@Example.COM ") == "kim@example.com"
