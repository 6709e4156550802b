"""Customer pages in a real browser: find a customer as you type, keep a note, add the
phone number they called from, record that they want no more surveys, and merge the
duplicate their second email address made:
the duplicate's order and ticket show on the one customer afterwards."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from customers.models import Customer
from customers.services import customer_from_identity
from customers.tests.factories import OrderFactory
from surveys.models import SurveyOptOut
from tests.browser import sign_in
from tickets.tests.factories import TeamFactory, TicketFactory, make_agent

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_agent_finds_notes_extends_and_merges_a_customer(page):
    team = TeamFactory(slug="returns", name="Returns")
    make_agent(username="ali", teams=[team])
    kim, _identity = customer_from_identity(kind="email", address="kim@example.com",
                                            display_name="Kim Weber")  # fmt: skip
    dupe, _identity = customer_from_identity(kind="email", address="kim.weber@work.example",
                                             display_name="Kim Weber")  # fmt: skip
    OrderFactory(customer=dupe, number="ORD-9001")
    TicketFactory(customer=dupe, team=team, subject="Invoice for the toaster")

    sign_in(page, "ali")

    page.goto("/customers/")
    page.fill("#customer-search", "kim@exa")  # results follow the typing, no submit
    expect(page.locator("#customer-results tbody tr")).to_have_count(1)
    page.get_by_role("link", name="Kim Weber").click()
    page.wait_for_url(f"**/customers/{kim.pk}/")

    page.fill("#customer-note-body", "Travelling until the 12th")
    page.get_by_role("button", name="Add note").click()
    expect(page.locator("#customer-notes")).to_contain_text("Travelling until the 12th")

    page.select_option("#identity-kind", "phone")
    page.fill("#identity-address", "call me maybe")
    page.get_by_role("button", name="Add contact").click()
    expect(page.locator("#customer-identities [role=alert]")).to_contain_text("phone number")
    page.fill("#identity-address", "+49 30 555 0101")
    page.get_by_role("button", name="Add contact").click()
    expect(page.locator("#customer-identities")).to_contain_text("+49305550101")

    page.select_option("#consent-purpose", "surveys")
    page.select_option("#consent-granted", "no")
    page.fill("#consent-source", "asked on the phone")
    page.get_by_role("button", name="Record").click()
    expect(page.locator("#customer-consents")).to_contain_text("asked on the phone")

    page.fill("#merge-duplicate", f"#{dupe.pk}")
    page.locator("#merge-duplicate").press("Enter")
    expect(page.locator(".flash")).to_contain_text(f"Customer #{dupe.pk} merged")
    expect(page.locator("main")).to_contain_text("ORD-9001")
    expect(page.locator("main")).to_contain_text("Invoice for the toaster")
    expect(page.locator("main")).to_contain_text("kim.weber@work.example")
    assert Customer.objects.get(pk=dupe.pk).merged_into_id == kim.pk
    assert SurveyOptOut.objects.filter(customer=kim).exists()
