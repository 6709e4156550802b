"""A lead's dashboard in a real browser, on the demo shop's history: change the period
and the team, see the charts drawn from the tables, follow a number into the inbox
filtered to the tickets it counts, and export a table as CSV."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from playwright.sync_api import expect

from tests.browser import sign_in
from tickets.tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
AXE = "/static/vendor/axe.min.js"


def _axe_clean(page) -> None:
    page.add_script_tag(url=AXE)
    violations = page.evaluate("""async () => (await axe.run(document, {
        resultTypes: ["violations"], runOnly: ["wcag2a", "wcag2aa", "wcag21aa"]
    })).violations.filter(v => ["serious", "critical"].includes(v.impact)).map(v => v.id)""")
    assert violations == []


def test_lead_dashboard_charts_links_and_csv(page, live_server, settings):
    call_command("seed_demo", tickets=150, stdout=StringIO())
    lead = get_user_model().objects.get(username="lead")
    lead.set_password(PASSWORD)
    lead.save()
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in(page, "lead")
    page.click("#nav-reports")
    expect(page.get_by_role("heading", name="Dashboard")).to_be_visible()
    page.select_option("#f-period", "90")  # changing the period reloads the page
    page.wait_for_url("**period=90**")
    canvas = page.locator("#chart-volume_by_day")
    expect(canvas).to_have_attribute("data-rendered", "3")
    team = page.locator("#f-team option").nth(1)
    page.select_option("#f-team", team.get_attribute("value"))
    page.click("#f-apply")
    page.wait_for_url("**team=**")
    expect(page.locator("#chart-volume_by_day")).to_have_attribute("data-rendered", "3")
    _axe_clean(page)
    created = page.locator("#kpi-created a.kpi-link")
    count = int(created.inner_text())
    assert count > 0
    with page.expect_download() as download:
        page.click("#export-volume_by_day")
    text = Path(download.value.path()).read_text(encoding="utf-8-sig")
    assert len(text.splitlines()[0].split(",")) == 4  # day, created, solved, reopened
    assert sum(int(line.split(",")[1]) for line in text.splitlines()[1:]) == count
    created.click()
    page.wait_for_url("**/tickets/**created_from=**")
    expect(page.locator("tr[data-ticket]")).to_have_count(min(count, 50))
    # At a phone's width the dashboard still fits.
    page.set_viewport_size({"width": 375, "height": 800})
    page.go_back()
    page.wait_for_load_state("networkidle")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
