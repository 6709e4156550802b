from __future__ import annotations

import importlib

import pytest
from django.apps import apps

from tickets.models import SlaPolicy
from tickets.tests.factories import PASSWORD, TeamFactory, make_agent


@pytest.fixture
def sla_policies(db):
    """The SLA policies every shop starts with (the migration creates them; a test that
    commits, with ``transaction=True``, flushes them for the tests after it)."""
    if not SlaPolicy.objects.exists():
        importlib.import_module("tickets.migrations.0005_sla").default_policies(apps, None)
    return SlaPolicy.objects.all()


@pytest.fixture
def team(db):
    return TeamFactory(slug="returns", name="Returns", country="DE")


@pytest.fixture
def ali(client, team):
    """An agent of ``team``, signed in on ``client``."""
    user = make_agent(username="ali", teams=[team]).user
    client.login(username="ali", password=PASSWORD)
    return user
