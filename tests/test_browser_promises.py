"""Promises in a real browser: an agent types a promise in German, the composer proposes
it with the right due time, one click records it and the ticket shows it. The clock is
then moved for the sweeps, which run in this process (the live server's) with an
explicit ``now``, since a patched clock cannot reach other processes: the owner is
reminded (the bell), and as nothing was done the promise shows as broken. On a second
ticket the agent replies in time and it shows as kept."""

from __future__ import annotations

import re
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from playwright.sync_api import expect

from customers.services import customer_from_identity
from tests.browser import sign_in
from tickets.models import Notification, Promise
from tickets.promises.services import promises_sweep
from tickets.services import ticket_open
from tickets.tests.factories import TeamFactory, make_agent

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
BERLIN = ZoneInfo("Europe/Berlin")
AXE = "/static/vendor/axe.min.js"


def _german_ticket(team, subject):
    customer, identity = customer_from_identity(
        kind="email", address=f"{subject.lower()}@example.de", display_name="Jana Weber"
    )
    customer.language = "de"
    customer.save(update_fields=["language"])
    return ticket_open(customer=customer, subject=subject, channel="email", team=team,
                       body_text="Mein Wasserkocher ist kaputt.", sender=identity)  # fmt: skip


def _promise_in_composer(page, ticket, text) -> str:
    """Type ``text`` into the reply, wait for the proposal, confirm it; its due value."""
    page.goto(f"/tickets/{ticket.pk}/")
    page.locator("#reply-body").press_sequentially(text, delay=15)
    proposal = page.locator("#composer-assist .proposal").first
    proposal.wait_for()
    due = proposal.locator("input[name=due]").input_value()
    proposal.locator(".confirm-promise").click()
    expect(page.locator("#ticket-promises .promise[data-state=open]")).to_have_count(1)
    expect(proposal.locator(".recorded")).to_be_visible()
    return due


def _axe(page) -> None:
    """axe-core on what this feature adds: the composer, its assistant, the promises."""
    page.add_script_tag(url=AXE)
    results = page.evaluate("""async () => (await axe.run(
      {include: [["#composer"], ["#composer-assist"], ["#ticket-promises"]]}, {
        resultTypes: ["violations"], runOnly: ["wcag2a", "wcag2aa", "wcag21aa", "best-practice"]
    })).violations.filter(v => ["serious", "critical"].includes(v.impact))
      .map(v => v.id + ": " + v.nodes.map(n => n.target.join(" ")).slice(0, 5).join(", "))""")
    assert results == []


def test_a_promise_typed_in_german_is_reminded_then_broken_and_one_kept(page):
    team = TeamFactory(slug="kundenservice", name="Kundenservice", time_zone="Europe/Berlin")
    make_agent(username="ali", teams=[team])
    first = _german_ticket(team, "Wasserkocher")
    second = _german_ticket(team, "Toaster")
    sign_in(page, "ali")

    due = _promise_in_composer(page, first, "Wir rufen Sie morgen um 12 Uhr an.")
    tomorrow = datetime.now(BERLIN).date() + timedelta(days=1)
    assert due == datetime.combine(tomorrow, time(12)).strftime("%Y-%m-%dT%H:%M")
    listed = page.locator("#ticket-promises .promise").first
    expect(listed).to_contain_text("Wir rufen Sie an")
    # Tone advice on the way (no greeting); taking it puts the greeting in.
    advice = page.locator(".tone-advice [data-rule=no_greeting]")
    expect(advice).to_be_visible()
    _axe(page)
    # At 375 px what this feature adds fits its column (nothing in it needs more room).
    page.set_viewport_size({"width": 375, "height": 800})
    for selector in ("#composer-assist .assist", "#ticket-promises"):
        assert page.eval_on_selector(selector, "e => e.scrollWidth <= e.clientWidth"), selector
    page.set_viewport_size({"width": 1280, "height": 900})
    advice.locator(".tone-apply").click()
    expect(page.locator("#reply-body")).to_have_value(re.compile(r"^Hallo Jana,\n\nWir rufen"))
    page.click("#reply-send")
    page.locator(".timeline .message.public.out").wait_for()
    promise = Promise.objects.get(ticket=first)
    assert promise.state == "open"  # the reply that makes a promise does not keep it

    # Half an hour before it is due: the owner is reminded, in the header's bell.
    promises_sweep(now=promise.due_at - timedelta(minutes=30))
    assert Notification.objects.filter(kind="promise.due_soon").count() == 1
    page.reload()
    expect(page.locator("#notifications-count")).to_have_text("1")
    page.click("#notifications-toggle")
    expect(page.locator("#notifications-list")).to_contain_text("Your promise on #")

    # Meanwhile the agent promises on the second ticket and replies again in time.
    _promise_in_composer(page, second, "Wir melden uns morgen bis 12 Uhr.")
    page.click("#reply-send")
    page.locator(".timeline .message.public.out").wait_for()
    page.fill("#reply-body", "Hallo Jana, wie versprochen: Ihr Ersatz ist unterwegs.")
    page.click("#reply-send")
    expect(page.locator(".timeline .message.public.out")).to_have_count(2)
    expect(page.locator("#ticket-promises .promise[data-state=kept]")).to_have_count(1)

    # Nothing was done on the first ticket: past the due time and the grace, it is broken.
    late = promise.due_at + timedelta(minutes=settings.PROMISE_BROKEN_AFTER_MINUTES + 1)
    assert promises_sweep(now=late)["broken"] == 1
    page.goto(f"/tickets/{first.pk}/")
    broken = page.locator("#ticket-promises .promise[data-state=broken]")
    expect(broken).to_contain_text("Nothing was done on the ticket by the due time.")
    page.goto(f"/tickets/{second.pk}/")
    expect(page.locator("#ticket-promises .promise[data-state=kept]")).to_have_count(1)
