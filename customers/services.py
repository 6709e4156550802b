"""Every write to customers goes through here."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from core.events import event_record
from core.hooks import Hook
from customers.models import (
    Consent,
    ContactIdentity,
    Customer,
    CustomerNote,
    Order,
    OrderItem,
    OrderRefund,
    Product,
    Shipment,
)
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
product_in_stock = Hook(
    "customers.product_in_stock",
    "(product) -> None: the shop reported stock above zero for a product, inside the "
    "transaction (proactive care tells the customers waiting for it, after commit).",
)
shipment_delayed = Hook(
    "customers.shipment_delayed",
    "(shipment, estimate: datetime | None) -> None: the shop reported a parcel late, with "
    "its new expected delivery or none known yet, inside the transaction (proactive care "
    "tells the customer, after commit).",
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
    customer, identity, _created = customer_create_for_identity(
        kind=kind, address=normalised, display_name=display_name, language=language
    )
    return customer, identity


def customer_create_for_identity(
    *, kind: str, address: str, display_name: str = "",
    language: str | Callable[[], str] = "en",
) -> tuple[Customer, ContactIdentity, bool]:  # fmt: skip
    """The second half of ``customer_from_identity``, for a caller that has looked the
    address up already (in a read of its own) and not found it: create the customer of
    this ``address`` (normalised, ``address_normalise``), and say whether it was created
    here. Safe under concurrency: when another transaction created it meanwhile, that
    customer is returned (and ``False``)."""
    first_name, _space, last_name = display_name.strip().partition(" ")
    if callable(language):
        language = language()
    try:
        with transaction.atomic():
            customer = Customer.objects.create(
                first_name=first_name[:150], last_name=last_name[:150], language=language
            )
            identity = ContactIdentity.objects.create(
                customer=customer, kind=kind, address=address, display_name=display_name[:200]
            )
            event_record(kind="customer.created", customer=customer, data={"via": kind})
    except IntegrityError:
        identity = ContactIdentity.objects.select_related("customer").get(
            kind=kind, address=address
        )
        return identity.customer, identity, False
    return customer, identity, True


@transaction.atomic
def shipment_delay_report(
    *, shipment: Shipment, estimated_delivery_at: datetime | None, by: AbstractBaseUser | None
) -> tuple[Shipment, bool]:
    """The shop says a parcel is late: with its new expected delivery, or ``None`` while
    nobody knows yet. Reported twice, the same estimate is one delay (``False``); a
    delivered or returned parcel is late no more and is refused."""
    shipment = (
        Shipment.objects.select_for_update().select_related("order__customer").get(pk=shipment.pk)
    )
    if shipment.status not in (Shipment.Status.PENDING, Shipment.Status.IN_TRANSIT):
        raise ShopDataError(f"This parcel is {shipment.status}; it cannot be late.")
    if estimated_delivery_at is not None and estimated_delivery_at <= timezone.now():
        raise ShopDataError("The new expected delivery is in the past.")
    if (
        estimated_delivery_at is not None
        and estimated_delivery_at == shipment.estimated_delivery_at
    ):
        return shipment, False
    before = shipment.estimated_delivery_at
    if estimated_delivery_at is not None:
        shipment.estimated_delivery_at = estimated_delivery_at
        shipment.save(update_fields=["estimated_delivery_at", "updated_at"])
    event_record(
        kind="order.shipment_delayed", actor=by, customer=shipment.order.customer,
        data={"order": shipment.order_id, "shipment": shipment.pk,
              "from": before.isoformat() if before else None,
              "to": estimated_delivery_at.isoformat() if estimated_delivery_at else None},
    )  # fmt: skip
    shipment_delayed.call_all(shipment=shipment, estimate=estimated_delivery_at)
    return shipment, True


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


# --- The shop's systems: upserts by the shop's own keys (customers/api) -------------------


class ShopDataError(ValueError):
    """Data from the shop that contradicts what we have (an email of another customer
    under another shop id, an unknown product)."""


@transaction.atomic
def customer_upsert(
    *,
    external_ref: str = "",
    email: str = "",
    phone: str = "",
    first_name: str | None = None,
    last_name: str | None = None,
    language: str | None = None,
    country: str | None = None,
    time_zone: str | None = None,
    by: AbstractBaseUser | None,
) -> tuple[Customer, bool]:
    """Find the customer by the shop's id, else by email, and update what is given; or
    create them. Returns the customer and whether they are new. An email or phone that
    belongs to another customer raises IdentityTakenError; an email found under another
    shop id raises ShopDataError (the two are merged by an agent, never guessed)."""
    external_ref, email = external_ref.strip(), email.strip()
    if not external_ref and not email:
        raise ShopDataError("Give the shop's customer id or an email address.")
    customer = None
    if external_ref:
        customer = Customer.objects.filter(external_ref=external_ref).first()
    if customer is None and email:
        identity = (
            ContactIdentity.objects.select_related("customer")
            .filter(
                kind=ContactIdentity.Kind.EMAIL,
                address=address_normalise(kind=ContactIdentity.Kind.EMAIL, address=email),
            )
            .first()
        )
        customer = identity.customer if identity is not None else None
        if (
            customer is not None
            and external_ref
            and customer.external_ref not in ("", external_ref)
        ):
            raise ShopDataError("This email belongs to a customer with another shop id.")
    created = customer is None
    if created:
        customer = customer_create(
            first_name=first_name or "",
            last_name=last_name or "",
            language=language or "en",
            email=email,
            phone=phone,
            by=by,
        )
    else:
        customer = customer_update(
            customer=customer,
            by=by,
            first_name=customer.first_name if first_name is None else first_name,
            last_name=customer.last_name if last_name is None else last_name,
            language=customer.language if language is None else language,
        )
        for kind, address in (
            (ContactIdentity.Kind.EMAIL, email),
            (ContactIdentity.Kind.PHONE, phone),
        ):
            if address:
                customer_identity_add(customer=customer, kind=kind, address=address, by=by)
    if external_ref and customer.external_ref != external_ref:
        old = customer.external_ref
        customer.external_ref = external_ref
        try:
            with transaction.atomic():
                customer.save(update_fields=["external_ref", "updated_at"])
        except IntegrityError as error:
            raise ShopDataError("Another customer has this shop id.") from error
        event_record(
            kind="customer.external_ref_set",
            actor=by,
            customer=customer,
            data={"from": old, "to": external_ref},
        )
    _customer_place_set(customer=customer, country=country, time_zone=time_zone)
    return customer, created


def _customer_place_set(*, customer: Customer, country: str | None, time_zone: str | None) -> None:
    """Where the customer lives (``None`` keeps what is known): the hours we write in."""
    changed = []
    if country is not None and customer.country != country.upper():
        customer.country = country.upper()
        changed.append("country")
    if time_zone is not None and customer.time_zone != time_zone:
        customer.time_zone = time_zone
        changed.append("time_zone")
    if changed:
        customer.save(update_fields=[*changed, "updated_at"])


@dataclass(frozen=True)
class OrderLine:
    sku: str
    quantity: int
    unit_price_cents: int = 0
    name: str = ""


# Order statuses the shop sets directly; a delivery and a refund have services of their own.
SHOP_ORDER_STATUSES = (Order.Status.PLACED, Order.Status.SHIPPED, Order.Status.CANCELLED)


@transaction.atomic
def order_upsert(
    *,
    number: str,
    customer: Customer,
    placed_at: datetime,
    status: str = Order.Status.PLACED,
    total_cents: int = 0,
    currency: str = "EUR",
    items: list[OrderLine] | None = None,
    delivery_postal_code: str | None = None,
    by: AbstractBaseUser | None,
) -> tuple[Order, bool]:
    """Create or update an order by the shop's order number; ``items`` (when given)
    replace the order's items. A product unknown by its SKU is created when the line
    names it, else refused. Returns the order and whether it is new."""
    if status not in SHOP_ORDER_STATUSES:
        raise ShopDataError(
            "An order is placed, shipped or cancelled here; a delivery is "
            "recorded by its own request."
        )
    order = Order.objects.select_for_update().filter(number=number).first()
    created = order is None
    values = {
        "customer": customer,
        "placed_at": placed_at,
        "total_cents": total_cents,
        "currency": currency.upper(),
    }
    if delivery_postal_code is not None:  # not given: kept as it is
        values["delivery_postal_code"] = delivery_postal_code.strip().upper()
    if created:
        try:
            with transaction.atomic():
                order = Order.objects.create(number=number, status=status, **values)
        except IntegrityError:  # created a moment ago by a concurrent request
            order = Order.objects.select_for_update().get(number=number)
            created = False
    changed: dict[str, object] = {}
    if not created:
        if order.status in (Order.Status.DELIVERED, Order.Status.RETURNED):
            values.pop("customer")  # a delivered order's facts stay as they were delivered
        else:
            values["status"] = status
        for field, value in values.items():
            if getattr(order, field) != value:
                changed[field] = str(getattr(order, field + ("_id" if field == "customer" else "")))
                setattr(order, field, value)
        if changed:
            order.save()
    if items is not None:
        lines = []
        for line in items:
            product = Product.objects.filter(sku=line.sku).first()
            if product is None:
                if not line.name.strip():
                    raise ShopDataError(f"Unknown product {line.sku!r}: send its name to add it.")
                product, _new = Product.objects.get_or_create(
                    sku=line.sku, defaults={"name": line.name.strip()}
                )
            lines.append(
                OrderItem(
                    order=order,
                    product=product,
                    quantity=line.quantity,
                    unit_price_cents=line.unit_price_cents,
                )
            )
        before = sorted((i.product_id, i.quantity, i.unit_price_cents) for i in order.items.all())
        after = sorted((i.product_id, i.quantity, i.unit_price_cents) for i in lines)
        if before != after:
            order.items.all().delete()
            OrderItem.objects.bulk_create(lines)
            changed["items"] = len(lines)
    if created or changed:
        event_record(
            kind="order.created" if created else "order.updated",
            actor=by,
            customer=order.customer,
            data={"order": order.pk, "number": number, "changed": sorted(changed)},
        )
    return order, created


@transaction.atomic
def shipment_upsert(
    *,
    order: Order,
    reference: str,
    by: AbstractBaseUser | None,
    carrier: str = "",
    tracking_number: str = "",
    tracking_url: str = "",
    status: str = Shipment.Status.PENDING,
    shipped_at: datetime | None = None,
    estimated_delivery_at: datetime | None = None,
    delivered_at: datetime | None = None,
) -> tuple[Shipment, bool]:
    """Record what the warehouse says about a parcel. A parcel in transit marks a placed
    order shipped; a delivered parcel delivers the order (``order_mark_delivered``: the
    return window, the warranty and the NPS survey), once."""
    if status not in Shipment.Status.values:
        raise ShopDataError(f"Unknown shipment status {status!r}.")
    order = Order.objects.select_for_update().get(pk=order.pk)
    if status == Shipment.Status.DELIVERED and delivered_at is None:
        delivered_at = timezone.now()
    values = {
        "carrier": carrier,
        "tracking_number": tracking_number,
        "tracking_url": tracking_url,
        "status": status,
        "shipped_at": shipped_at,
        "estimated_delivery_at": estimated_delivery_at,
        "delivered_at": delivered_at,
    }
    shipment, created = Shipment.objects.get_or_create(
        order=order, reference=reference, defaults=values
    )
    changed = [] if created else [f for f, v in values.items() if getattr(shipment, f) != v]
    # A later expected delivery for a parcel on its way is a delay the customer hears of.
    later = (
        "estimated_delivery_at" in changed and estimated_delivery_at is not None
        and shipment.estimated_delivery_at is not None
        and estimated_delivery_at > shipment.estimated_delivery_at
        and status in (Shipment.Status.PENDING, Shipment.Status.IN_TRANSIT)
    )  # fmt: skip
    if changed:
        for field in changed:
            setattr(shipment, field, values[field])
        shipment.save()
    if created or changed:
        event_record(
            kind="order.shipment_updated",
            actor=by,
            customer=order.customer,
            data={"order": order.pk, "shipment": shipment.pk, "status": status, "changed": changed},
        )
    if later:
        shipment_delayed.call_all(shipment=shipment, estimate=estimated_delivery_at)
    if status == Shipment.Status.IN_TRANSIT and order.status == Order.Status.PLACED:
        order.status = Order.Status.SHIPPED
        order.save(update_fields=["status"])
    if status == Shipment.Status.DELIVERED and order.delivered_at is None:
        order = order_mark_delivered(order=order, delivered_at=delivered_at, by=by)
    return shipment, created


class _Keep:
    """Leave a field as it is (None means "clear it")."""


KEEP = _Keep()


@transaction.atomic
def product_upsert(
    *,
    sku: str,
    name: str,
    by: AbstractBaseUser | None,
    warranty_months: int | None = None,
    service_interval_months: int | _Keep | None = KEEP,
    care_tips: str | None = None,
) -> tuple[Product, bool]:
    """Create or rename a product by its SKU (its warranty and service interval when
    given)."""
    product = Product.objects.select_for_update().filter(sku=sku).first()
    created = product is None
    if created:
        product, created = Product.objects.get_or_create(sku=sku, defaults={"name": name})
    changed = {}
    for field, value in (("name", name), ("warranty_months", warranty_months),
                         ("care_tips", care_tips)):  # fmt: skip
        if value is not None and getattr(product, field) != value:
            changed[field] = getattr(product, field)
            setattr(product, field, value)
    if changed:
        product.save()
    if created or changed:
        event_record(
            kind="product.created" if created else "product.updated",
            actor=by,
            data={"product": product.pk, "sku": sku, "from": changed},
        )
    if not isinstance(service_interval_months, _Keep):
        product = product_service_interval_set(
            product=product, months=service_interval_months, by=by
        )
    return product, created


@transaction.atomic
def product_stock_set(*, product: Product, quantity: int, by: AbstractBaseUser | None) -> Product:
    """Record the shop's stock of a product. Coming back into stock is recorded as such
    (``back_in_stock``), which back-in-stock notices follow."""
    product = Product.objects.select_for_update().get(pk=product.pk)
    before = product.stock_quantity
    product.stock_updated_at = timezone.now()
    product.stock_quantity = quantity
    product.save(update_fields=["stock_quantity", "stock_updated_at"])
    if before != quantity:
        event_record(
            kind="product.stock_changed",
            actor=by,
            data={
                "product": product.pk,
                "sku": product.sku,
                "from": before,
                "to": quantity,
                "back_in_stock": (before is not None and before <= 0 and quantity > 0),
            },
        )
    if quantity > 0:
        product_in_stock.call_all(product=product)
    return product


@transaction.atomic
def product_service_interval_set(
    *, product: Product, months: int | None, by: AbstractBaseUser | None
) -> Product:
    """How often the product should be serviced (None: never); maintenance reminders
    follow it."""
    product = Product.objects.select_for_update().get(pk=product.pk)
    if product.service_interval_months == months:
        return product
    before = product.service_interval_months
    product.service_interval_months = months
    product.save(update_fields=["service_interval_months"])
    event_record(
        kind="product.service_interval_changed",
        actor=by,
        data={"product": product.pk, "sku": product.sku, "from": before, "to": months},
    )
    return product
