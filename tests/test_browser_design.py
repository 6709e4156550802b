"""Every main page in a real browser, in English, German and Turkish, agents' pages at
1280 px and customers' at 375 px: nothing runs off the side, no console error
(script errors, CSP violations, missing files), no serious or critical accessibility
violation found by axe-core, one date format per language, and a screenshot of each
(var/screenshots/) to look at."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.db import connection
from django.utils import timezone
from playwright.sync_api import expect

from customers.tests.factories import ContactIdentityFactory, OrderFactory, OrderItemFactory
from loyalty.links import loyalty_link_url
from loyalty.services import points_goodwill_grant
from loyalty.tests.factories import RewardFactory, make_member
from surveys.tests.helpers import links_in, path_of, send_csat, solved_ticket
from tests.browser import sign_in
from tickets.models import Message, Ticket
from tickets.tests.factories import MessageFactory, TeamFactory, TicketFactory, make_agent

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path("var/screenshots")
# The date as each language writes it ("1 Dec 2026", "1. Dez. 2026", "1 Ara 2026"), and
# the exact time on hover ("1 Dec 2026, 18:57").
DATE = {
    "en": r"\d{1,2} [A-Z][a-z]{2} \d{4}",
    "de": r"\d{1,2}\. [A-ZÄÖÜ][a-zäöü]{2,4}\.? \d{4}",
    "tr": r"\d{1,2} [A-ZÇĞİÖŞÜ][a-zçğıöşü]{2,3} \d{4}",
}
EXACT = {"en": DATE["en"] + r", \d\d:\d\d", "de": DATE["de"] + r", \d\d:\d\d",
         "tr": DATE["tr"] + r" \d\d:\d\d"}  # fmt: skip
# Dates in any other shape: US and numeric dates, "p.m.", "Dec. 1, 2026".
OTHER_DATES = re.compile(
    r"\b\d{1,2}/\d{1,2}/\d{2,4}\b|\b\d{4}-\d\d-\d\d\b|[ap]\.m\.|\b[A-Z][a-z]{2}\. \d{1,2}, \d{4}"
)
RELATIVE = {"en": r"(ago|from now|now)", "de": r"(vor|in|jetzt)", "tr": r"(önce|sonra|şimdi)"}
WELCOME = {"en": "Sign in", "de": "Anmelden", "tr": "Giriş yap"}
AXE = "/static/vendor/axe.min.js"


def _shop(language: str) -> dict:
    """A ticket with history, its customer with orders, a loyalty member, a survey link;
    numbered as in a shop that has run a while (a five-digit "#48213" in a line of text
    is what some checks judge, whatever ran before this test)."""
    with connection.cursor() as cursor:
        for table in ("tickets_ticket", "customers_customer"):
            cursor.execute("SELECT setval(pg_get_serial_sequence(%s, 'id'), 48213)", [table])
    team = TeamFactory(slug="returns", name="Returns")
    ali = make_agent(username="ali", teams=[team], language=language).user
    account = make_member(balance=1200, email="maria@example.com", language=language,
                          first_name="Maria", last_name="Schmidt")  # fmt: skip
    RewardFactory(name="5 € voucher", points_cost=500)
    customer = account.customer
    now = timezone.now()
    order = OrderFactory(customer=customer, number="ORD-1001", placed_at=now - timedelta(days=20),
                         delivered_at=now - timedelta(days=16),
                         return_window_ends_at=now + timedelta(days=3),
                         warranty_ends_at=now + timedelta(days=700))  # fmt: skip
    OrderItemFactory(order=order)
    ticket = TicketFactory(customer=customer, team=team, subject="Kettle leaks",
                           priority=Ticket.Priority.HIGH)  # fmt: skip
    MessageFactory(ticket=ticket, body_text="My kettle leaks since yesterday.")
    MessageFactory(ticket=ticket, direction=Message.Direction.OUTBOUND, body_text="Sorry!")
    Message.objects.filter(ticket=ticket).update(created_at=now - timedelta(days=9))
    TicketFactory(customer=customer, team=team, subject="Invoice copy")
    other = ContactIdentityFactory(address=f"ayse.{language}@example.com").customer
    survey_ticket = solved_ticket(other, team=team, subject="Toaster")
    other.language = language
    other.save()
    _invitation, email = send_csat(survey_ticket)
    make_agent(username="lea", role="lead", teams=[team], language=language)
    points_goodwill_grant(account=account, points=1000, reason="Kettle broke twice",
                          by=ali, ticket=ticket, idempotency_key="design")  # fmt: skip
    return {
        "ticket": ticket, "customer": customer, "survey": path_of(links_in(email)[3]),
        "loyalty": path_of(loyalty_link_url(customer=customer)),
    }  # fmt: skip


def _check(page, language: str, name: str) -> None:
    """No axe violation that is serious or critical; every date in the page's format."""
    page.wait_for_load_state("networkidle")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}-{language}.png"), full_page=True)
    assert page.locator("html").get_attribute("lang") == language
    width = page.viewport_size["width"]  # usable at this width: nothing runs off the side
    # What runs off the side, named, when something does (a long German label, say).
    wide = page.evaluate(
        """(width) => [...document.querySelectorAll('body *')]
        .filter(e => e.getBoundingClientRect().right > width + 1 || (e.clientWidth > 0
            && e.scrollWidth > e.clientWidth + 1
            && getComputedStyle(e).overflowX === 'visible'))
        .map(e => e.tagName + '.' + e.className).slice(-3)""",
        width,
    )
    assert page.evaluate("document.documentElement.scrollWidth") <= width, (name, width, wide)
    page.add_script_tag(url=AXE)  # a file from our origin: the CSP allows it, as it should
    results = page.evaluate("""async () => (await axe.run(document, {
        resultTypes: ["violations"], runOnly: ["wcag2a", "wcag2aa", "wcag21aa", "best-practice"]
    })).violations.filter(v => ["serious", "critical"].includes(v.impact))
      .map(v => v.id + ": " + v.nodes.map(n => n.target.join(" ")).slice(0, 5).join(", "))""")
    assert results == [], f"{name} ({language}): {results}"

    times = page.eval_on_selector_all(
        "time", "nodes => nodes.map(n => [n.textContent.trim(), n.title])"
    )
    for text, title in times:
        assert re.search(EXACT[language], title), (name, title)
        assert re.search(DATE[language] + "$", text) or re.search(RELATIVE[language], text), (
            name, text,
        )  # fmt: skip
    body = page.inner_text("body")
    assert not OTHER_DATES.search(body), (name, OTHER_DATES.search(body))


@pytest.mark.parametrize("language", ["en", "de", "tr"])
def test_every_main_page_is_clean_accessible_and_dated_one_way(
    page, live_server, settings, language
):
    settings.DEV_MAILBOX = True
    shop = _shop(language)
    page.set_viewport_size({"width": 1280, "height": 800})  # agents' pages on a laptop

    page.context.add_cookies([{"name": "django_language", "value": language,
                               "url": live_server.url}])  # fmt: skip
    page.goto("/login/")
    expect(page.get_by_role("heading", name=WELCOME[language])).to_be_visible()
    _check(page, language, "login")

    sign_in(page, "ali")
    page.goto("/tickets/?view=all")
    _check(page, language, "inbox")
    page.goto(f"/tickets/{shop['ticket'].pk}/")
    _check(page, language, "ticket")
    page.goto(f"/customers/{shop['customer'].pk}/")
    _check(page, language, "customer")
    page.goto("/dev/mailbox/")  # the survey email, formatted, in its frame
    page.locator("iframe.dev-mail-html").first.wait_for()
    _check(page, language, "dev-mailbox")
    page.goto("/tickets/new/?q=maria")
    _check(page, language, "ticket-new")
    page.click("#user-menu")
    page.locator("form.logout button").click()
    page.wait_for_url("**/login/**")
    sign_in(page, "lea")  # a lead, with a goodwill grant of Ali's waiting
    page.goto("/tickets/approvals/")
    page.locator("#approvals-table").wait_for()
    _check(page, language, "approvals")
    page.click("#user-menu")
    page.locator("form.logout button").click()
    page.wait_for_url("**/login/**")

    page.set_viewport_size({"width": 375, "height": 740})  # customers' pages on a phone
    page.goto(shop["survey"])
    page.locator(".survey").wait_for()
    _check(page, language, "survey")
    page.goto(shop["loyalty"])
    page.locator(".loyalty-account").wait_for()
    _check(page, language, "loyalty")
    page.goto("/loyalty/")
    _check(page, language, "loyalty-program")
    response = page.goto("/no-such-page/")
    assert response.status == 404
    expect(page.get_by_role("link", name=re.compile(".+"))).to_have_attribute("href", "/")
    _check(page, language, "not-found")
    # The browser logs the 404 of the page itself; that one is what was asked for.
    page.console_errors[:] = [e for e in page.console_errors if "status of 404" not in e
                              or "/no-such-page/" not in e]  # fmt: skip
