"""Every write to customers goes through here."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.utils import timezone

from customers.models import ContactIdentity, Customer, Order
from helpdesk.services import event_record

_PHONE_JUNK = re.compile(r"[\s().\-/]")
RETURN_WINDOW = timedelta(days=30)  # the statutory 14 days plus the shop's goodwill


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


@transaction.atomic
def order_mark_delivered(
    *, order: Order, delivered_at: datetime | None = None, by: AbstractBaseUser | None = None
) -> Order:
    """Record a delivery: the return window and warranty start now, and an NPS survey is
    scheduled. Idempotent for the same delivery time."""
    order = Order.objects.select_for_update().get(pk=order.pk)
    delivered_at = delivered_at or timezone.now()
    if order.delivered_at == delivered_at:
        return order
    order.delivered_at = delivered_at
    order.status = Order.Status.DELIVERED
    if order.return_window_ends_at is None:
        order.return_window_ends_at = delivered_at + RETURN_WINDOW
    if order.warranty_ends_at is None:
        months = max((item.product.warranty_months for item in order.items.all()), default=24)
        order.warranty_ends_at = delivered_at + timedelta(days=round(months * 30.44))
    order.save()
    event_record(kind="order.delivered", actor=by, customer=order.customer,
                 data={"order": order.pk, "delivered_at": delivered_at.isoformat()})  # fmt: skip
    transaction.on_commit(lambda: _survey_schedule_nps(order.pk))
    return order


def _survey_schedule_nps(order_id: int) -> None:
    from surveys.tasks import survey_schedule_nps

    survey_schedule_nps.delay(order_id=order_id)
