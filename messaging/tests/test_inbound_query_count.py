"""Bound the SQL statements one inbound email costs, so a slower ingest path fails a test.

The worker's budget is 150 messages per second (ARCHITECTURE.md); every statement is a
round trip, so the count is the load-independent figure to guard. The bounds are the
counts measured today; lower them when a change removes statements.
"""

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from messaging.inbound import inbound_process, raw_digest
from messaging.management.commands.bench_inbound import Command
from messaging.models import InboundPayload, OutboxMessage

pytestmark = pytest.mark.django_db

NEW_TICKET_MAX = 24
REPLY_MAX = 12


def _ingest(n: int, threading: str) -> int:
    raw = Command._raw(n, 7, threading=threading)
    with transaction.atomic():
        row = InboundPayload.objects.create(
            source=InboundPayload.Source.PIPE, origin="test",
            dedupe_key=f"sha256:{raw_digest(raw)}", raw_sha256=raw_digest(raw), raw=raw,
            size=len(raw),
        )  # fmt: skip
    with CaptureQueriesContext(connection) as captured:
        inbound_process(inbound_id=row.pk)
    return len(captured.captured_queries)


def test_statements_per_new_ticket_and_reply_are_bounded():
    _ingest(0, "")  # first message of a process fills the configuration cache
    assert _ingest(1, "") <= NEW_TICKET_MAX
    ack = (
        OutboxMessage.objects.filter(kind="ack")
        .order_by("-pk")
        .values_list("message_id_header", flat=True)
        .first()
    )
    assert ack
    assert _ingest(1, f"In-Reply-To: {ack}\r\nReferences: {ack}\r\n") <= REPLY_MAX
