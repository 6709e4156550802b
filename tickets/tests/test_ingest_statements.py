"""Inbound mail must stay cheap in round trips: the worker's budget is 150 messages per
second (ARCHITECTURE.md), and each SQL statement is a round trip to the database. These
bounds are today's counts; a change that adds a statement per message fails here and has
to say why it needs one."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from messaging.inbound import inbound_process, inbound_store
from messaging.models import InboundPayload, OutboxMessage
from tickets.models import Ticket
from tickets.tests.email_helpers import compose

pytestmark = pytest.mark.django_db

# Inside the test's transaction the worker's BEGIN/COMMIT are a savepoint and its release,
# so these are the production counts: a new ticket from a new customer 17, a reply 9, a
# known customer's new ticket (acknowledged already within the interval) 10.
NEW_TICKET_STATEMENTS = 17
REPLY_STATEMENTS = 9
KNOWN_CUSTOMER_NEW_TICKET_STATEMENTS = 10


def _store(raw: bytes) -> int:
    row, _created = inbound_store(raw=raw, source=InboundPayload.Source.PIPE, origin="test")
    return row.pk


def _statements(inbound_id: int) -> int:
    with CaptureQueriesContext(connection) as context:
        inbound_process(inbound_id=inbound_id)
    return len(context.captured_queries)


def test_a_new_ticket_and_a_reply_take_a_bounded_number_of_statements():
    # The first message of a process reads the configuration (routing, SLA, staff); a
    # long-lived worker has it cached after that.
    inbound_process(inbound_id=_store(compose(sender="first@example.com", body="warm")))

    new = _statements(_store(compose(sender="Kim Lee <kim@example.com>", subject="Broken zip",
                                     message_id="<m1@example.com>", body="help")))  # fmt: skip
    ack = OutboxMessage.objects.get(to="kim@example.com", kind="ack")
    reply = _statements(_store(compose(sender="kim@example.com", subject="Re: Broken zip",
                                       message_id="<m2@example.com>", body="more",
                                       in_reply_to=ack.message_id_header)))  # fmt: skip

    again = _statements(_store(compose(sender="kim@example.com", subject="Another thing",
                                       message_id="<m3@example.com>", body="new")))  # fmt: skip

    ticket, other = Ticket.objects.filter(customer__identities__address="kim@example.com").order_by(
        "pk"
    )
    assert ticket.messages.count() == 2  # the reply threaded
    assert other.messages.count() == 1
    assert new <= NEW_TICKET_STATEMENTS, new
    assert reply <= REPLY_STATEMENTS, reply
    assert again <= KNOWN_CUSTOMER_NEW_TICKET_STATEMENTS, again
