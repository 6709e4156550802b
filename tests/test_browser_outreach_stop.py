"""A customer follows the stop link of a proactive email in a real browser, on a phone:
the page asks first, one press stops that kind, no console error (the CSP holds) and no
serious axe violation (a changed link's page is tested without a browser: its 404
would count as a console error here)."""

from __future__ import annotations

import pytest

from outreach.models import OutreachOptOut
from outreach.rules import stop_token
from outreach.tests.helpers import customer_with_email
from tests.test_browser_integrations import axe_clean

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_stop_page_on_a_phone(page):
    customer = customer_with_email("tr")
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(f"/outreach/stop/{stop_token(customer_id=customer.pk, kind='win_back')}/")
    assert page.locator("html").get_attribute("lang") == "tr"
    axe_clean(page, "stop page")
    assert not OutreachOptOut.objects.exists()
    page.locator(".outreach-stop button[type=submit]").click()
    page.get_by_role("status").wait_for()
    axe_clean(page, "stopped page")
    assert OutreachOptOut.objects.get(customer=customer).kind == "win_back"
