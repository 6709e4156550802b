"""An agent thanks a customer with goodwill points from a ticket; the customer sees them
behind their magic link."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from loyalty.links import loyalty_link_token
from loyalty.tests.factories import make_member
from tests.browser import sign_in
from tickets.tests.factories import TeamFactory, TicketFactory, make_agent


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_an_agent_grants_goodwill_points_and_the_customer_sees_them(page):
    team = TeamFactory(slug="care", name="Care")
    make_agent(username="sam", teams=[team])
    account = make_member(language="de", first_name="Jonas")
    ticket = TicketFactory(team=team, customer=account.customer, subject="Parcel arrived late")

    sign_in(page, "sam")
    page.goto(reverse("tickets:detail", args=[ticket.pk]))
    panel = page.locator(".loyalty-panel")
    expect(panel.get_by_test_id("loyalty-balance")).to_have_text("0")
    panel.get_by_label("Points").fill("40")
    panel.get_by_label("Reason (the customer sees it)").fill("Sorry for the late parcel")
    panel.get_by_role("button", name="Grant goodwill points").click()

    expect(panel.get_by_role("status")).to_have_text("40 points granted.")
    expect(panel.get_by_test_id("loyalty-balance")).to_have_text("40")

    page.context.clear_cookies()  # the customer has no staff session
    page.goto(reverse("loyalty:account", args=[loyalty_link_token(customer=account.customer)]))
    expect(page.get_by_role("heading", level=1)).to_have_text("Ihre Punkte, Jonas")
    expect(page.get_by_test_id("balance")).to_have_text("40")
    expect(page.locator("table.ledger")).to_contain_text("Sorry for the late parcel")
    expect(page.locator("html")).to_have_attribute("lang", re.compile("^de"))
