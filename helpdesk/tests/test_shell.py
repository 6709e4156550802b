from __future__ import annotations

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
