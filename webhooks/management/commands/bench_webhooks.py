"""Benchmark: N audit events delivered to a receiver on 127.0.0.1 that verifies every
signature, measuring throughput and the delay from event to delivery (p50, p95).

Events are committed in batches while delivery threads run the worker's code path
(``event_fanout`` then ``delivery_attempt``: claim, sign, POST, record), so the delay
includes fan-out, queueing, signing, HTTP and bookkeeping; the Celery broker hop
(a few milliseconds) is left out. Every row it writes is removed afterwards."""

from __future__ import annotations

import queue
import statistics
import threading
import time

from django.core.management.base import BaseCommand
from django.db import connection, transaction
from django.test.utils import override_settings

from core.events import event_record, event_recorded
from core.models import Event
from webhooks import services
from webhooks.fanout import on_event_recorded
from webhooks.models import WebhookDelivery, WebhookEndpoint, WebhookFanout


class Command(BaseCommand):
    help = "Deliver N events to a local receiver; print throughput and p95 delay."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--events", type=int, default=10_000)
        parser.add_argument("--threads", type=int, default=8)
        parser.add_argument("--batch", type=int, default=100)

    def handle(self, *args, events: int, threads: int, batch: int, **options) -> None:
        import multiprocessing

        from webhooks.tests.receiver import serve_in_process

        # The receiver runs in a process of its own, as a real one would (not sharing
        # the senders' interpreter lock); it reports each request's arrival time.
        ours, theirs = multiprocessing.Pipe()
        receiver = multiprocessing.get_context("spawn").Process(
            target=serve_in_process, args=(theirs,), daemon=True
        )
        receiver.start()
        url = ours.recv()
        with override_settings(WEBHOOK_ALLOW_LOOPBACK=True):
            endpoint = services.endpoint_create(
                name=f"bench {time.time()}", url=url, event_types=["sla.breached"], by=None
            )
            ours.send(endpoint.secret)
            event_recorded.unregister(on_event_recorded)  # fan-out here, not through Celery
            work: queue.Queue = queue.Queue()
            created: dict[int, float] = {}
            first_id = Event.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
            try:
                started = time.monotonic()
                consumers = [
                    threading.Thread(target=self._deliver, args=(work,)) for _ in range(threads)
                ]
                for thread in consumers:
                    thread.start()
                for start in range(0, events, batch):
                    with transaction.atomic():
                        rows = [
                            event_record(kind="sla.breached", data={"n": n})
                            for n in range(start, min(start + batch, events))
                        ]
                    now = time.time()
                    for row in rows:
                        created[row.pk] = now
                        for delivery_id in services.event_fanout(event_id=row.pk):
                            work.put(delivery_id)
                for _ in consumers:
                    work.put(None)
                for thread in consumers:
                    thread.join()
                elapsed = time.monotonic() - started
            finally:
                event_recorded.register(on_event_recorded)
            ours.send("stop")
            requests = ours.recv()
            receiver.join(timeout=10)
            delivered = [
                (message_id, at)
                for message_id, verified, status, at in requests
                if verified and status and status < 300
            ]
            event_of = dict(
                WebhookDelivery.objects.filter(endpoint=endpoint).values_list(
                    "message_id", "event_id"
                )
            )
            delays = sorted(at - created[event_of[message_id]] for message_id, at in delivered)
            failed = (
                WebhookDelivery.objects.filter(endpoint=endpoint).exclude(state="succeeded").count()
            )
            WebhookFanout.objects.filter(event_id__gt=first_id).delete()
            WebhookEndpoint.objects.filter(pk=endpoint.pk).delete()
        self.stdout.write(
            f"events={events} delivered={len(delivered)} not_delivered={failed} "
            f"threads={threads} seconds={elapsed:.1f} "
            f"throughput={len(delivered) / elapsed:.0f}/s "
            f"delay_p50_ms={1000 * statistics.median(delays):.0f} "
            f"delay_p95_ms={1000 * delays[int(0.95 * (len(delays) - 1))]:.0f}"
        )

    def _deliver(self, work: queue.Queue) -> None:
        try:
            while (delivery_id := work.get()) is not None:
                services.delivery_attempt(delivery_id=delivery_id)
        finally:
            connection.close()
