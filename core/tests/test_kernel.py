"""The kernel: event kinds each app declares, hooks, and staff access."""

from __future__ import annotations

import pytest

from core.access import is_lead, leads_of, staff_scope, staff_scope_sql
from core.events import event_kind, event_kinds_told
from core.hooks import Hook, HookMissingError
from tickets.models import Ticket
from tickets.tests.factories import TeamFactory, TicketFactory, make_agent


def test_each_app_declares_the_kinds_its_timeline_tells():
    told = set(event_kinds_told())

    # Every app that records events declares its own (none is named in tickets).
    assert {"ticket.status_changed", "survey.answered", "loyalty.earn", "outbox.failed"} <= told
    assert "outbox.sent" not in told  # plumbing stays in the audit log
    assert event_kind("survey.answered").by_customer
    closed = event_kind("ticket.closed")
    assert str(closed.label_for({"reason": "auto"})) == "closed the ticket after a quiet period"
    assert str(closed.label_for({})) == "closed the ticket"


def test_a_hook_calls_its_providers_in_order_and_one_provider_hook_needs_one():
    hook = Hook("test.hook")
    with pytest.raises(HookMissingError):
        hook.call_one()
    hook.register(lambda value: value + 1)
    second = hook.register(lambda value: value * 10)
    hook.register(second)  # idempotent

    assert hook.call_all(2) == [3, 20]
    assert hook.call_one(2) == 20  # the last registered is the one
    hook.unregister(second)
    assert hook.call_all(2) == [3]


@pytest.mark.django_db
def test_staff_scope_and_lead_checks_follow_roles_and_teams():
    returns, orders = TeamFactory(slug="returns"), TeamFactory(slug="orders")
    agent = make_agent(username="ali", teams=[returns]).user
    lead = make_agent(username="lena", role="lead", teams=[returns]).user
    admin = make_agent(username="root", role="admin").user
    mine, theirs = TicketFactory(team=returns), TicketFactory(team=orders)
    assigned = TicketFactory(team=orders, assignee=agent)

    def visible(user):
        queryset = staff_scope(Ticket.objects.all(), user=user, team="team", assignee="assignee")
        return set(queryset.values_list("pk", flat=True))

    assert visible(agent) == {mine.pk, assigned.pk}
    assert visible(admin) == {mine.pk, theirs.pk, assigned.pk}
    assert not is_lead(agent)
    assert is_lead(lead, team_id=returns.pk)
    assert not is_lead(lead, team_id=orders.pk)
    assert is_lead(admin, team_id=orders.pk)
    assert [p.user for p in leads_of(team_id=returns.pk)] == [lead]
    assert [p.user for p in leads_of(team_id=orders.pk)] == [admin]  # no lead: an admin


@pytest.mark.django_db
def test_the_sql_scope_lets_each_user_see_what_the_queryset_scope_does():
    """``staff_scope_sql`` (reads made with core.rows) and ``staff_scope`` are one rule."""
    from django.contrib.auth import get_user_model
    from django.db import connection

    returns, orders = TeamFactory(slug="returns"), TeamFactory(slug="orders")
    agent = make_agent(username="ali", teams=[returns]).user
    teamless = make_agent(username="tom").user
    users = [agent, teamless, make_agent(username="lena", role="lead", teams=[orders]).user,
             make_agent(username="root", role="admin").user,
             get_user_model().objects.create_user("guest")]  # fmt: skip
    TicketFactory(team=returns), TicketFactory(team=orders), TicketFactory(team=None)
    TicketFactory(team=orders, assignee=agent), TicketFactory(team=None, assignee=teamless)

    def by_sql(user):
        scope = staff_scope_sql(user=user, team="t.team_id", assignee="t.assignee_id")
        if scope is None:
            return set()
        condition, params = scope
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT t.id FROM tickets_ticket t WHERE {condition}", params)  # noqa: S608
            return {pk for (pk,) in cursor.fetchall()}

    for user in users:
        queryset = staff_scope(Ticket.objects.all(), user=user, team="team", assignee="assignee")
        assert by_sql(user) == set(queryset.values_list("pk", flat=True)), user.username
    assert by_sql(teamless)  # the ticket assigned to them
