"""The shell of the design system: the built assets, the shop's colours, error pages."""

from __future__ import annotations

import re

import pytest
from django.test import override_settings
from django.urls import reverse

from helpdesk import assets


def test_the_sprite_holds_every_icon_a_template_names(tmp_path):
    assets.build(tmp_path)
    sprite = (tmp_path / "icons.svg").read_text()
    used = assets.icons_used()
    assert ("outline", "inbox") in used
    assert ("outline", "brand-whatsapp") in used  # named in Python, for the channel badge
    assert ("filled", "circle") in used  # named in Python as "circle-filled": unread rows
    for style, name in used:
        assert f'id="{name}{"-filled" if style == "filled" else ""}"' in sprite
    for copied in ("tabler.min.css", "tabler.min.js", "htmx.min.js", "axe.min.js"):
        assert (tmp_path / copied).stat().st_size > 10_000
    assert (tmp_path / "tabler.min.css.map").exists()  # the manifest storage needs it


def test_an_unknown_icon_stops_the_build(tmp_path, monkeypatch):
    monkeypatch.setattr(assets, "icons_used", lambda: {("outline", "no-such-icon")})
    with pytest.raises(SystemExit, match="no-such-icon"):
        assets.build(tmp_path)


@override_settings(SHOP_COLOUR="#aa3300")
def test_the_shops_colour_becomes_the_primary_colour(client):
    response = client.get(reverse("brand-css"))
    assert response["Content-Type"].startswith("text/css")
    assert "--tblr-primary:#aa3300;--tblr-primary-rgb:170,51,0" in response.text
    assert client.post(reverse("brand-css")).status_code == 405


@override_settings(SHOP_COLOUR="red;}body{display:none")
def test_a_colour_that_is_not_one_cannot_inject_css(client):
    css = client.get(reverse("brand-css")).text
    assert "display:none" not in css
    assert "--tblr-primary:#0f766e" in css


@pytest.mark.django_db
def test_a_missing_page_looks_like_the_product(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert b"vendor/tabler.min.css" in response.content
    assert b"Page not found" in response.content
    assert b"Shop Support" in response.content


def test_a_refused_page_looks_like_the_product():
    from django.contrib.auth.models import AnonymousUser
    from django.core.exceptions import PermissionDenied
    from django.test import RequestFactory
    from django.views.defaults import permission_denied

    request = RequestFactory().get("/tickets/")
    request.user = AnonymousUser()
    response = permission_denied(request, PermissionDenied())
    assert response.status_code == 403
    assert b"Not allowed" in response.content
    assert b"vendor/tabler.min.css" in response.content


def test_the_server_error_page_needs_neither_the_database_nor_the_request():
    from django.test import RequestFactory

    from helpdesk.views import server_error

    response = server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    assert b"Something went wrong" in response.content
    assert re.search(rb'href="/static/vendor/tabler.min.css', response.content)


@pytest.mark.django_db
def test_the_admin_carries_the_shops_name(boss, client):
    html = client.get("/admin/").content.decode()
    assert "Django administration" not in html
    assert "Shop Support" in html
    assert "css/admin.css" in html
