"""The signed-in request's user comes with its agent profile, as the ORM loads them."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.auth import StaffModelBackend
from core.models import AgentProfile
from tickets.tests.factories import make_agent

pytestmark = pytest.mark.django_db


def _values(obj) -> dict:
    return {field.attname: getattr(obj, field.attname) for field in obj._meta.concrete_fields}


def test_the_user_and_profile_are_those_the_orm_loads_in_one_statement():
    profile = make_agent(username="ayse", language="tr", role=AgentProfile.Role.LEAD)
    with CaptureQueriesContext(connection) as queries:
        user = StaffModelBackend().get_user(profile.user_id)
        assert user.agent_profile.role == AgentProfile.Role.LEAD
    assert len(queries) == 1
    loaded = get_user_model().objects.select_related("agent_profile").get(pk=profile.user_id)
    assert _values(user) == _values(loaded)
    assert _values(user.agent_profile) == _values(loaded.agent_profile)
    assert user.agent_profile.user is user
    assert not user._state.adding
    assert user.get_session_auth_hash() == loaded.get_session_auth_hash()


def test_a_user_without_a_profile_has_none_and_asks_nothing_more():
    clerk = get_user_model().objects.create_user(username="clerk", password="x")
    user = StaffModelBackend().get_user(clerk.pk)
    with CaptureQueriesContext(connection) as queries:
        assert not hasattr(user, "agent_profile")
    assert len(queries) == 0


def test_unknown_and_inactive_users_are_nobody():
    inactive = get_user_model().objects.create_user(username="gone", is_active=False)
    assert StaffModelBackend().get_user(inactive.pk) is None
    assert StaffModelBackend().get_user(987654) is None
