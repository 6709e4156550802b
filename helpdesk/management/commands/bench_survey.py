"""Load test of the survey answer POST through gunicorn.

Creates sent invitations, starts gunicorn with production settings on a free local port,
and fires one-click answers over keep-alive connections from an asyncio client. Reports
requests per second and p50/p95 latency as seen by the client.
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import statistics
import time
from urllib.parse import urlsplit

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from customers.models import ContactIdentity, Customer
from helpdesk.loadtest import production_server
from surveys.models import SurveyInvitation, SurveySettings
from surveys.services import survey_link


class Command(BaseCommand):
    help = "Measure survey answer POSTs per second through gunicorn on this machine."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--requests", type=int, default=5000)
        parser.add_argument("--concurrency", type=int, default=16)
        parser.add_argument("--invitations", type=int, default=500)
        # gunicorn's advice for sync workers, 2 x cores + 1 (the image runs sync workers
        # too). ``make run`` uses two workers of four threads; ``--workers 2 --threads 4``
        # measures that setup, whose threads also keep the client's connections alive.
        parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1) + 1)
        parser.add_argument("--threads", type=int, default=1)
        parser.add_argument("--json", action="store_true")

    def handle(self, *args, **options) -> None:
        paths = self._invitations(options["invitations"])
        with production_server(workers=options["workers"], threads=options["threads"]) as base:
            port = int(base.rpartition(":")[2])
            result = asyncio.run(
                self._load(port, paths, options["requests"], options["concurrency"])
            )
        result.update(workers=options["workers"], threads=options["threads"],
                      concurrency=options["concurrency"])  # fmt: skip
        if options["json"]:
            self.stdout.write(json.dumps(result))
        else:
            self.stdout.write(
                f"{result['requests']} answers in {result['seconds']} s: "
                f"{result['requests_per_second']} req/s, p50 {result['p50_ms']} ms, "
                f"p95 {result['p95_ms']} ms, errors {result['errors']} "
                f"({result['workers']} gunicorn workers of {result['threads']} threads, "
                f"{result['concurrency']} connections)"
            )

    @transaction.atomic
    def _invitations(self, count: int) -> list[str]:
        SurveySettings.current()
        prefix = f"bench-{int(time.time())}"
        customers = Customer.objects.bulk_create(
            [Customer(first_name="Bench", last_name=str(i)) for i in range(count)]
        )
        ContactIdentity.objects.bulk_create(
            [ContactIdentity(customer=c, kind="email", address=f"{prefix}-{c.pk}@example.com")
             for c in customers]
        )  # fmt: skip
        now = timezone.now()
        invitations = SurveyInvitation.objects.bulk_create(
            [SurveyInvitation(kind="csat", customer=c, state="sent", send_after=now,
                              sent_at=now - timezone.timedelta(minutes=5),
                              expires_at=now + timezone.timedelta(days=28))
             for c in customers]
        )  # fmt: skip
        return [urlsplit(survey_link(invitation=i, action=5)).path for i in invitations]

    async def _load(self, port: int, paths: list[str], total: int, concurrency: int) -> dict:
        cookie, token = await _csrf(port, paths[0])
        latencies: list[float] = []
        errors = 0
        counter = iter(range(total))

        async def client() -> None:
            nonlocal errors
            reader, writer = await asyncio.open_connection("127.0.0.1", port)
            for index in counter:
                body = f"csrfmiddlewaretoken={token}&score=5".encode()
                request = (
                    f"POST {paths[index % len(paths)]} HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    f"Cookie: csrftoken={cookie}\r\nUser-Agent: Mozilla/5.0 bench\r\n"
                    "Content-Type: application/x-www-form-urlencoded\r\n"
                    f"Content-Length: {len(body)}\r\nConnection: keep-alive\r\n\r\n"
                ).encode() + body
                started = time.perf_counter()
                writer.write(request)
                status, keep_alive = await _read_response(reader)
                latencies.append(time.perf_counter() - started)
                if status != 302:
                    errors += 1
                if not keep_alive:
                    writer.close()
                    reader, writer = await asyncio.open_connection("127.0.0.1", port)
            writer.close()

        started = time.perf_counter()
        await asyncio.gather(*(client() for _ in range(concurrency)))
        seconds = time.perf_counter() - started
        latencies.sort()
        return {
            "name": "survey answer POST",
            "requests": total,
            "errors": errors,
            "seconds": round(seconds, 2),
            "requests_per_second": round(total / seconds, 1),
            "p50_ms": round(statistics.median(latencies) * 1000, 1),
            "p95_ms": round(latencies[int(len(latencies) * 0.95) - 1] * 1000, 1),
        }


async def _read_response(reader: asyncio.StreamReader) -> tuple[int, bool]:
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    headers = {k.lower(): v.strip() for k, _, v in (line.partition(":") for line in lines[1:])}
    length = int(headers.get("content-length", "0"))
    if length:
        await reader.readexactly(length)
    return status, headers.get("connection", "").lower() != "close"


async def _csrf(port: int, path: str) -> tuple[str, str]:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".encode())
    raw = await reader.read()
    writer.close()
    text = raw.decode("utf-8", "replace")
    cookie = re.search(r"csrftoken=([A-Za-z0-9]+)", text).group(1)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', text).group(1)
    return cookie, token
