"""Schemathesis against the live OpenAPI schema, over every operation of the API: no
server error, and no answer (status code, content type, headers, body) that the schema
does not describe, with a key that may do everything and with one lacking the scopes."""

from __future__ import annotations

import pytest
import schemathesis
from django.core.cache import cache
from hypothesis import HealthCheck, given, settings

from customers.tests.factories import ContactIdentityFactory, OrderFactory, ProductFactory
from tickets.tests.factories import MessageFactory, TeamFactory, TicketFactory

CHECKS = [
    schemathesis.checks.not_a_server_error,
    schemathesis.checks.status_code_conformance,
    schemathesis.checks.content_type_conformance,
    schemathesis.checks.response_headers_conformance,
    schemathesis.checks.response_schema_conformance,
]
EXAMPLES = 12


@pytest.fixture
def api_schema(db):
    """The live schema, called through the WSGI application in the test's own thread and
    transaction (as Django's test client does, requests leave the connection open)."""
    from django.core.signals import request_finished, request_started
    from django.core.wsgi import get_wsgi_application
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield schemathesis.openapi.from_wsgi("/api/schema/", get_wsgi_application())
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def rows(db, settings):
    """Some rows for the operations to find; no throttling in the way."""
    settings.API_RATE_PER_MINUTE = 100_000
    ticket = TicketFactory(team=TeamFactory())
    MessageFactory(ticket=ticket)
    ContactIdentityFactory(customer=ticket.customer)
    OrderFactory(customer=ticket.customer, number="SO-1")
    ProductFactory(sku="SKU-1")


def every_operation_checked(api_schema, key: str) -> tuple[int, list[str]]:
    """Run each operation's generated cases (Hypothesis, through Schemathesis) and
    collect every failed check; returns the number of operations and the failures."""
    failures: list[str] = []
    statuses: dict[str, set[int]] = {}
    operations = [result.ok() for result in api_schema.get_all_operations()]
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            derandomize=True,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def run(case):
            cache.clear()
            response = case.call_and_validate(
                headers={"Authorization": f"Api-Key {key}"}, checks=CHECKS
            )
            statuses.setdefault(case.operation.label, set()).add(response.status_code)

        try:
            run()
        except Exception as error:  # a failed check: collected, reported together
            failures.append(f"{operation.label}: {error}"[:3000])
    # Every operation was really called, and answered.
    assert set(statuses) == {operation.label for operation in operations}
    every_operation_checked.statuses = statuses
    return len(operations), failures


@pytest.mark.filterwarnings("ignore")
def test_every_operation_conforms_with_a_key_of_every_scope(api_schema, rows, api_client_for):
    key = api_client_for(name="schemathesis, every scope").key
    count, failures = every_operation_checked(api_schema, key)
    assert count >= 30
    assert not failures, "\n\n".join(failures)
    # With every scope, the cases get past authorisation: reads find rows, writes land.
    answered = set().union(*every_operation_checked.statuses.values())
    assert {200, 201} <= answered, every_operation_checked.statuses


@pytest.mark.filterwarnings("ignore")
def test_every_operation_conforms_with_a_key_lacking_the_scopes(api_schema, rows, api_client_for):
    key = api_client_for(scopes=["loyalty:read"], name="schemathesis, no scope").key
    count, failures = every_operation_checked(api_schema, key)
    assert count >= 30
    assert not failures, "\n\n".join(failures)
    for label, codes in every_operation_checked.statuses.items():
        if "/loyalty/" not in label:
            assert not codes & {200, 201}, (label, codes)


def test_the_schema_documents_problem_json_for_every_error(api_schema):
    raw = api_schema.raw_schema
    operations = [
        (path, method, op)
        for path, item in raw["paths"].items()
        for method, op in item.items()
        if method in ("get", "post", "patch")
    ]
    assert len(operations) >= 25
    for path, method, operation in operations:
        for code in ("400", "401", "403", "404", "429"):
            content = operation["responses"][code]["content"]
            assert list(content) == ["application/problem+json"], (path, method, code)
        if method == "post":
            params = {p["name"] for p in operation.get("parameters", [])}
            assert "Idempotency-Key" in params or path.startswith("/api/v1/loyalty/"), path


def test_swagger_ui_and_redoc_come_from_our_own_static_files(client):
    for url in ("/api/docs/", "/api/redoc/"):
        page = client.get(url).content.decode()
        assert "/static/drf_spectacular_sidecar/" in page
        assert "cdn" not in page.lower()
        assert "googleapis" not in page
        assert "<script>" not in page  # no inline script: the CSP holds
