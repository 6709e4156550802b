"""The goodwill daily limit follows the agent's own day (AgentProfile.time_zone)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from loyalty import services
from loyalty.tests.factories import make_member
from tickets.tests.factories import TeamFactory, TicketFactory, make_agent

pytestmark = pytest.mark.django_db


@pytest.fixture
def ticket():
    team = TeamFactory(slug="care", name="Care")
    return TicketFactory(team=team, customer=make_member().customer)


def agent_in(zone: str, ticket):
    profile = make_agent(username=f"agent-{zone.replace('/', '-').lower()}", teams=[ticket.team])
    profile.time_zone = zone
    profile.save(update_fields=["time_zone"])
    return profile.user


def grant(agent, ticket, points, key, now):
    return services.points_goodwill_grant(
        account=ticket.customer.loyalty_account, points=points, reason="Sorry", by=agent,
        ticket=ticket, idempotency_key=key, now=now,
    )  # fmt: skip


def fill_the_limit(agent, ticket, now, prefix):
    rules = services.rules_get()
    threshold, limit = rules.goodwill_approval_threshold, rules.goodwill_daily_limit_per_agent
    granted = 0
    while granted < limit:
        points = min(threshold, limit - granted)
        grant(agent, ticket, points, f"{prefix}-{granted}", now)
        granted += points


def test_the_limit_renews_at_the_agents_midnight_not_at_utc_midnight(ticket):
    agent = agent_in("Europe/Istanbul", ticket)  # UTC+3 all year
    late_evening = datetime(2026, 3, 10, 20, 59, tzinfo=UTC)  # 23:59 in Istanbul
    fill_the_limit(agent, ticket, late_evening, "day-1")
    with pytest.raises(services.GoodwillLimitError):
        grant(agent, ticket, 1, "over", late_evening)

    just_after_local_midnight = datetime(2026, 3, 10, 21, 0, tzinfo=UTC)  # still 10 March UTC
    assert grant(agent, ticket, 1, "new-day", just_after_local_midnight).entry is not None


def test_utc_midnight_does_not_renew_the_limit_of_an_agent_west_of_greenwich(ticket):
    agent = agent_in("America/New_York", ticket)  # UTC-5 in winter
    evening = datetime(2026, 1, 15, 23, 30, tzinfo=UTC)  # 18:30 in New York
    fill_the_limit(agent, ticket, evening, "day-1")

    after_utc_midnight = datetime(2026, 1, 16, 1, 0, tzinfo=UTC)  # 20:00, same local day
    with pytest.raises(services.GoodwillLimitError):
        grant(agent, ticket, 1, "still-today", after_utc_midnight)
    local_midnight = datetime(2026, 1, 16, 5, 0, tzinfo=UTC)  # 00:00 in New York
    assert grant(agent, ticket, 1, "tomorrow", local_midnight).entry is not None


def test_the_day_start_is_the_local_midnight_across_a_dst_change():
    from loyalty.services.goodwill import agent_day_start

    # 29 March 2026: Berlin moves from UTC+1 to UTC+2 at 01:00 UTC.
    start = agent_day_start(time_zone="Europe/Berlin", now=datetime(2026, 3, 29, 12, tzinfo=UTC))
    assert start.astimezone(UTC) == datetime(2026, 3, 28, 23, 0, tzinfo=UTC)
