from __future__ import annotations

import re

import pytest
from django.urls import reverse

from tickets.tests.factories import PASSWORD, make_agent


@pytest.mark.django_db
def test_login_page_renders_with_a_strict_content_security_policy(client):
    response = client.get(reverse("login"))

    assert response.status_code == 200
    assert "Sign in" in response.text
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert "<script>" not in response.text  # no inline scripts anywhere


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "expected"), [("de", "Anmelden"), ("tr", "Giriş yap"), ("en", "Sign in")]
)
def test_language_switcher_changes_the_interface_language(client, language, expected):
    response = client.post(reverse("set_language"), {"language": language, "next": "/login/"})

    assert response.status_code == 302
    assert expected in client.get(reverse("login")).text


@pytest.mark.django_db
def test_agents_get_their_profile_language_until_they_switch(client):
    make_agent(username="ayse", language="tr")
    client.login(username="ayse", password=PASSWORD)

    assert "Çıkış yap" in client.get(reverse("tickets:list")).text
    client.post(reverse("set_language"), {"language": "de", "next": "/"})
    assert "Abmelden" in client.get(reverse("tickets:list")).text


@pytest.mark.django_db
def test_logout_is_a_post_and_ends_the_session(client):
    make_agent(username="ali")
    client.login(username="ali", password=PASSWORD)

    response = client.post(reverse("logout"))

    assert response.status_code == 302
    assert client.get(reverse("tickets:list")).status_code == 302


@pytest.mark.django_db
def test_the_kept_header_shows_what_changed_and_a_fresh_token(client):
    from tickets.models import Notification

    agent = make_agent(username="mia")
    client.login(username="mia", password=PASSWORD)
    first = client.get(reverse("tickets:list")).text
    assert 'class="who d-block">Mia</span>' in first
    assert 'id="notifications-count"' not in first

    Notification.objects.create(recipient=agent.user, kind="sla_at_risk", dedupe_key="one")
    agent.user.first_name = "Mia Rose"
    agent.user.save()
    client.cookies.pop("csrftoken", None)  # a new secret, so a new token
    second = client.get(reverse("tickets:list")).text
    assert 'class="who d-block">Mia Rose</span>' in second
    assert 'id="notifications-count">1</span>' in second
    tokens = set(re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', second))
    assert len(tokens) == 1  # one token for the whole page, the header's forms included
    assert f'"X-CSRFToken": "{next(iter(tokens))}"' in second
    assert tokens.isdisjoint(re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', first))


@pytest.mark.django_db
def test_a_name_that_reads_like_the_token_slot_stays_a_name(client):
    from helpdesk.templatetags.shell import _TOKEN_SLOT

    user = make_agent(username="slot").user
    user.first_name = _TOKEN_SLOT
    user.save()
    client.login(username="slot", password=PASSWORD)
    page = client.get(reverse("tickets:list")).text
    assert f'class="who d-block">{_TOKEN_SLOT}</span>' in page
    tokens = re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert len(tokens) >= 2
    assert all(re.fullmatch("[A-Za-z0-9]{64}", token) for token in tokens)
