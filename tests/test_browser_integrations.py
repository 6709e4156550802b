"""The Integrations pages and the API docs in headless Chromium: usable at 375 px, no
serious axe violation, no console error (so the CSP holds), and the docs render from
drf-spectacular-sidecar's files without a CDN."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser import sign_in
from tickets.tests.factories import make_agent
from webhooks import services
from webhooks.tests.helpers import deliver_due
from webhooks.tests.receiver import receiver_running

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
AXE = "/static/vendor/axe.min.js"


def axe_clean(page, name: str) -> None:
    page.wait_for_load_state("networkidle")
    width = page.viewport_size["width"]
    wide = page.evaluate(
        """w => [...document.querySelectorAll('body *')]
        .filter(e => e.getBoundingClientRect().right > w + 1)
        .map(e => e.tagName + '.' + e.className + '#' + e.id).slice(0, 8)""",
        width,
    )
    assert page.evaluate("document.documentElement.scrollWidth") <= width, (name, wide)
    page.add_script_tag(url=AXE)
    results = page.evaluate("""async () => (await axe.run(document, {
        resultTypes: ["violations"], runOnly: ["wcag2a", "wcag2aa", "wcag21aa", "best-practice"]
    })).violations.filter(v => ["serious", "critical"].includes(v.impact))
      .map(v => v.id + ": " + v.nodes.map(n => n.target.join(" ")).slice(0, 5).join(", "))""")
    assert results == [], f"{name}: {results}"


def test_an_admin_manages_keys_and_webhooks_on_a_phone(page):
    make_agent(username="boss", role="admin")
    page.set_viewport_size({"width": 375, "height": 800})
    sign_in(page, "boss")
    page.goto("/settings/api-keys/")
    axe_clean(page, "api keys, empty")
    page.fill("#id_name", "Shop checkout")
    page.check("input[value='tickets:write']")
    page.get_by_role("button", name="Create key").click()
    assert len(page.input_value("#new-key")) >= 40
    axe_clean(page, "api keys, created")

    with receiver_running() as receiver:
        endpoint = services.endpoint_create(
            name="ERP", url=receiver.url, event_types=["ticket.created"], by=None
        )
        receiver.secret = endpoint.secret
        from customers.tests.factories import CustomerFactory
        from tickets.services import ticket_open

        ticket_open(customer=CustomerFactory(), subject="s", body_text="t", channel="web")
        deliver_due()
    page.goto("/settings/webhooks/")
    axe_clean(page, "webhooks")
    page.get_by_role("link", name="ERP").click()
    page.locator("details.delivery summary").first.click()
    expect(page.locator(".attempt").first).to_be_visible()
    axe_clean(page, "webhook endpoint")
    page.locator("#rotate").click()
    expect(page.locator("#signing-secret")).not_to_have_value(endpoint.secret)


@pytest.mark.parametrize("url", ["/api/docs/", "/api/redoc/"])
def test_the_api_docs_render_from_our_own_files_and_nothing_leaves(browser, live_server, url):
    """Every file comes from our origin. Redoc always shows a logo from its makers' CDN;
    the CSP blocks that one request before it leaves the browser (the only console error
    allowed here), and Redoc then leaves the logo out."""
    context = browser.new_context(base_url=live_server.url)
    page = context.new_page()
    loaded, errors = [], []
    page.on("requestfinished", lambda r: loaded.append(r.url))
    page.on("console", lambda m: m.type == "error" and errors.append(m.text))
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(url)
    page.wait_for_load_state("networkidle")
    expect(page.get_by_text("Helpdesk API").first).to_be_visible(timeout=20_000)
    page.wait_for_timeout(500)
    context.close()
    assert loaded
    assert [u for u in loaded if not u.startswith((live_server.url, "data:", "blob:"))] == []
    assert [e for e in errors if "cdn.redoc.ly/redoc/logo-mini.svg" not in e] == []
