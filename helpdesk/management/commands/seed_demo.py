"""Load demo data for a local setup. Idempotent: a second run adds nothing."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from core.models import AgentProfile, Team
from core.staff import agent_create
from customers.models import Customer, Order, OrderItem, Product
from customers.services import customer_from_identity, order_mark_delivered
from loyalty.models import Reward
from loyalty.services import account_join, points_earn_for_order
from tickets.models import Macro, RoutingRule, Ticket
from tickets.services import ticket_open

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
# Members of the loyalty program: Maria's points are still pending (her order is inside
# its return window), John's are confirmed.
DEMO_LOYALTY_MEMBERS = ["maria.schmidt@example.com", "john.miller@example.com"]
DEMO_REWARDS = [
    {
        "name": "5 € voucher", "name_de": "5-€-Gutschein", "name_tr": "5 € hediye çeki",
        "points_cost": 500, "description": "5 € off your next order.",
        "description_de": "5 € Rabatt auf Ihre nächste Bestellung.",
        "description_tr": "Bir sonraki siparişinizde 5 € indirim.",
    },
    {
        "name": "Free shipping", "name_de": "Kostenloser Versand", "name_tr": "Ücretsiz kargo",
        "points_cost": 300, "description": "No shipping costs on your next order.",
        "description_de": "Keine Versandkosten bei Ihrer nächsten Bestellung.",
        "description_tr": "Bir sonraki siparişinizde kargo ücreti yok.",
    },
    {
        "name": "Extended warranty", "name_de": "Verlängerte Garantie",
        "name_tr": "Uzatılmış garanti", "points_cost": 2000,
        "description": "One more year of warranty on a product you choose.",
        "description_de": "Ein Jahr mehr Garantie auf ein Produkt Ihrer Wahl.",
        "description_tr": "Seçtiğiniz bir ürün için bir yıl ek garanti.",
    },
]  # fmt: skip


# Ready answers in each language the shop speaks; placeholders are filled per ticket.
DEMO_MACROS = [
    ("en", "Replacement on its way", "Hello {{ customer.first_name }},\n\nwe are sorry your order "
     "{{ order.number }} arrived damaged. A replacement leaves our warehouse today; you do not "
     "need to send anything back.\n\nKind regards,\n{{ agent.name }}"),
    ("de", "Ersatz ist unterwegs", "Hallo {{ customer.first_name }},\n\nes tut uns leid, dass Ihre "
     "Bestellung {{ order.number }} beschädigt ankam. Der Ersatz verlässt heute unser Lager; "
     "Sie müssen nichts zurückschicken.\n\nViele Grüße\n{{ agent.name }}"),
    ("tr", "Yenisi yolda", "Merhaba {{ customer.first_name }},\n\n{{ order.number }} numaralı "
     "siparişinizin hasarlı ulaşmasına üzüldük. Yenisi bugün depomuzdan çıkıyor; bir şey geri "
     "göndermenize gerek yok.\n\nSaygılarımızla,\n{{ agent.name }}"),
]  # fmt: skip


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
        # Mail to returns@ goes to Returns & Repairs; everything else lands in Orders.
        if not Team.objects.filter(is_default=True).exists():
            Team.objects.filter(pk=teams["orders"].pk).update(is_default=True)
        RoutingRule.objects.get_or_create(
            address="returns@shop.example", defaults={"team": teams["returns"], "position": 10}
        )
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
        for reward in DEMO_REWARDS:
            Reward.objects.get_or_create(name=reward["name"], defaults=reward)
        for language, name, body in DEMO_MACROS:
            Macro.objects.get_or_create(
                name=name, team=None, defaults={"body": body, "language": language}
            )
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
            if email in DEMO_LOYALTY_MEMBERS:
                self._loyalty_member(customer=customer, order_number=number)
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

    def _loyalty_member(self, *, customer: Customer, order_number: str) -> None:
        """Enrol with consent and earn for the delivered order; both services are
        idempotent, so a second run finds the account and replays the entry."""
        account_join(customer=customer, consent_source="demo")
        order = Order.objects.get(number=order_number)
        if order.status == Order.Status.DELIVERED:
            points_earn_for_order(order=order)
