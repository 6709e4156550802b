"""A lead declares an incident for one product in the browser, checks the preview, sends
it, and the affected customers' notices reach the development mailbox in their
languages; closing the incident sends the resolution notices."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from core.models import AgentProfile
from customers.tests.factories import OrderFactory, OrderItemFactory, ProductFactory
from messaging.models import OutboxMessage
from outreach import services
from outreach.tests.helpers import customer_with_email
from tests.browser import sign_in
from tests.test_browser_design import _check
from tickets.tests.factories import TeamFactory, make_agent

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _sweep() -> None:
    """What the beat sweep does on a worker every minute."""
    for pk in services.outreach_due_ids():
        services.outreach_send(outreach_id=pk)


@pytest.mark.parametrize("width", [1280, 375])
def test_lead_declares_previews_sends_and_closes_an_incident(page, settings, width):
    settings.DEV_MAILBOX = True
    page.set_viewport_size({"width": width, "height": 800})
    make_agent(username="lena", role=AgentProfile.Role.LEAD, teams=[TeamFactory(slug="care")])
    kettle, toaster = ProductFactory(name="Kettle K1"), ProductFactory(name="Toaster T2")
    for language, product in (("en", kettle), ("de", kettle), ("tr", kettle), ("en", toaster)):
        order = OrderFactory(customer=customer_with_email(language, first_name=language.upper()))
        OrderItemFactory(order=order, product=product)

    sign_in(page, "lena")
    page.goto("/outreach/incidents/")
    _check(page, "en", f"incidents-{width}")
    page.fill("#id_title", "Kettle lids may crack")
    page.fill("#id_message", "Some lids of the K1 kettle crack when hot.")
    page.select_option("#id_products", label="Kettle K1")
    page.get_by_role("button", name="Preview who is affected").click()
    expect(page.locator(".affected-count")).to_have_text("3 customers are affected.")
    expect(page.locator(".affected-sample li")).to_have_count(3)
    _check(page, "en", f"incident-preview-{width}")
    assert OutboxMessage.objects.count() == 0  # nothing is sent by previewing

    page.get_by_role("button", name="Send the notices").click()
    expect(page.locator(".incident-progress")).to_be_visible()
    _sweep()
    notices = OutboxMessage.objects.filter(kind="outreach_incident")
    assert sorted(notices.values_list("language", flat=True)) == ["de", "en", "tr"]
    page.goto("/dev/mailbox/")
    expect(page.get_by_text("We want you to know: Kettle lids may crack").first).to_be_visible()

    page.goto("/outreach/incidents/")
    page.get_by_role("link", name="Kettle lids may crack").click()
    page.fill("#id_resolution", "We send every affected customer a new lid.")
    page.get_by_role("button", name="Close the incident and tell customers").click()
    expect(page.locator(".incident-resolution")).to_contain_text("new lid")
    _sweep()
    resolved = OutboxMessage.objects.filter(kind="outreach_incident_resolved")
    assert sorted(resolved.values_list("language", flat=True)) == ["de", "en", "tr"]
    page.goto("/dev/mailbox/")
    expect(page.get_by_text("Resolved: Kettle lids may crack").first).to_be_visible()
    assert page.console_errors == []
