# ruff: noqa: S608  (the SQL is ours, with numbers only)
"""Benchmark: an incident affecting many customers.

Generates N customers, each with an email address and an order of one product (inside
PostgreSQL, no row crosses the socket), declares an incident for that product and
measures: the time ``incident_notify`` takes to enqueue every notice; that an agent's
write to a ticket is not blocked meanwhile (it runs with a 2 s lock timeout on another
connection while the notify runs and reports its latency); and the drain rate of the
send (outreach row → outbox row) and dispatch (outbox row → the email backend) on a
sample, in one process.
"""

from __future__ import annotations

import json
import threading
import time

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import connection, connections, transaction

from customers.models import Product
from messaging.models import OutboxMessage
from messaging.outbox import outbox_dispatch
from outreach import services
from outreach.incidents import incident_declare, incident_notify
from outreach.models import Outreach
from tickets.models import Ticket


def incident_customer(product: Product):
    return product.order_items.select_related("order__customer").first().order.customer


class Command(BaseCommand):
    help = "Measure enqueueing and draining incident notices for many customers."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--customers", type=int, default=100_000)
        parser.add_argument("--drain-sample", type=int, default=2000)
        parser.add_argument("--json", action="store_true")

    def _generate(self, count: int) -> Product:
        product = Product.objects.create(sku=f"BENCH-{time.time_ns()}", name="Bench kettle")
        tag = product.sku
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SELECT coalesce(max(id), 0) FROM customers_customer")
            base = cursor.fetchone()[0]
            cursor.execute(f"""
                INSERT INTO customers_customer (first_name, last_name, language, external_ref,
                                                created_at, updated_at)
                SELECT 'Bench', 'Customer ' || g, (ARRAY['en','de','tr'])[1 + g % 3],
                       '{tag}-' || g, now(), now()
                FROM generate_series(1, {count}) AS g""")
            cursor.execute(f"""
                INSERT INTO customers_contactidentity
                    (customer_id, kind, address, display_name, verified, created_at)
                SELECT id, 'email', 'bench-' || id || '@example.com', '', true, now()
                FROM customers_customer WHERE id > {base} AND external_ref LIKE '{tag}-%'""")
            cursor.execute(f"""
                INSERT INTO customers_order (customer_id, number, status, placed_at,
                    total_cents, currency, delivery_postal_code)
                SELECT id, '{tag}-' || id, 'delivered', now(), 1000, 'EUR', ''
                FROM customers_customer WHERE id > {base} AND external_ref LIKE '{tag}-%'""")
            cursor.execute(f"""
                INSERT INTO customers_orderitem (order_id, product_id, quantity,
                                                 unit_price_cents)
                SELECT id, {product.pk}, 1, 1000 FROM customers_order
                WHERE number LIKE '{tag}-%'""")
        return product

    def handle(self, *args, **options) -> None:
        count = options["customers"]
        started = time.perf_counter()
        product = self._generate(count)
        generated = time.perf_counter() - started
        lead, _ = get_user_model().objects.get_or_create(username="bench-lead")
        incident = incident_declare(by=lead, title="Bench kettle lids", message="Bench.",
                                    products=[product])  # fmt: skip
        ticket = Ticket.objects.order_by("pk").first() or Ticket.objects.create(
            customer=incident_customer(product), subject="Bench ticket", channel="email"
        )
        agent_ms: list[tuple[float, float]] = []
        done = threading.Event()

        def agent_writes() -> None:
            """An agent replying meanwhile: a ticket row update under a 2 s lock timeout."""
            try:
                while not done.is_set() and ticket is not None:
                    began = time.perf_counter()
                    with transaction.atomic(), connection.cursor() as cursor:
                        cursor.execute("SET LOCAL lock_timeout = '2s'")
                        cursor.execute("UPDATE tickets_ticket SET updated_at = now() "
                                       "WHERE id = %s", [ticket.pk])  # fmt: skip
                    agent_ms.append((began, (time.perf_counter() - began) * 1000))
                    time.sleep(0.05)
            finally:
                connections.close_all()

        thread = threading.Thread(target=agent_writes)
        thread.start()
        began = began_enqueue = time.perf_counter()
        enqueued = incident_notify(incident=incident, by=lead)
        ended = time.perf_counter()
        enqueue_seconds = ended - began
        done.set()
        thread.join()

        sample = list(
            Outreach.objects.filter(incident=incident).order_by("pk")
            .values_list("pk", flat=True)[: options["drain_sample"]]
        )  # fmt: skip
        began = time.perf_counter()
        for pk in sample:
            services.outreach_send(outreach_id=pk)
        send_seconds = time.perf_counter() - began
        outbox_ids = list(
            Outreach.objects.filter(pk__in=sample).values_list("outbox_id", flat=True)
        )
        began = time.perf_counter()
        for pk in outbox_ids:
            outbox_dispatch(outbox_id=pk)
        dispatch_seconds = time.perf_counter() - began
        sent = OutboxMessage.objects.filter(pk__in=outbox_ids, state="sent").count()
        during = [ms for at, ms in agent_ms if began_enqueue <= at <= ended]
        result = {
            "customers": count,
            "generate_seconds": round(generated, 2),
            "notices_enqueued": enqueued,
            "enqueue_seconds": round(enqueue_seconds, 2),
            "agent_writes_during_enqueue": len(during),
            "agent_write_max_ms": round(max(during), 1) if during else None,
            "send_per_second": round(len(sample) / send_seconds, 1),
            "dispatch_per_second": round(sent / dispatch_seconds, 1),
        }
        if options["json"]:
            self.stdout.write(json.dumps(result))
        else:
            for key, value in result.items():
                self.stdout.write(f"{key}: {value}")
