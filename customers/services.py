"""Every write to customers goes through here."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from core.events import event_record
from core.hooks import Hook
from customers.models import Consent, ContactIdentity, Customer, CustomerNote, Order, OrderRefund
from customers.phones import phone_normalise

# What apps above customers do when a customer's facts change. Each provider runs inside
# the service's transaction, so a refusal (an exception) takes the whole change back.
order_delivered = Hook(
    "customers.order_delivered",
    "(order: Order) -> None: an order was delivered (surveys schedule NPS after commit).",
)
order_refunded = Hook(
    "customers.order_refunded",
    "(order, refund, settled: bool, by, now) -> None: money went back (loyalty takes its "
    "points back, in the same transaction).",
)
consent_recorded = Hook(
    "customers.consent_recorded",
    "(customer, purpose: str, granted: bool, by) -> None: surveys opt the customer out or in.",
)
customer_merged = Hook(
    "customers.customer_merged",
    "(source, target) -> dict[str, int]: move the duplicate's rows to the customer who "
    "stays and count them; raise to refuse the merge.",
)

RETURN_WINDOW = timedelta(days=30)  # the statutory 14 days plus the shop's goodwill


def address_normalise(*, kind: str, address: str, region: str | None = None) -> str:
    """The one spelling of an address under which we store and look it up: email in lower
    case, phone and WhatsApp in E.164 (a national number read as one of ``region``, else
    of settings.SHOP_COUNTRY). A number that is not a valid one raises PhoneNumberError,
    a ValueError: it is never stored as typed."""
    address = address.strip()
    if kind == ContactIdentity.Kind.EMAIL:
        return address.lower()
    if kind in (ContactIdentity.Kind.PHONE, ContactIdentity.Kind.WHATSAPP):
        return phone_normalise(number=address, region=region)
    return address


def customer_from_identity(
    *, kind: str, address: str, display_name: str = "",
    language: str | Callable[[], str] = "en", region: str | None = None,
) -> tuple[Customer, ContactIdentity]:  # fmt: skip
    """Find the customer who owns this address, or create one. Safe under concurrency:
    two first messages from the same new address make one customer. ``language`` is
    only that of a new customer (a function is asked only then: detecting it costs);
    ``region`` reads a national phone number."""
    normalised = address_normalise(kind=kind, address=address, region=region)
    identity = (
        ContactIdentity.objects.select_related("customer")
        .filter(kind=kind, address=normalised)
        .first()
    )
    if identity is not None:
        return identity.customer, identity
    first_name, _space, last_name = display_name.strip().partition(" ")
    if callable(language):
        language = language()
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
    order_delivered.call_all(order=order)
    return order


class RefundError(Exception):
    """A refund that cannot be booked (amount above what is left, reference reused)."""


FULL_REFUND_REFERENCE = "full"


@transaction.atomic
def order_refund(
    *, order: Order, amount_cents: int | None = None, full: bool = False,
    by: AbstractBaseUser | None = None, reference: str = "", now: datetime | None = None,
) -> OrderRefund:  # fmt: skip
    """Give money back for an order: all that is left (``full=True``) or ``amount_cents``
    under the shop's refund ``reference``. The same reference with the same amount returns
    the first refund; a full refund is marked returned. Loyalty points earned by the order
    are taken back in the same transaction (in proportion for a partial refund)."""
    if full == (amount_cents is not None):
        raise RefundError("Give either an amount or full=True.")
    reference = (reference.strip() or (FULL_REFUND_REFERENCE if full else ""))[:100]
    if not reference:
        raise RefundError("A partial refund needs the shop's refund reference.")
    if amount_cents is not None and amount_cents <= 0:
        raise RefundError("A refund amount is a positive number of cents.")
    now = now or timezone.now()
    order = Order.objects.select_for_update().select_related("customer").get(pk=order.pk)
    existing = OrderRefund.objects.filter(order=order, reference=reference).first()
    if existing is not None:
        if existing.full != full or (not full and existing.amount_cents != amount_cents):
            raise RefundError("This refund reference was used for a different refund.")
        return existing
    refunded = order.refunds.aggregate(total=Sum("amount_cents"))["total"] or 0
    left = max(order.total_cents - refunded, 0)
    amount = left if full else amount_cents
    if amount > left:
        raise RefundError("The refund is larger than what is left of the order.")
    refund = OrderRefund.objects.create(
        order=order, reference=reference, amount_cents=amount, full=full, created_by=by,
        created_at=now,
    )  # fmt: skip
    settled = full or refunded + amount >= order.total_cents
    if settled:
        order.status = Order.Status.RETURNED
        order.save(update_fields=["status"])
    event_record(
        kind="order.refunded", actor=by, customer=order.customer,
        data={"order": order.pk, "refund": refund.pk, "amount_cents": amount, "full": full},
    )  # fmt: skip
    # In the same transaction: a refund and the points it takes back commit together.
    order_refunded.call_all(order=order, refund=refund, settled=settled, by=by, now=now)
    return refund


class IdentityTakenError(ValueError):
    """An email address or phone number that already belongs to a customer."""

    def __init__(self, *, address: str, customer_id: int) -> None:
        super().__init__(f"{address} belongs to customer #{customer_id}")
        self.address = address
        self.customer_id = customer_id


@transaction.atomic
def customer_create(
    *,
    first_name: str,
    last_name: str = "",
    language: str = "en",
    email: str = "",
    phone: str = "",
    by: AbstractBaseUser | None = None,
    region: str | None = None,
) -> Customer:
    """Create a customer by hand, with optional email and phone identities (a national
    phone number read as one of ``region``). An address that already belongs to a
    customer raises IdentityTakenError naming that customer."""
    customer = Customer.objects.create(
        first_name=first_name.strip(), last_name=last_name.strip(), language=language
    )
    event_record(kind="customer.created", actor=by, customer=customer, data={"via": "agent"})
    for kind, address in ((ContactIdentity.Kind.EMAIL, email), (ContactIdentity.Kind.PHONE, phone)):
        if address.strip():
            customer_identity_add(
                customer=customer, kind=kind, address=address, by=by, region=region
            )
    return customer


@transaction.atomic
def customer_identity_add(
    *, customer: Customer, kind: str, address: str, by: AbstractBaseUser | None,
    region: str | None = None,
) -> ContactIdentity:  # fmt: skip
    """Give a customer another way to be reached (their new phone, a second address). The
    same address twice is one identity; an address of another customer raises
    IdentityTakenError (the agent merges the two instead). A national phone number is
    read as one of ``region``; an invalid one raises PhoneNumberError."""
    address = address_normalise(kind=kind, address=address, region=region)
    existing = ContactIdentity.objects.filter(kind=kind, address=address).first()
    if existing is None:
        try:
            with transaction.atomic():
                existing = ContactIdentity.objects.create(
                    customer=customer, kind=kind, address=address
                )
        except IntegrityError:  # added a moment ago by someone else
            existing = ContactIdentity.objects.get(kind=kind, address=address)
        else:
            event_record(kind="customer.identity_added", actor=by, customer=customer,
                         data={"kind": kind, "address": address})  # fmt: skip
            return existing
    if existing.customer_id != customer.pk:
        raise IdentityTakenError(address=address, customer_id=existing.customer_id)
    return existing


@transaction.atomic
def customer_update(
    *, customer: Customer, by: AbstractBaseUser | None, first_name: str, last_name: str,
    language: str,
) -> Customer:  # fmt: skip
    """Change a customer's name or language; the event keeps the old values."""
    customer = Customer.objects.select_for_update().get(pk=customer.pk)
    old = {"first_name": customer.first_name, "last_name": customer.last_name,
           "language": customer.language}  # fmt: skip
    new = {"first_name": first_name.strip(), "last_name": last_name.strip(), "language": language}
    if old == new:
        return customer
    for field, value in new.items():
        setattr(customer, field, value)
    customer.save(update_fields=[*new, "updated_at"])
    event_record(
        kind="customer.updated", actor=by, customer=customer, data={"from": old, "to": new}
    )
    return customer


@transaction.atomic
def consent_record(
    *, customer: Customer, purpose: str, granted: bool, source: str, by: AbstractBaseUser | None
) -> Consent:
    """Record what the customer agreed to (or withdrew) and how we learnt it; the event
    keeps what it was before. Surveys follow at once: a "no" opts the customer out of
    them, a "yes" lets them be asked again."""
    if purpose not in Consent.Purpose.values:
        raise ValueError(f"unknown purpose {purpose!r}")
    Customer.objects.select_for_update().filter(pk=customer.pk).first()  # one writer
    consent = Consent.objects.filter(customer=customer, purpose=purpose).first()
    before = None if consent is None else consent.granted
    if consent is None:
        consent = Consent(customer=customer, purpose=purpose)
    consent.granted, consent.source, consent.recorded_at = granted, source.strip(), timezone.now()
    consent.save()
    event_record(kind="customer.consent_recorded", actor=by, customer=customer,
                 data={"purpose": purpose, "from": before, "to": granted,
                       "source": consent.source})  # fmt: skip
    consent_recorded.call_all(customer=customer, purpose=purpose, granted=granted, by=by)
    return consent


@transaction.atomic
def customer_note_add(*, customer: Customer, by: AbstractBaseUser, body: str) -> CustomerNote:
    note = CustomerNote.objects.create(customer=customer, author=by, body=body.strip())
    event_record(kind="customer.note_added", actor=by, customer=customer, data={"note": note.pk})
    return note


@transaction.atomic
def customer_merge(*, source: Customer, target: Customer, by: AbstractBaseUser | None) -> Customer:
    """Merge a duplicate ``source`` into ``target``. Identities, tickets, orders, notes and
    consents move; the source stays as a pointer (``merged_into``) so old links and audit
    events still resolve. Where both have a consent for one purpose the newer one wins and
    the older is recorded in the event."""
    if source.pk == target.pk:
        raise ValueError(_("A customer cannot be merged into itself."))
    locked = {
        c.pk: c
        for c in Customer.objects.select_for_update()
        .filter(pk__in=[source.pk, target.pk])
        .order_by("pk")
    }
    source, target = locked[source.pk], locked[target.pk]
    if source.merged_into_id:
        raise ValueError(_("This customer was already merged."))
    if target.merged_into_id:  # else two opposite merges would point at each other
        raise ValueError(
            _("Customer #%(target)d was merged into #%(live)d; merge into that one.")
            % {"target": target.pk, "live": target.merged_into_id}
        )
    counts = {
        "identities": ContactIdentity.objects.filter(customer=source).update(customer=target),
        "orders": Order.objects.filter(customer=source).update(customer=target),
        "notes": CustomerNote.objects.filter(customer=source).update(customer=target),
    }
    for moved in customer_merged.call_all(source=source, target=target):
        counts |= moved
    replaced = []
    target_consents = {c.purpose: c for c in Consent.objects.filter(customer=target)}
    for consent in Consent.objects.filter(customer=source):
        existing = target_consents.get(consent.purpose)
        if existing is None:
            consent.customer = target
            consent.save(update_fields=["customer"])
            continue
        older, newer = sorted([existing, consent], key=lambda c: c.recorded_at)
        replaced.append({"purpose": older.purpose, "granted": older.granted,
                         "recorded_at": older.recorded_at.isoformat()})  # fmt: skip
        if newer is consent:
            existing.delete()
            consent.customer = target
            consent.save(update_fields=["customer"])
        else:
            consent.delete()
    if not target.first_name and not target.last_name:
        target.first_name, target.last_name = source.first_name, source.last_name
        target.save(update_fields=["first_name", "last_name", "updated_at"])
    source.merged_into = target
    source.save(update_fields=["merged_into", "updated_at"])
    data = {"source": source.pk, "target": target.pk, **counts, "consents_replaced": replaced}
    event_record(kind="customer.merged_away", actor=by, customer=source, data=data)
    event_record(kind="customer.merged_in", actor=by, customer=target, data=data)
    return target
