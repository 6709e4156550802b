"""Steps the browser tests share."""

from __future__ import annotations

from tickets.tests.factories import PASSWORD


def sign_in(page, username: str) -> None:
    """Sign a staff member in through the login form, as they would."""
    page.goto("/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit].primary")
    page.wait_for_url(lambda url: "/login/" not in url)
