"""A search that runs away is cancelled by the statement timeout and the page asks to
narrow it down, within the timeout, instead of hanging or answering 500."""

from __future__ import annotations

import time

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.querylimits import QueryTooSlowError, statement_timeout
from tickets.tests.factories import PASSWORD, TeamFactory, TicketFactory, make_agent

pytestmark = pytest.mark.django_db


def _slow_searches(execute, sql, params, many, context):
    """Make every full-text search take two seconds, as a term matching a third of a
    million tickets might on a cold cache: the sleep runs in the same transaction, under
    the same timeout, as the search itself."""
    if ("search_vector" in sql and "@@" in sql) or "istartswith" in sql or "LIKE" in sql:
        context["cursor"].execute("SELECT pg_sleep(2)")
    return execute(sql, params, many, context)


@pytest.fixture
def agent_client(client):
    team = TeamFactory()
    make_agent(username="ali", teams=[team])
    TicketFactory(team=team, subject="Broken kettle")
    client.login(username="ali", password=PASSWORD)
    return client


def current_timeout() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SHOW statement_timeout")
        return cursor.fetchone()[0]


def test_a_slow_inbox_search_says_narrow_your_search_within_the_timeout(agent_client, settings):
    settings.INBOX_STATEMENT_TIMEOUT_MS = 300
    before = current_timeout()
    with connection.execute_wrapper(_slow_searches):
        started = time.monotonic()
        response = agent_client.get(reverse("tickets:list"), {"q": "kettle"})
        elapsed = time.monotonic() - started
    assert response.status_code == 200
    assert b"Narrow your search" in response.content
    assert elapsed < 1.5  # cancelled at 0.3 s, not the 2 s the search would take
    assert current_timeout() == before  # the limit did not outlive the request
    # The same search, no longer slow, finds the ticket on the same connection.
    found = agent_client.get(reverse("tickets:list"), {"q": "kettle"})
    assert b"Broken kettle" in found.content
    assert b"Narrow your search" not in found.content


def test_the_activity_poll_and_the_htmx_rows_survive_a_slow_query(agent_client, settings):
    settings.INBOX_STATEMENT_TIMEOUT_MS = 300
    with connection.execute_wrapper(_slow_searches):
        htmx = {"HX-Request": "true", "HX-Target": "inbox-rows"}
        rows = agent_client.get(reverse("tickets:list"), {"q": "kettle"}, headers=htmx)
        poll = agent_client.get(reverse("tickets:news"),
                                {"q": "kettle", "since": "2026-01-01T00:00:00+00:00"})  # fmt: skip
    assert rows.status_code == 200
    assert b"Narrow your search" in rows.content
    assert poll.status_code == 200


def test_a_slow_customer_search_says_so_too(agent_client, settings):
    settings.INBOX_STATEMENT_TIMEOUT_MS = 300
    with connection.execute_wrapper(_slow_searches):
        response = agent_client.get(reverse("customers:list"), {"q": "Kaya"})
    assert response.status_code == 200
    assert b"Narrow your search" in response.content


def test_the_limit_is_restored_after_a_block_that_finished():
    before = current_timeout()
    with statement_timeout(5000):
        assert current_timeout() == "5s"
    assert current_timeout() == before
    with pytest.raises(QueryTooSlowError), statement_timeout(50), connection.cursor() as cursor:
        cursor.execute("SELECT pg_sleep(1)")
    assert current_timeout() == before


@pytest.mark.django_db(transaction=True)
def test_outside_a_transaction_the_limit_ends_with_the_block():
    before = current_timeout()
    with statement_timeout(5000):
        assert current_timeout() == "5s"
    assert current_timeout() == before


@pytest.mark.django_db(transaction=True)
def test_outside_a_transaction_a_slow_search_is_cancelled_with_no_extra_round_trips(settings):
    """As a page runs in production (autocommit): the limit travels with each statement,
    so the search costs no transaction or setting of its own, and a search that runs
    away is still cancelled within the limit."""
    team = TeamFactory()
    make_agent(username="ali", teams=[team])
    TicketFactory(team=team, subject="Broken kettle")
    client = Client()
    client.login(username="ali", password=PASSWORD)
    settings.INBOX_STATEMENT_TIMEOUT_MS = 300
    before = current_timeout()
    with CaptureQueriesContext(connection) as captured:
        found = client.get(reverse("tickets:list"), {"q": "kettle"})
    assert b"Broken kettle" in found.content
    statements = [query["sql"] for query in captured.captured_queries]
    assert not [sql for sql in statements if "set_config" in sql]  # no setting of its own
    assert next(sql for sql in statements if "@@" in sql).startswith(
        "SET LOCAL statement_timeout = '300ms'; "
    )
    with connection.execute_wrapper(_slow_searches):
        started = time.monotonic()
        response = client.get(reverse("tickets:list"), {"q": "kettle"})
        elapsed = time.monotonic() - started
    assert response.status_code == 200
    assert b"Narrow your search" in response.content
    assert elapsed < 1.5
    assert current_timeout() == before
