"""The agent shell in a real browser: sign in, see the team's tickets, switch language."""

from __future__ import annotations

import pytest

from tickets.tests.factories import PASSWORD, MessageFactory, TeamFactory, TicketFactory, make_agent

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_agent_signs_in_opens_a_ticket_and_switches_to_german(page):
    team = TeamFactory(slug="returns", name="Returns")
    make_agent(username="ali", teams=[team])
    ticket = MessageFactory(
        ticket=TicketFactory(team=team, subject="Kettle stopped heating"),
        body_text="It stopped after two days.",
    ).ticket

    page.goto("/")
    assert page.url.endswith("/login/")
    page.fill("#id_username", "ali")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit].primary")

    page.get_by_role("link", name="Kettle stopped heating").click()
    assert page.url.endswith(f"/tickets/{ticket.pk}/")
    assert "It stopped after two days." in page.text_content(".timeline")

    page.click("#language-menu")
    page.get_by_role("button", name="Deutsch").click()
    page.wait_for_selector("html[lang=de]")
    page.click("#user-menu")
    assert page.get_by_role("button", name="Abmelden").is_visible()

    page.get_by_role("button", name="Abmelden").click()
    assert "/login/" in page.url
