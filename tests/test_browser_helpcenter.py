"""The help center in a real browser: a customer's search, vote and contact form end to
end (the ticket in the routed team's inbox, the acknowledgement sent by a real worker in
the customer's language), deflection counted for a suggestion opened without a message,
and a lead writing, previewing and publishing an article in German and Turkish that a
visitor then finds. Customer pages at 375 px, checked by axe."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from core.models import AgentProfile
from helpcenter.models import ArticleTranslation, ArticleVote, ContactSubmission
from helpcenter.selectors import deflection_stats
from helpcenter.tests.factories import corpus, section_make
from messaging.models import OutboxMessage
from tests.browser import sign_in
from tests.processes import wait_for
from tests.test_browser_design import _check
from tickets.models import RoutingRule, Ticket
from tickets.tests.factories import TeamFactory, make_agent

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _phone(page) -> None:
    page.set_viewport_size({"width": 375, "height": 740})


@pytest.mark.worker
def test_a_customer_searches_votes_and_writes_and_the_ticket_arrives(
    page, live_server, settings, celery_worker_process
):
    settings.HELPCENTER_CONTACT_MIN_SECONDS = 1
    TeamFactory(slug="general", name="General", is_default=True)
    returns = TeamFactory(slug="returns", name="Returns")
    RoutingRule.objects.create(channel="web", address="web:return", team=returns)
    agent = make_agent(username="rita", teams=[returns]).user
    articles = corpus(by=make_agent(username="lena", role=AgentProfile.Role.LEAD).user)
    _phone(page)

    page.goto("/help/")
    page.wait_for_url("**/help/en/")
    page.click("#help-language-de")
    page.wait_for_url("**/help/de/")
    _check(page, "de", "help-home")
    page.fill("#help-q", "Rücksednung")  # misspelt
    page.click("#help-search-button")
    first = page.locator(".search-results li").first
    expect(first.locator("mark").first).to_be_visible()
    _check(page, "de", "help-search")
    first.locator("a").click()
    page.wait_for_url(f"**/help/de/a/{articles['returns']['de'].slug}/")
    _check(page, "de", "help-article")
    page.fill("#vote-comment", "Wo finde ich das Etikett?")
    page.click("#vote-no")
    expect(page.locator(".vote-thanks")).to_be_visible()
    vote = ArticleVote.objects.get()
    assert (vote.helpful, vote.comment) == (False, "Wo finde ich das Etikett?")

    page.goto("/help/de/contact/")
    _check(page, "de", "help-contact")
    page.fill("#id_name", "Anna Schmidt")
    page.fill("#id_email", "anna@example.de")
    page.select_option("#id_topic", "return")
    page.fill("#id_subject", "Wasserkocher zurück")
    page.fill("#id_message", "Ich möchte meinen Wasserkocher zurückschicken, er ist defekt.")
    page.wait_for_timeout(1200)  # a person takes longer than the minimum fill time
    page.click("#contact-send")
    page.wait_for_url("**/help/de/contact/sent/")
    _check(page, "de", "help-contact-sent")

    ticket = wait_for(lambda: Ticket.objects.filter(channel="web").first(), timeout=30,
                      what="the contact-form ticket")  # fmt: skip
    assert ticket.team == returns
    ack = wait_for(lambda: OutboxMessage.objects.filter(kind="ack", state="sent",
                                                        ticket_id=ticket.pk).first(),
                   timeout=30, what="the acknowledgement being sent")  # fmt: skip
    assert (ack.to, ack.language) == ("anna@example.de", "de")
    assert ack.subject.startswith("Ihre Nachricht ist bei uns")

    page.set_viewport_size({"width": 1280, "height": 800})
    sign_in(page, agent.username)
    page.goto(f"/tickets/?view=none&team={returns.pk}")
    expect(page.locator(f"tr[data-ticket='{ticket.pk}']")).to_contain_text("Wasserkocher zurück")


def test_a_suggestion_opened_without_a_message_counts_as_deflected(page, live_server):
    articles = corpus()
    _phone(page)
    page.goto("/help/de/contact/")
    page.fill("#id_message", "Rücksendung")  # typed like a person, one key at a time
    suggestion = page.locator("#suggestions a.suggestion").first
    expect(suggestion).to_have_text(articles["returns"]["de"].title)
    with page.context.expect_page() as opened:
        suggestion.click()
    article = opened.value
    article.wait_for_load_state()
    assert f"/help/de/a/{articles['returns']['de'].slug}/" in article.url
    article.close()
    assert not ContactSubmission.objects.exists()  # the customer did not write
    now = timezone.now()
    stats = deflection_stats(since=now - timedelta(hours=1), until=now + timedelta(hours=1),
                             now=now + timedelta(hours=25))  # fmt: skip
    assert (stats["opened"], stats["deflected"], stats["rate"]) == (1, 1, 1.0)


def test_a_lead_writes_previews_and_publishes_and_a_visitor_finds_it(page, live_server):
    section_make()
    make_agent(username="lena", role=AgentProfile.Role.LEAD)
    page.set_viewport_size({"width": 1280, "height": 800})
    sign_in(page, "lena")
    page.goto("/help/staff/")
    page.click("#article-new")
    page.select_option("#id_language", "de")
    page.select_option("#id_section", index=1)
    page.fill("#id_title", "Gutschein einlösen")
    page.fill("#id_body", "So lösen Sie einen **Gutschein** ein:\n\n1. Code eingeben\n2. Fertig")
    page.click("#article-create")
    page.wait_for_url("**/help/staff/*/de/")
    page.click("#article-preview-button")
    expect(page.locator("#article-preview strong")).to_have_text("Gutschein")
    _check(page, "en", "help-editor")
    page.click("#article-publish")
    expect(page.locator("#article-status")).to_have_text("Published")

    page.click("#edit-language-tr")
    page.fill("#id_title", "Hediye çeki kullanma")
    page.fill("#id_body", "**Hediye çekinizi** ödeme sırasında girin.")
    page.click("#article-preview-button")
    expect(page.locator("#article-preview strong")).to_have_text("Hediye çekinizi")
    page.click("#article-publish")
    expect(page.locator("#article-status")).to_have_text("Published")
    assert ArticleTranslation.objects.filter(status="published").count() == 2

    visitor = page.context.browser.new_context(base_url=live_server.url)
    tab = visitor.new_page()
    tab.set_viewport_size({"width": 375, "height": 740})
    for language, query, title in [("de", "Gutschein", "Gutschein einlösen"),
                                   ("tr", "hediye çeki", "Hediye çeki kullanma")]:  # fmt: skip
        tab.goto(f"/help/{language}/search/?q={query}")
        tab.locator(".search-results a").first.click()
        expect(tab.locator("h1")).to_have_text(title)
    visitor.close()
