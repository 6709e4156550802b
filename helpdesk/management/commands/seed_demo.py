"""Load demo data for a local setup. Idempotent: a second run adds nothing."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from customers.models import Customer, Order, OrderItem, Product
from customers.services import customer_from_identity, order_mark_delivered
from tickets.models import AgentProfile, Team, Ticket
from tickets.services import agent_create, ticket_open

DEMO_PASSWORD = "demo1234"  # noqa: S105 - demo logins exist only on a local setup
DEMO_STAFF = [
    # username, first, last, role, team slugs, language
    ("admin", "Ada", "Admin", AgentProfile.Role.ADMIN, ["returns", "orders"], "en"),
    ("lead", "Lena", "Lead", AgentProfile.Role.LEAD, ["returns", "orders"], "de"),
    ("agent", "Ali", "Agent", AgentProfile.Role.AGENT, ["returns"], "tr"),
    ("agent2", "Anna", "Agent", AgentProfile.Role.AGENT, ["orders"], "de"),
]
DEMO_CUSTOMERS = [
    ("maria.schmidt@example.com", "Maria Schmidt", "de"),
    ("ayse.yilmaz@example.com", "Ayşe Yılmaz", "tr"),
    ("john.miller@example.com", "John Miller", "en"),
]


class Command(BaseCommand):
    help = "Load demo teams, staff, customers, orders and tickets (local setups only)."

    @transaction.atomic
    def handle(self, *args: object, **options: object) -> None:
        if not getattr(settings, "DEMO_DATA_ALLOWED", False):
            raise CommandError("Demo data is only loaded with local settings.")
        teams = {
            slug: Team.objects.get_or_create(slug=slug, defaults={"name": name, "country": cc})[0]
            for slug, name, cc in [
                ("returns", "Returns & Repairs", "DE"),
                ("orders", "Orders", "TR"),
            ]
        }
        created = 0
        for username, first, last, role, team_slugs, language in DEMO_STAFF:
            if AgentProfile.objects.filter(user__username=username).exists():
                continue
            agent_create(
                username=username, email=f"{username}@shop.example", password=DEMO_PASSWORD,
                role=role, teams=[teams[s] for s in team_slugs], first_name=first,
                last_name=last, language=language,
            )  # fmt: skip
            created += 1
        kettle, _ = Product.objects.get_or_create(sku="KET-100", defaults={"name": "Kettle 1.7 l"})
        phone, _ = Product.objects.get_or_create(sku="PHN-200", defaults={"name": "Phone X2"})
        now = timezone.now()
        for index, (email, name, language) in enumerate(DEMO_CUSTOMERS):
            customer, identity = customer_from_identity(
                kind="email", address=email, display_name=name, language=language
            )
            number = f"DEMO-{1000 + index}"
            if not Order.objects.filter(number=number).exists():
                delivered = now - timedelta(days=5 + index * 20)
                order = Order.objects.create(
                    customer=customer, number=number, placed_at=delivered - timedelta(days=3),
                    total_cents=4999,
                )  # fmt: skip
                OrderItem.objects.create(
                    order=order, product=kettle if index % 2 else phone, unit_price_cents=4999
                )
                order_mark_delivered(order=order, delivered_at=delivered)
            if not Ticket.objects.filter(customer=customer).exists():
                ticket_open(
                    customer=customer,
                    subject=f"Question about order {number}",
                    body_text=f"Hello, my order {number} arrived but something is wrong.",
                    channel="email",
                    team=teams["returns" if index % 2 == 0 else "orders"],
                    sender=identity,
                )
                created += 1
        self.stdout.write(
            f"Demo data ready ({created} new records). {Customer.objects.count()} customers."
        )
