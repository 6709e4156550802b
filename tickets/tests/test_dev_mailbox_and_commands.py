"""The development mailbox, the MTA pipe command and the IMAP poller."""

from __future__ import annotations

import io
import sys

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from customers.tests.factories import ContactIdentityFactory
from messaging.channels.email.imap import STORED_FLAG, imap_poll
from messaging.models import InboundPayload, OutboxMessage
from messaging.outbox import outbox_enqueue
from messaging.types import FileData
from tickets.services import ticket_reply
from tickets.tests.email_helpers import eml
from tickets.tests.factories import PASSWORD, TicketFactory, make_agent

pytestmark = pytest.mark.django_db


@pytest.fixture
def lead_client(client):
    make_agent(username="lena", role="lead")
    client.login(username="lena", password=PASSWORD)
    return client


def test_dev_mailbox_lists_emails_with_rendered_bodies_and_clickable_links(lead_client, settings):
    settings.DEV_MAILBOX = True
    email = outbox_enqueue(to="kim@example.com", subject="Your survey",
                           text="Rate us at https://shop.example/s/abc",
                           html='<p style="color:#0f766e">Hi <b>Kim</b></p>'
                           "<script>alert(1)</script>")  # fmt: skip

    response = lead_client.get("/dev/mailbox/")
    formatted = lead_client.get(f"/dev/mailbox/{email.pk}/html/")

    assert response.status_code == 200
    body = response.content.decode()
    assert "Your survey" in body
    assert '<a href="https://shop.example/s/abc"' in body
    # The formatted email sits in a sandboxed frame with a CSP of its own: the page
    # keeps its own CSP without inline styles, and nothing in the email runs.
    assert f'src="/dev/mailbox/{email.pk}/html/"' in body
    assert 'sandbox="allow-popups' in body
    html = formatted.content.decode()
    assert '<p style="color:#0f766e">Hi <b>Kim</b></p>' in html
    assert "<script>" not in html
    assert "sandbox" in formatted["Content-Security-Policy"]
    assert "script-src" not in formatted["Content-Security-Policy"]  # default-src 'none'
    assert formatted["X-Frame-Options"] == "SAMEORIGIN"
    settings.DEV_MAILBOX = False
    assert lead_client.get(f"/dev/mailbox/{email.pk}/html/").status_code == 404


def test_dev_mailbox_names_the_files_a_reply_carries(lead_client, settings):
    settings.DEV_MAILBOX = True
    ticket = TicketFactory()
    ContactIdentityFactory(customer=ticket.customer, address="kim@example.com")
    lead = get_user_model().objects.get(username="lena")
    ticket_reply(ticket=ticket, by=lead, text="Label attached", attachments=[
        FileData(filename="label.pdf", content_type="application/pdf", content=b"%PDF"),
    ])  # fmt: skip

    body = lead_client.get("/dev/mailbox/").content.decode()

    assert "label.pdf" in body


def test_dev_mailbox_does_not_exist_outside_a_local_setup(lead_client, settings):
    settings.DEBUG = True  # debug mode alone does not open it
    settings.DEV_MAILBOX = False

    assert lead_client.get("/dev/mailbox/").status_code == 404


def test_dev_mailbox_is_open_to_every_agent_with_debug_off_as_under_make_run(client, settings):
    settings.DEBUG = False
    settings.DEV_MAILBOX = True
    make_agent(username="ali")  # an agent, not staff of the admin site
    client.login(username="ali", password=PASSWORD)

    assert client.get("/dev/mailbox/").status_code == 200


def test_dev_mailbox_is_closed_to_anyone_else(client, settings):
    settings.DEV_MAILBOX = True
    assert client.get("/dev/mailbox/").status_code == 302  # to the sign-in page
    get_user_model().objects.create_user(username="visitor", password=PASSWORD)
    client.login(username="visitor", password=PASSWORD)

    assert client.get("/dev/mailbox/").status_code == 403


def test_ingest_email_reads_one_message_from_stdin(monkeypatch):
    raw = eml("plain.eml")
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(raw)))
    out = io.StringIO()

    call_command("ingest_email", stdout=out)
    call_command("ingest_email", stdin=io.TextIOWrapper(io.BytesIO(raw)), stdout=out)

    row = InboundPayload.objects.get()
    assert bytes(row.raw) == raw
    assert row.source == InboundPayload.Source.PIPE
    assert out.getvalue().split() == ["stored", str(row.pk), "duplicate", str(row.pk)]


class FakeImap:
    """Stands in for imapclient.IMAPClient (no IMAP server in the test environment)."""

    def __init__(self, messages: dict[int, bytes]):
        self.messages = messages
        self.flags: dict[int, list[bytes]] = {}
        self.moved: list[int] = []

    def select_folder(self, folder):
        self.folder = folder

    def search(self, criteria):
        return [uid for uid in self.messages if STORED_FLAG not in self.flags.get(uid, [])]

    def fetch(self, uids, parts):
        return {uid: {b"BODY[]": self.messages[uid]} for uid in uids}

    def add_flags(self, uids, flags):
        for uid in uids:
            self.flags.setdefault(uid, []).extend(flags)

    def move(self, uids, folder):
        self.moved.extend(uids)

    def logout(self):
        pass


def test_imap_poll_stores_then_flags_and_a_second_poll_finds_nothing_new(settings):
    settings.IMAP_MAILBOXES = {"support": "imaps://u:p@imap.example.com/INBOX"}
    fake = FakeImap({1: eml("plain.eml"), 2: eml("html_only.eml")})

    assert imap_poll(mailbox="support", connect=lambda url: (fake, "INBOX", None)) == 2
    assert imap_poll(mailbox="support", connect=lambda url: (fake, "INBOX", None)) == 0

    assert InboundPayload.objects.filter(source="imap").count() == 2
    assert all(STORED_FLAG in flags for flags in fake.flags.values())


def test_imap_poll_can_move_stored_messages(settings):
    settings.IMAP_MAILBOXES = {"support": "imaps://u:p@imap.example.com/INBOX?move_to=Done"}
    fake = FakeImap({7: eml("plain.eml")})

    imap_poll(mailbox="support", connect=lambda url: (fake, "INBOX", "Done"))

    assert fake.moved == [7]


def test_imap_poll_skips_a_mailbox_another_poll_holds(settings):
    import redis

    settings.IMAP_MAILBOXES = {"support": "imaps://u:p@imap.example.com/INBOX"}
    lock = redis.Redis.from_url(settings.REDIS_URL).lock("helpdesk:imap:support", timeout=30)
    assert lock.acquire(blocking=False)
    try:
        fake = FakeImap({1: eml("plain.eml")})
        assert imap_poll(mailbox="support", connect=lambda url: (fake, "INBOX", None)) == 0
        assert not InboundPayload.objects.exists()
    finally:
        lock.release()


def test_outbox_rows_are_listed_in_the_admin(admin_client):
    outbox_enqueue(to="kim@example.com", subject="Hello", text="x")

    assert admin_client.get("/admin/messaging/outboxmessage/").status_code == 200
    assert admin_client.get("/admin/messaging/quarantine/").status_code == 200
    assert OutboxMessage.objects.count() == 1
