"""Fixtures of the customer pages' tests."""

from __future__ import annotations

import pytest

from tickets.tests.factories import PASSWORD, make_agent


@pytest.fixture
def agent_client(client):
    make_agent(username="ayse")
    client.login(username="ayse", password=PASSWORD)
    return client
