"""The agent's day in a real browser: filter the inbox, open a ticket, see the customer's
orders, reply with a macro and a file, add an internal note, solve; the customer gets the
reply through the outbox with the placeholders filled in and the file attached."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from customers.services import customer_from_identity
from customers.tests.factories import OrderFactory, OrderItemFactory, ProductFactory
from messaging.models import OutboxMessage
from messaging.outbox import outbox_dispatch
from tests.browser import sign_in
from tickets.models import Macro, Message, Ticket
from tickets.services import ticket_open
from tickets.tests.factories import TeamFactory, TicketFactory, make_agent

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_agent_works_a_ticket_from_inbox_to_solved(page, settings):
    settings.EMAIL_BACKEND = "anymail.backends.test.EmailBackend"
    # The dispatcher runs below, in this process, so that mail.outbox sees the email; a
    # session-wide test worker must not pick the task up first.
    settings.OUTBOX_QUEUE = "browser-test-unconsumed"
    team = TeamFactory(slug="returns", name="Returns")
    make_agent(username="ali", teams=[team])
    customer, identity = customer_from_identity(
        kind="email", address="kim@example.com", display_name="Kim Weber"
    )
    OrderItemFactory(
        order=OrderFactory(customer=customer, number="ORD-4711"),
        product=ProductFactory(name="Kettle"),
    )
    ticket = ticket_open(customer=customer, subject="Kettle stopped heating",
                         body_text="It stopped after two days.", channel="email", team=team,
                         sender=identity)  # fmt: skip
    TicketFactory(team=team, status=Ticket.Status.PENDING, subject="Someone else waiting")
    Macro.objects.create(
        name="Replacement on its way",
        body="Hello {{ customer.first_name }},\n\na replacement for order {{ order.number }} "
        "is on its way.\n\n{{ agent.name }}",
    )

    sign_in(page, "ali")

    page.goto("/tickets/")
    assert page.get_by_role("link", name="Someone else waiting").is_visible()
    page.select_option("#filter-status", "new")
    page.get_by_role("link", name="Someone else waiting").wait_for(state="detached")
    assert "status=new" in page.url
    page.get_by_role("link", name="Kettle stopped heating").click()
    page.wait_for_url(f"**/tickets/{ticket.pk}/")

    sidebar = page.locator("#customer-sidebar")
    assert "ORD-4711" in sidebar.text_content()
    assert "Kettle" in sidebar.text_content()

    page.select_option("#macro-select", label="Replacement on its way")
    expect(page.locator("#reply-body")).to_have_value(re.compile("order ORD-4711"))
    page.set_input_files("#reply-attachments", files=[
        {"name": "return-label.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4 label"},
    ])  # fmt: skip
    page.click("#reply-send")
    page.locator(".timeline .message.public.out").wait_for()
    expect(page.locator(".timeline .message.public.out .attachments")).to_contain_text(
        "return-label.pdf"
    )

    page.keyboard.press("n")  # shortcut: internal note
    page.fill("#reply-body", "Customer sounded upset, offer a voucher next time.")
    page.click("#reply-send")
    page.locator(".timeline .message.internal").wait_for()

    page.select_option("#ticket-status", "solved")
    page.click("#ticket-save")
    page.locator(".timeline .event", has_text="changed the status: Open → Solved").wait_for()

    ticket.refresh_from_db()
    assert ticket.status == Ticket.Status.SOLVED
    reply = ticket.messages.get(direction=Message.Direction.OUTBOUND,
                                visibility=Message.Visibility.PUBLIC)  # fmt: skip
    assert reply.body_text.startswith("Hello Kim,")
    assert ticket.messages.filter(visibility=Message.Visibility.INTERNAL).count() == 1

    rows = list(OutboxMessage.objects.filter(ticket_id=ticket.pk))
    assert len(rows) == 1  # the internal note never goes out
    assert outbox_dispatch(outbox_id=rows[0].pk) == "sent"
    [sent] = mail.outbox
    assert sent.to == ["kim@example.com"]
    assert "Hello Kim," in sent.body
    assert "order ORD-4711 is on its way" in sent.body
    assert "Ali" in sent.body
    assert "{{" not in sent.body
    assert sent.attachments == [("return-label.pdf", b"%PDF-1.4 label", "application/pdf")]


def _ticket_for_ali(subject: str) -> Ticket:
    """A ticket from Kim in the team of Ali, an agent who can sign in."""
    team = TeamFactory(slug="returns", name="Returns")
    make_agent(username="ali", teams=[team])
    customer, identity = customer_from_identity(kind="email", address="kim@example.com")
    return ticket_open(customer=customer, subject=subject, body_text="?", channel="email",
                       team=team, sender=identity)  # fmt: skip


def test_a_formatted_email_shows_in_a_frame_where_nothing_runs(page):
    ticket = _ticket_for_ali("Photos of the kettle")
    # What nh3 removes on arrival, written straight in: the frame is the second wall.
    Message.objects.filter(ticket=ticket).update(body_html=(
        '<p id="greeting" style="color:#a00">Formatted hello</p>'
        '<img src="x" onerror="top.document.title=\'pwned\'">'
        "<script>top.document.title='pwned'</script>"
    ))  # fmt: skip
    dialogs = []
    page.on("dialog", lambda dialog: dialogs.append(dialog) or dialog.dismiss())

    sign_in(page, "ali")
    page.goto(f"/tickets/{ticket.pk}/")
    page.get_by_text("Show the email as it was formatted").click()

    frame = page.frame_locator(".timeline details.formatted iframe")
    expect(frame.locator("#greeting")).to_have_text("Formatted hello")
    page.wait_for_timeout(300)
    assert "pwned" not in page.title()
    assert dialogs == []
    # The console reports what the sandbox and the frame's CSP blocked, and nothing else.
    blocked = [e for e in page.console_errors if "/html/" in e and ("Blocked script" in e or
               "Content Security Policy" in e)]  # fmt: skip
    assert blocked
    assert blocked == page.console_errors
    page.console_errors.clear()


def test_an_unsent_draft_survives_a_reload_and_is_gone_once_sent(page):
    ticket = _ticket_for_ali("Where is my parcel?")

    sign_in(page, "ali")
    page.goto(f"/tickets/{ticket.pk}/")
    page.click("label[for=visibility-internal]")
    page.fill("#reply-body", "Courier says the parcel is in the depot")
    page.reload()

    expect(page.locator("#reply-body")).to_have_value("Courier says the parcel is in the depot")
    expect(page.locator("#visibility-internal")).to_be_checked()
    expect(page.locator("#draft-restored")).to_be_visible()
    page.click("#reply-send")
    page.locator(".timeline .message.internal").wait_for()
    page.reload()
    expect(page.locator("#reply-body")).to_have_value("")
    assert ticket.messages.filter(visibility=Message.Visibility.INTERNAL).count() == 1


def test_a_reply_no_channel_can_deliver_is_refused_in_the_composer_with_the_text_kept(page):
    team = TeamFactory(slug="returns", name="Returns")
    make_agent(username="ali", teams=[team])
    customer, identity = customer_from_identity(
        kind="phone", address="+49 151 12345678", display_name="Kim Weber"
    )
    ticket = ticket_open(customer=customer, subject="Parcel?", body_text="Where is it?",
                         channel="sms", team=team, sender=identity)  # fmt: skip

    sign_in(page, "ali")
    page.goto(f"/tickets/{ticket.pk}/")
    page.fill("#reply-body", "Your parcel leaves today, Kim.")
    page.click("#reply-send")

    expect(page.locator(".errors")).to_contain_text("no SMS connection is set up")
    expect(page.locator("#reply-body")).to_have_value("Your parcel leaves today, Kim.")
    assert not ticket.messages.filter(direction=Message.Direction.OUTBOUND).exists()
    assert not OutboxMessage.objects.exists()


def test_a_reply_and_a_status_change_update_the_whole_page_without_a_reload(page):
    ticket = _ticket_for_ali("Kettle leaks")
    assert ticket.status == Ticket.Status.NEW

    sign_in(page, "ali")
    page.goto(f"/tickets/{ticket.pk}/")
    page.evaluate("window.loadedOnce = true")  # gone if anything reloads the page
    badge = page.locator("#ticket-status-badge .status")
    listed = page.locator(f"#customer-tickets li:has(a[href='/tickets/{ticket.pk}/']) .status")
    expect(badge).to_have_text("New")
    expect(listed).to_have_text("New")

    page.fill("#reply-body", "A new kettle is on its way.")
    page.click("#reply-send")
    expect(page.locator("#toasts")).to_contain_text("Reply sent.")
    expect(badge).to_have_text("Open")
    expect(page.locator("#ticket-status")).to_have_value("open")
    expect(page.locator("#ticket-assignee option:checked")).to_have_text("Ali")  # replied: hers
    expect(listed).to_have_text("Open")

    page.select_option("#ticket-status", "solved")
    page.click("#ticket-save")
    expect(page.locator("#toasts")).to_contain_text("Saved.")
    expect(badge).to_have_text("Solved")
    expect(listed).to_have_text("Solved")
    expect(page.locator(".timeline")).to_contain_text("changed the status")
    assert page.evaluate("window.loadedOnce") is True
    ticket.refresh_from_db()
    assert ticket.status == Ticket.Status.SOLVED


def test_every_shortcut_is_listed_behind_the_question_mark(page):
    ticket = _ticket_for_ali("Where is my parcel?")
    sign_in(page, "ali")
    page.goto(f"/tickets/{ticket.pk}/")

    page.keyboard.press("?")
    overlay = page.locator("#shortcuts")
    expect(overlay).to_be_visible()
    for key in ("?", "/", "r", "n", "j", "Enter"):
        expect(overlay.locator("kbd", has_text=key).first).to_be_visible()
    expect(overlay).to_be_focused()  # the dialog took the focus once it had opened
    page.keyboard.press("Escape")
    expect(overlay).to_be_hidden()

    page.keyboard.press("n")
    expect(page.locator("#visibility-internal")).to_be_checked()
    expect(page.locator("#reply-body")).to_be_focused()
    page.keyboard.type("Called the courier")
    page.keyboard.press("Control+Enter")
    page.locator(".timeline .message.internal").wait_for()
    expect(page.locator("#visibility-public")).to_be_checked()  # back to a public reply

    page.keyboard.press("Escape")  # out of the text field, where letters are text
    page.keyboard.press("g")
    page.keyboard.press("c")
    page.wait_for_url("**/customers/")


def test_an_agent_records_a_call_from_a_new_customer_and_answers_by_email(page, settings):
    settings.EMAIL_BACKEND = "anymail.backends.test.EmailBackend"
    settings.OUTBOX_QUEUE = "browser-test-unconsumed"  # dispatched below, in this process
    team = TeamFactory(slug="returns", name="Returns", country="DE")
    make_agent(username="ali", teams=[team])

    sign_in(page, "ali")
    page.goto("/tickets/")
    page.click("#ticket-new")
    page.wait_for_url("**/tickets/new/")
    page.check("input[name=contact][value=phone]")
    page.fill("#customer-search", "Ben Arslan")
    expect(page.locator("#customer-none")).to_be_visible()  # searched first: nobody yet
    expect(page.locator("#customer-new")).to_be_checked()
    page.fill("#id_new-first_name", "Ben")
    page.fill("#id_new-last_name", "Arslan")
    page.fill("#id_new-email", "ben@example.com")
    page.fill("#id_new-phone", "030 1234567")
    page.select_option("#id_new-language", "en")
    page.fill("#id_subject", "Kettle stopped heating")
    page.fill("#id_body", "Called at 10:05: kettle dead after two days. Sending a label.")
    page.click("#ticket-create")
    page.wait_for_url(re.compile(r"/tickets/\d+/$"))

    ticket = Ticket.objects.get(subject="Kettle stopped heating")
    assert ticket.channel == "phone"
    expect(page.locator(".timeline .message.internal")).to_contain_text("Called at 10:05")
    expect(page.locator("#reply-channel")).to_have_value("email")
    page.fill("#reply-body", "Hello Ben, the return label is attached to this email.")
    page.click("#reply-send")
    page.locator(".timeline .message.public.out").wait_for()
    expect(page.locator(".timeline .message.public.out")).to_contain_text("sent via Email")
    expect(page.locator("#visibility-public")).to_be_checked()

    row = OutboxMessage.objects.get(ticket_id=ticket.pk)
    assert (row.channel, row.to) == ("email", "ben@example.com")
    assert outbox_dispatch(outbox_id=row.pk) == "sent"
    [sent] = mail.outbox
    assert sent.to == ["ben@example.com"]
    assert "the return label is attached" in sent.body
    ticket.refresh_from_db()
    assert ticket.customer.identities.filter(kind="phone", address="+49301234567").exists()
