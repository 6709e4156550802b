"""Measure inbound email throughput: parse + thread + store, in this one process.

Run it against a scratch database, it writes real rows (and the audit trail is
append-only), for example:
    DATABASE_URL=postgres://…/helpdesk_bench python manage.py migrate
    DATABASE_URL=postgres://…/helpdesk_bench python manage.py bench_inbound --messages 2000
"""

from __future__ import annotations

import time
import uuid

from django.core.management.base import BaseCommand
from django.db import transaction

from messaging.channels.email.parse import email_parse
from messaging.inbound import inbound_process, raw_digest
from messaging.models import InboundPayload, OutboxMessage

BUDGET = 150.0  # messages per second per worker process (ARCHITECTURE.md)

PLAIN = """From: {name} <{sender}>\r
To: support@shop.example\r
Subject: {subject}\r
Message-ID: <{uid}@bench.example>\r
{threading}MIME-Version: 1.0\r
Content-Type: multipart/alternative; boundary="b{uid}"\r
\r
--b{uid}\r
Content-Type: text/plain; charset=utf-8\r
\r
Hallo,\r
meine Bestellung ORD-{n} ist beschädigt angekommen. Bitte um Ersatz.\r
\r
Viele Grüße\r
{name}\r
\r
Am 20.11.2026 schrieb Support <support@shop.example>:\r
> Wie können wir helfen?\r
--b{uid}\r
Content-Type: text/html; charset=utf-8\r
\r
<p>Hallo,</p><p>meine Bestellung <b>ORD-{n}</b> ist beschädigt angekommen.</p>\r
<script>alert(1)</script><blockquote>Wie können wir helfen?</blockquote>\r
--b{uid}--\r
"""


class Command(BaseCommand):
    help = "Benchmark parse + thread + store of inbound email (messages per second)."

    def add_arguments(self, parser):
        parser.add_argument("--messages", type=int, default=1000)
        parser.add_argument("--senders", type=int, default=200)
        parser.add_argument(
            "--warmup", type=int, default=20,
            help="messages processed first, unmeasured: a worker process is long-lived, and "
            "its first messages pay for imports, holiday tables and configuration reads",
        )  # fmt: skip

    def handle(self, *args, messages: int, senders: int, warmup: int, **options):
        for n in range(warmup):
            raw = self._raw(n, senders, threading="").replace(b"bench", b"warmup")
            with transaction.atomic():
                row = InboundPayload.objects.create(
                    source=InboundPayload.Source.PIPE, origin="bench",
                    dedupe_key=f"sha256:{raw_digest(raw)}", raw_sha256=raw_digest(raw), raw=raw,
                    size=len(raw),
                )  # fmt: skip
            inbound_process(inbound_id=row.pk)
        raws = []
        for n in range(messages):
            raws.append(self._raw(n, senders, threading=""))
        parse_seconds = 0.0
        for raw in raws[: min(500, len(raws))]:
            started = time.perf_counter()
            email_parse(raw)
            parse_seconds += time.perf_counter() - started
        parse_rate = min(500, len(raws)) / parse_seconds if parse_seconds else 0.0

        elapsed = receive_elapsed = cpu = 0.0
        threaded = 0
        last_ack: dict[str, str] = {}
        for n in range(messages):
            sender = f"bench{n % senders}@example.com"
            reply_to = last_ack.get(sender, "")
            raw = self._raw(n, senders, threading=(
                f"In-Reply-To: {reply_to}\r\nReferences: {reply_to}\r\n" if reply_to else ""
            ))  # fmt: skip
            threaded += bool(reply_to)
            started = time.perf_counter()
            # The receiving side (webhook, IMAP, pipe) stores the raw bytes ...
            with transaction.atomic():
                row = InboundPayload.objects.create(
                    source=InboundPayload.Source.PIPE, origin="bench",
                    dedupe_key=f"sha256:{raw_digest(raw)}", raw_sha256=raw_digest(raw), raw=raw,
                    size=len(raw),
                )  # fmt: skip
            stored, cpu_started = time.perf_counter(), time.process_time()
            # ... and the worker parses, threads and stores the message.
            inbound_process(inbound_id=row.pk)
            done = time.perf_counter()
            cpu += time.process_time() - cpu_started
            receive_elapsed += stored - started
            elapsed += done - stored
            if not reply_to:
                ack = (
                    OutboxMessage.objects.filter(to=sender, kind="ack")
                    .order_by("-pk")
                    .values_list("message_id_header", flat=True)
                    .first()
                )
                if ack:
                    last_ack[sender] = ack
        rate = messages / elapsed if elapsed else 0.0
        both = messages / (elapsed + receive_elapsed) if elapsed else 0.0
        self.stdout.write(
            f"raw store (receiving side):  {messages / receive_elapsed:8.1f} messages/s\n"
            f"parse only:                  {parse_rate:8.1f} messages/s\n"
            f"raw store + worker, serial:  {both:8.1f} messages/s\n"
            f"worker parse+thread+store:   {rate:8.1f} messages/s "
            f"({messages} messages, {threaded} threaded replies, {elapsed:.2f} s; "
            f"budget {BUDGET:.0f}/s: {'met' if rate >= BUDGET else 'NOT met'})\n"
            # On a busy machine the wall clock counts other processes' turns too.
            f"worker CPU in this process:  {cpu * 1000 / messages:8.2f} ms per message "
            f"(the database's own work not counted)"
        )

    @staticmethod
    def _raw(n: int, senders: int, threading: str) -> bytes:
        sender = f"bench{n % senders}@example.com"
        return PLAIN.format(
            name=f"Kunde {n % senders}", sender=sender, subject=f"Bestellung ORD-{n} beschädigt",
            uid=uuid.uuid4().hex, n=n, threading=threading,
        ).encode()  # fmt: skip
