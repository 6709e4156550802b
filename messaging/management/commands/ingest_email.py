"""Read one raw RFC 822 message from standard input (an MTA pipe) and store it."""

from __future__ import annotations

import sys

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from messaging.inbound import inbound_store
from messaging.models import InboundPayload


class Command(BaseCommand):
    help = "Store one raw email from standard input and queue it for parsing."
    stealth_options = ("stdin",)

    def add_arguments(self, parser):
        parser.add_argument("--origin", default="pipe", help="A label for where it came from.")

    def handle(self, *args, origin: str, **options):
        source = options.get("stdin") or sys.stdin
        stream = getattr(source, "buffer", source)
        raw = stream.read(settings.INBOUND_MAX_BYTES + 1)
        if isinstance(raw, str):
            raw = raw.encode("utf-8", errors="surrogateescape")
        if not raw.strip():
            raise CommandError("no message on standard input")
        row, created = inbound_store(raw=raw, source=InboundPayload.Source.PIPE, origin=origin)
        self.stdout.write(f"{'stored' if created else 'duplicate'} {row.pk}")
