"""The shop's side of the history: customers, how to reach them, and what they bought."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

from customers.models import ContactIdentity, Customer, Order, OrderItem, OrderRefund
from customers.phones import phone_normalise
from customers.services import RETURN_WINDOW
from helpdesk.demodata.catalogue import (
    ASCII,
    BIG_TICKET_SKUS,
    CARRIERS,
    CITIES,
    FIRST_NAMES,
    LANGUAGE_SHARES,
    LAST_NAMES,
    MAIL_DOMAINS,
    PHONE_FORMATS,
    STREETS,
    TURKISH_ASCII,
)
from helpdesk.demodata.world import Person, World

# Days a product's warranty runs per month, as the delivery service counts it.
DAYS_PER_MONTH = 30.44


def _local_part(first: str, last: str, language: str, number: int, style: int) -> str:
    table = TURKISH_ASCII if language == "tr" else ASCII
    first, last = first.lower().translate(table), last.lower().translate(table)
    last = re.sub(r"[^a-z]", "", last)
    forms = [f"{first}.{last}{number}", f"{first[0]}{last}{number}", f"{first}{number}.{last}"]
    return forms[style % len(forms)]


def person_new(
    world: World, *, at: datetime, language: str | None = None, via: str = "email"
) -> Person:
    """A customer who first turns up at ``at``, with an email address and often a phone;
    ``via`` says how (``customer.created``: the kind of address, or "agent")."""
    rng = world.rng
    language = language or world.weighted(list(LANGUAGE_SHARES), list(LANGUAGE_SHARES.values()))
    first, last = world.pick(FIRST_NAMES[language]), world.pick(LAST_NAMES[language])
    number = world.next_number("customer", 0)
    created = max(at, world.start)
    customer = world.add(Customer(
        first_name=first, last_name=last, language=language, external_ref=f"demo-{number:05d}",
        created_at=created, updated_at=created,
    ))  # fmt: skip
    address = f"{_local_part(first, last, language, number, rng.randrange(3))}@"
    email = world.add(ContactIdentity(
        customer=customer, kind=ContactIdentity.Kind.EMAIL,
        address=address + world.pick(MAIL_DOMAINS[language]), display_name=f"{first} {last}",
        verified=world.chance(0.3), created_at=created,
    ))  # fmt: skip
    person = Person(
        customer=customer, number=number, language=language, email=email,
        street=world.pick(STREETS[language]),
        city=world.pick(CITIES[language]), carrier=world.pick(CARRIERS[language]),
    )  # fmt: skip
    if world.chance(0.55 if language != "en" else 0.35):
        person.phone = identity_add(world, person, kind=ContactIdentity.Kind.PHONE, at=created)
    world.event(created, "customer.created", customer=customer, data={"via": via})
    world.people.append(person)
    return person


def identity_add(world: World, person: Person, *, kind: str, at: datetime) -> ContactIdentity:
    """Another way to reach the customer: a mobile number (also for WhatsApp) or a chat
    visitor id. Numbers are valid E.164, as the product stores them."""
    if kind == ContactIdentity.Kind.CHAT:
        address = f"visitor-{world.rng.getrandbits(40):010x}"
    else:
        if kind == ContactIdentity.Kind.WHATSAPP and person.phone is not None:
            address = person.phone.address  # WhatsApp on the same mobile number
        else:
            prefix, digits = PHONE_FORMATS[person.language]
            # 7919 is prime to 10: distinct numbers for every customer, spread out.
            number = (person.number * 7919) % 10**digits
            address = phone_normalise(number=f"{prefix}{number:0{digits}d}")
    identity = world.add(ContactIdentity(
        customer=person.customer, kind=kind, address=address,
        display_name=person.customer.full_name, created_at=max(at, person.customer.created_at),
    ))  # fmt: skip
    return identity


def person_identity(world: World, person: Person, *, kind: str, at: datetime) -> ContactIdentity:
    """The customer's identity of ``kind``, added the first time they use it."""
    attribute = {"phone": "phone", "whatsapp": "whatsapp", "chat": "chat"}.get(kind)
    if attribute is None:
        return person.email
    identity = getattr(person, attribute)
    if identity is None:
        if kind == ContactIdentity.Kind.WHATSAPP and person.phone is None:
            person.phone = identity_add(world, person, kind=ContactIdentity.Kind.PHONE, at=at)
        identity = identity_add(world, person, kind=kind, at=at)
        setattr(person, attribute, identity)
    return identity


def order_new(
    world: World, person: Person, *, placed_at: datetime, skus: list[str],
    delivered_at: datetime | None = None,
) -> Order:  # fmt: skip
    """An order as the shop reports it: shipped a day or so after it was placed and
    delivered some days later (unless that is still to come); the return window and
    warranty start at delivery, as ``order_mark_delivered`` sets them. The number is
    given when the plan is written, in the order orders were placed."""
    if delivered_at is None:
        shipped = placed_at + world.hours(6, 40)
        delivered_at = shipped + world.days(1, 3.5 if person.language != "tr" else 4.5)
    else:
        shipped = min(placed_at + world.hours(6, 30), delivered_at - timedelta(hours=8))
    order = world.add(Order(customer=person.customer, number="", placed_at=placed_at))
    order.refunds_planned = []
    order.key = world.next_number("order", 0)  # stable, whenever the plan is made
    total = 0
    months = []
    for sku in skus:
        spec = world.specs[sku]
        quantity = 2 if spec.category == "apparel" and world.chance(0.1) else 1
        price = spec.price_cents if world.chance(0.85) else spec.price_cents * 9 // 10
        world.add(OrderItem(order=order, product=world.products[sku], quantity=quantity,
                            unit_price_cents=price))  # fmt: skip
        total += price * quantity
        months.append(world.products[sku].warranty_months)
    order.total_cents = total
    order.status = Order.Status.PLACED
    if world.happened(shipped):
        order.status = Order.Status.SHIPPED
    if world.happened(delivered_at):
        order.status = Order.Status.DELIVERED
        order.delivered_at = delivered_at
        order.return_window_ends_at = delivered_at + RETURN_WINDOW
        warranty = timedelta(days=round(max(months) * DAYS_PER_MONTH))
        order.warranty_ends_at = delivered_at + warranty
        if delivered_at >= world.start:
            data = {"order": order, "delivered_at": delivered_at}  # ISO text when written
            world.event(delivered_at, "order.delivered", customer=person.customer, data=data)
    person.orders.append(order)
    return order


def order_refund(world: World, order: Order, *, at: datetime, by=None) -> OrderRefund | None:
    """The whole order's money back (a return or a lost parcel), once, if it has happened."""
    if not world.happened(at) or order.refunds_planned:
        return None
    refund = world.add(OrderRefund(
        order=order, reference=f"RF-{70000 + order.key}",
        amount_cents=order.total_cents, full=True, created_by=by, created_at=at,
    ))  # fmt: skip
    order.refunds_planned = [refund]
    order.status = Order.Status.RETURNED
    world.event(at, "order.refunded", actor=by, customer=order.customer,
                data={"order": order, "refund": refund, "amount_cents": order.total_cents,
                      "full": True})  # fmt: skip
    return refund


def skus_for(world: World, category: str, *, count: int = 1) -> list[str]:
    specs = [s.sku for s in world.specs.values() if category in ("any", s.category)]
    chosen = [world.pick(specs)]
    while len(chosen) < count:
        chosen.append(world.pick([s.sku for s in world.specs.values()]))
    return chosen


def history_orders(world: World, person: Person) -> None:
    """What a customer bought before and besides their tickets: older orders (some with
    a warranty about to end) and the orders of the last 90 days that need no help."""
    for _ in range(world.weighted([0, 1, 2, 3], [3, 4, 2, 1])):
        placed = world.now - world.days(95, 700)
        order_new(world, person, placed_at=placed, skus=skus_for(world, "any"))
    if world.chance(0.05):  # bought almost two years ago: the warranty ends soon
        delivered = world.now - timedelta(days=round(24 * DAYS_PER_MONTH)) + world.days(2, 40)
        sku = world.pick([s.sku for s in world.specs.values() if s.warranty_months == 24
                          and s.category == "device"])  # fmt: skip
        order_new(world, person, placed_at=delivered - world.days(2, 4), skus=[sku],
                  delivered_at=delivered)  # fmt: skip
    for _ in range(world.weighted([0, 1, 2], [5, 4, 1])):
        placed = world.start + world.days(0, 88)
        order_new(world, person, placed_at=placed,
                  skus=skus_for(world, "any", count=world.weighted([1, 2], [4, 1])))  # fmt: skip


def big_spender_orders(world: World, person: Person) -> None:
    """A member who buys a lot: big-ticket orders over the last year, enough for Silver
    (1,000 points a year) or Gold (5,000), delivered after they joined."""
    target = 5600 if person.big_spender == "gold" else 1300
    spent = 0
    since = max(person.member_since, world.now - timedelta(days=330))
    while spent < target * 100:
        sku = world.pick(BIG_TICKET_SKUS)
        placed = since + world.days(1, max((world.now - since).days - 40, 2))
        order = order_new(world, person, placed_at=placed, skus=[sku])
        spent += order.total_cents


def orders_numbered(world: World) -> None:
    """Order numbers go up with time, as the shop hands them out."""
    number = 104_000
    with world.stream("order numbers"):
        for order in sorted(world.rows[Order], key=lambda o: (o.placed_at, o.key)):
            number += world.rng.randint(1, 9)
            order.number = f"A-{number}"
