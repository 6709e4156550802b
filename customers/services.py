"""Every write to customers goes through here."""

from __future__ import annotations

import re

from django.db import IntegrityError, transaction

from customers.models import ContactIdentity, Customer
from helpdesk.services import event_record

_PHONE_JUNK = re.compile(r"[\s().\-/]")


def address_normalise(*, kind: str, address: str) -> str:
    """The one spelling of an address under which we store and look it up."""
    address = address.strip()
    if kind == ContactIdentity.Kind.EMAIL:
        return address.lower()
    if kind in (ContactIdentity.Kind.PHONE, ContactIdentity.Kind.WHATSAPP):
        digits = _PHONE_JUNK.sub("", address)
        if digits.startswith("00"):
            digits = "+" + digits[2:]
        return digits
    return address


def customer_from_identity(
    *, kind: str, address: str, display_name: str = "", language: str = "en"
) -> tuple[Customer, ContactIdentity]:
    """Find the customer who owns this address, or create one. Safe under concurrency:
    two first messages from the same new address make one customer."""
    normalised = address_normalise(kind=kind, address=address)
    identity = (
        ContactIdentity.objects.select_related("customer")
        .filter(kind=kind, address=normalised)
        .first()
    )
    if identity is not None:
        return identity.customer, identity
    first_name, _, last_name = display_name.strip().partition(" ")
    try:
        with transaction.atomic():
            customer = Customer.objects.create(
                first_name=first_name[:150], last_name=last_name[:150], language=language
            )
            identity = ContactIdentity.objects.create(
                customer=customer, kind=kind, address=normalised, display_name=display_name[:200]
            )
            event_record(kind="customer.created", customer=customer, data={"via": kind})
    except IntegrityError:
        identity = ContactIdentity.objects.select_related("customer").get(
            kind=kind, address=normalised
        )
    return identity.customer, identity
