"""The per-process copies of rarely changing configuration, and how a change reaches them."""

from __future__ import annotations

from unittest import mock

import pytest
from django.core.cache import cache
from django.db import transaction

from core.config_cache import VERSION_KEY, config_cached, config_changed, config_snapshot
from core.models import Team
from core.staff import staff_address_is
from tickets.tests.factories import make_agent

pytestmark = pytest.mark.django_db


class Builds:
    """A build function that counts its calls and returns the team names it read."""

    def __init__(self) -> None:
        self.calls = 0

    def __call__(self) -> tuple[str, ...]:
        self.calls += 1
        return tuple(Team.objects.order_by("name").values_list("name", flat=True))


def test_a_copy_is_read_once_until_a_committed_change(django_capture_on_commit_callbacks):
    build = Builds()
    assert config_cached("teams", build) == ()
    assert config_cached("teams", build) == ()
    assert build.calls == 1
    before = cache.get(VERSION_KEY)
    with django_capture_on_commit_callbacks(execute=True):
        Team.objects.create(name="Returns", slug="returns")
    assert cache.get(VERSION_KEY) != before  # every other process builds afresh
    assert config_cached("teams", build) == ("Returns",)
    assert config_cached("teams", build) == ("Returns",)
    assert build.calls == 2


def test_another_process_committing_a_change_drops_this_process_copy():
    build = Builds()
    config_cached("teams", build)
    Team.objects.bulk_create([Team(name="Sales", slug="sales")])  # no signal here
    assert config_cached("teams", build) == ()  # the copy, as designed
    cache.incr(VERSION_KEY)  # what the other process publishes after its commit
    assert config_cached("teams", build) == ("Sales",)


def test_writes_without_signals_announce_themselves(django_capture_on_commit_callbacks):
    build = Builds()
    config_cached("teams", build)
    with django_capture_on_commit_callbacks(execute=True):
        Team.objects.bulk_create([Team(name="Sales", slug="sales")])
        config_changed()
    assert config_cached("teams", build) == ("Sales",)


def test_the_changing_transaction_reads_its_own_rows_and_a_rollback_leaves_nothing():
    build = Builds()
    config_cached("teams", build)
    seen = []

    def draft_rolled_back() -> None:
        with transaction.atomic():
            Team.objects.create(name="Draft", slug="draft")
            seen.extend([config_cached("teams", build), config_cached("teams", build)])
            raise RuntimeError("rolled back")

    with pytest.raises(RuntimeError):
        draft_rolled_back()
    assert seen == [("Draft",), ("Draft",)]
    # The test's own transaction is still open: nothing was published, and the rows the
    # rollback removed are not served from a copy.
    assert config_cached("teams", build) == ()


def test_without_the_shared_cache_every_read_goes_to_the_database():
    build = Builds()
    with mock.patch.object(cache, "get", side_effect=ConnectionError("redis is down")):
        assert config_cached("teams", build) == ()
        Team.objects.bulk_create([Team(name="Sales", slug="sales")])
        assert config_cached("teams", build) == ("Sales",)
    assert build.calls == 2


def test_a_snapshot_reads_the_shared_version_once():
    build = Builds()
    with mock.patch.object(cache, "get", wraps=cache.get) as get, config_snapshot():
        for _n in range(5):
            config_cached("teams", build)
            config_cached("others", build)
    assert get.call_count == 1
    assert build.calls == 2


def test_a_staff_address_is_known_at_once_and_a_login_is_not_a_change(
    client, django_capture_on_commit_callbacks
):
    assert not staff_address_is("ali@shop.example")
    with django_capture_on_commit_callbacks(execute=True):
        agent = make_agent(username="ali").user
    assert staff_address_is(" ALI@shop.example ")
    version = cache.get(VERSION_KEY)
    with django_capture_on_commit_callbacks(execute=True):
        client.force_login(agent)  # saves last_login
    assert cache.get(VERSION_KEY) == version
    with django_capture_on_commit_callbacks(execute=True):
        agent.email = "ali.k@shop.example"
        agent.save()
    assert not staff_address_is("ali@shop.example")
    assert staff_address_is("ali.k@shop.example")
