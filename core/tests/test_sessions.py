"""Sessions read with one plain statement load what Django's database store loads."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.sessions.backends.db import SessionStore as DjangoStore
from django.contrib.sessions.models import Session
from django.urls import reverse
from django.utils import timezone

from core.sessions import SessionStore
from tickets.tests.factories import PASSWORD, make_agent

pytestmark = pytest.mark.django_db


def test_a_session_loads_as_djangos_store_loads_it():
    saved = SessionStore()
    saved.update({"cart": ["ÄÖÜ", 3], "lang": "tr"})
    saved.save()

    mine, django = SessionStore(saved.session_key), DjangoStore(saved.session_key)
    assert mine.load() == django.load() == {"cart": ["ÄÖÜ", 3], "lang": "tr"}
    assert mine.session_key == saved.session_key


@pytest.mark.parametrize("key", ["nosuchkeyatall12345", "short", "", None])
def test_an_unknown_or_malformed_key_is_an_empty_session_without_a_key(key):
    store = SessionStore(key)
    assert store.load() == {}
    assert store.session_key is None


def test_an_expired_session_signs_the_agent_out(client):
    make_agent(username="ayse")
    client.login(username="ayse", password=PASSWORD)
    assert client.get(reverse("tickets:list")).status_code == 200

    Session.objects.update(expire_date=timezone.now() - timedelta(seconds=1))
    response = client.get(reverse("tickets:list"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
