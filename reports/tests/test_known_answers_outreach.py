"""Outreach on the dashboard: sent and replied worked out by hand for a known week (the
13th to the 19th of November 2026, Berlin) and the week before it."""

from __future__ import annotations

from datetime import timedelta

import pytest

from customers.tests.factories import CustomerFactory
from messaging.models import OutboxMessage
from outreach.models import Outreach
from outreach.outcomes import outreach_outcomes
from reports.dashboard import dashboard_build
from reports.periods import Scope
from reports.tests.fixtures import at, office_team, week_period
from tickets.models import Message, Ticket
from tickets.tests.factories import TicketFactory

pytestmark = pytest.mark.django_db


def sent(kind: str, when, *, customer=None, read: bool = False) -> Outreach:
    customer = customer or CustomerFactory()
    outbox = OutboxMessage.objects.create(
        to=f"c{customer.pk}@example.com", text="t", customer=customer, kind=f"outreach_{kind}",
        message_id_header=f"<{kind}-{customer.pk}-{when.timestamp()}@example.com>",
        state="sent", sent_at=when, delivery="read" if read else "",
    )  # fmt: skip
    return Outreach.objects.create(
        kind=kind, state="sent", cause=f"{kind}:{customer.pk}:{when.isoformat()}",
        customer=customer, send_after=when, sent_at=when, outbox_id=outbox.pk,
    )  # fmt: skip


def wrote(customer, when) -> Ticket:
    """The customer opened a ticket (its first message is inbound) at ``when``."""
    row = TicketFactory(customer=customer)
    Ticket.objects.filter(pk=row.pk).update(created_at=when)
    message = Message.objects.create(ticket=row, direction="in", visibility="public",
                                     channel="email", body_text="Where is it?")  # fmt: skip
    Message.objects.filter(pk=message.pk).update(created_at=when)
    return row


@pytest.fixture
def outreach_week():
    """This week: five sent (a win-back answered the next day, a delay notice followed
    by a ticket two days later, a thank-you answered ten days later: too late, an
    incident notice read and never followed by a ticket, a back-in-stock notice). One
    skipped and one scheduled count for nothing. The week before: two sent, one answered."""
    office_team("Berlin")
    win_back = sent("win_back", at(13, 10))
    wrote(win_back.customer, at(14, 9))
    delay = sent("shipment_delay", at(16, 11))
    wrote(delay.customer, at(18, 15))
    thanks = sent("thank_you", at(17, 12))
    wrote(thanks.customer, at(27, 12))
    sent("incident", at(18, 9), read=True)
    sent("back_in_stock", at(19, 23))  # 23:00 Berlin on the 19th: still this week
    Outreach.objects.create(kind="win_back", state="skipped", cause="s", customer=CustomerFactory(),
                            send_after=at(15, 9), skip_reason="consent")  # fmt: skip
    Outreach.objects.create(kind="win_back", cause="later", customer=CustomerFactory(),
                            send_after=at(16, 9))  # fmt: skip
    before = sent("thank_you", at(8, 10))
    wrote(before.customer, at(9, 10))
    sent("back_in_stock", at(10, 10))


def kpis(sections):
    return {k.key: k for s in sections for k in s.kpis}


def test_outreach_sent_and_replied_on_the_dashboard(outreach_week):
    figures = kpis(dashboard_build(period=week_period(), scope=Scope(None), now=at(25, 12)))
    assert figures["outreach_sent"].available
    assert figures["outreach_sent"].value == 5
    assert figures["outreach_sent"].previous == 2
    # Replied within seven days: the win-back and the delay notice (the customer wrote,
    # even if to open a ticket); the thank-you's answer came too late.
    assert figures["outreach_replied"].value == 40.0
    assert figures["outreach_replied"].previous == 50.0


def test_outreach_figures_are_shop_wide_only(outreach_week):
    from core.models import Team

    team = Team.objects.get(slug="berlin")
    figures = kpis(dashboard_build(period=week_period(), scope=Scope((team.pk,)), now=at(25, 12)))
    assert not figures["outreach_sent"].available
    assert figures["outreach_sent"].value is None


def test_outcomes_per_kind(outreach_week):
    period = week_period()
    outcomes = outreach_outcomes(since=period.since, until=period.until, now=at(25, 12))
    assert set(outcomes) == {"win_back", "shipment_delay", "thank_you", "incident",
                             "back_in_stock"}  # fmt: skip
    assert outcomes["incident"]["opened"] == 1
    assert sum(o["opened"] for o in outcomes.values()) == 1
    assert outcomes["win_back"]["replied"] == 1
    assert outcomes["thank_you"]["replied"] == 0
    # Fourteen days have not passed since either notice on the 25th: still open.
    assert outcomes["shipment_delay"]["avoided_pending"] == 1
    assert outcomes["incident"]["ticket_avoided"] == 0
    # Three weeks on, both are decided: the delay brought a ticket, the incident none.
    later = outreach_outcomes(
        since=period.since, until=period.until, now=at(30, 12) + timedelta(days=10)
    )
    assert later["shipment_delay"] == {**later["shipment_delay"], "ticket_avoided": 0,
                                       "avoided_decided": 1, "avoided_pending": 0}  # fmt: skip
    assert later["incident"]["ticket_avoided"] == 1
    assert later["back_in_stock"]["avoided_decided"] == 0  # not a kind that avoids tickets


def test_the_dashboard_reads_outreach_in_one_query(outreach_week, django_assert_num_queries):
    from outreach.outcomes import outreach_totals

    period = week_period()
    with django_assert_num_queries(1):
        outreach_totals(since=period.since, until=period.until,
                        previous_since=period.previous_since, now=at(25, 12))  # fmt: skip
