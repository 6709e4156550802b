"""Malformed, oversized, duplicated and hostile input to the ticket pages: a clear error
or a harmless no-op, never a server error, and nothing the agent wrote is lost."""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse

from core.models import Event
from core.params import ids_param, int_param
from customers.tests.factories import ContactIdentityFactory, CustomerFactory
from messaging.models import OutboxMessage
from messaging.tests.outbox_helpers import outbox_deliver_queued
from messaging.types import content_type_clean, filename_clean
from tickets.models import Attachment, Message, SavedView, Tag, Ticket
from tickets.tests.factories import PASSWORD, MessageFactory, TeamFactory, TicketFactory, make_agent
from tickets.views.inbox import BULK_MAX
from tickets.views.ticket import REPLY_MAX_LENGTH

pytestmark = pytest.mark.django_db

# Each of these has broken a helpdesk somewhere: digits int() refuses, numbers PostgreSQL
# refuses, NUL bytes, markup, SQL, impossible dates, full-width digits, and sheer length.
HOSTILE = [
    "", " ", "abc", "-1", "0", "1.5", "1e5", "²", "１２", "٣", "99999999999999999999999",
    "9223372036854775808", "x\x00y", "<script>alert(1)</script>", "1;DROP TABLE tickets_ticket",
    "2026-13-40T00:00:00~5", "2026-01-01T00:00:00~99999999999999999999", "%00", "~~~", "ü" * 300,
]  # fmt: skip
INBOX_KEYS = ["view", "status", "priority", "channel", "team", "assignee", "tag", "customer",
              "q", "sort", "size", "after"]  # fmt: skip


@pytest.fixture
def world(client):
    team = TeamFactory(slug="returns")
    agent = make_agent(username="ayse", teams=[team]).user
    customer = CustomerFactory(first_name="Kim")
    ContactIdentityFactory(customer=customer, address="kim@example.com")
    ticket = TicketFactory(team=team, customer=customer, subject="Broken kettle")
    MessageFactory(ticket=ticket, sender=customer.identities.get())
    client.login(username="ayse", password=PASSWORD)
    return client, ticket, agent


def test_numbers_are_plain_ascii_digits_in_range():
    assert int_param("42") == 42
    assert int_param(" 7 ") == 7
    for bad in ["²", "１２", "٣", "-1", "0", "1.5", "", None, "9223372036854775808", "4" * 40]:
        assert int_param(bad) is None, bad
    assert int_param("0", minimum=0) == 0
    assert ids_param(["3", "1", "3", "x", "²"]) == [1, 3]


def test_file_names_lose_paths_and_control_characters():
    assert filename_clean("../a/b\x01c.pdf", fallback="x") == "a_b_c.pdf"
    assert filename_clean(" ... ", fallback="attachment-1") == "attachment-1"
    assert content_type_clean("Text/HTML; charset=utf-8") == "text/html"
    assert content_type_clean("text/<script>") == "application/octet-stream"


@pytest.mark.parametrize("value", HOSTILE)
def test_hostile_inbox_parameters_are_ignored_not_server_errors(world, value):
    client, ticket, _agent = world

    every_key = client.get(reverse("tickets:list"), dict.fromkeys(INBOX_KEYS, value))
    cursor = f"{value}~{value}~{value}"
    as_cursor = client.get(reverse("tickets:list"), {"sort": "priority", "after": cursor})
    as_search_page = client.get(reverse("tickets:list"), {"q": "kettle", "after": value})

    assert every_key.status_code == 200
    assert as_cursor.status_code == 200
    assert as_search_page.status_code == 200
    assert b"<script>alert(1)</script>" not in every_key.content
    # A value that is no filter leaves the list as it was: the ticket is still listed.
    if value not in ("", " "):
        listed = client.get(reverse("tickets:list"), {"team": value, "priority": value})
        assert f'data-ticket="{ticket.pk}"'.encode() in listed.content


@pytest.mark.parametrize("value", HOSTILE)
def test_hostile_values_on_the_ticket_page_change_nothing(world, value):
    client, ticket, _agent = world
    before = Event.objects.count()

    update = client.post(reverse("tickets:update", args=[ticket.pk]), {
        "status": value, "priority": value, "team": value, "assignee": value,
    }, HTTP_HX_REQUEST="true")  # fmt: skip
    macro = client.get(reverse("tickets:macro", args=[ticket.pk]), {"macro": value})
    merge = client.post(reverse("tickets:merge", args=[ticket.pk]), {"target": value})
    presence = client.post(reverse("tickets:presence", args=[ticket.pk]), {"typing": value})

    assert update.status_code == 422
    assert b'role="alert"' in update.content
    assert macro.status_code == 404
    assert merge.status_code in (302, 404)
    assert presence.status_code == 200
    ticket.refresh_from_db()
    assert ticket.team.slug == "returns"  # a bad team is an error, never "no team"
    assert ticket.merged_into_id is None
    assert Event.objects.count() == before


def test_an_empty_team_or_assignee_still_clears_it(world):
    client, ticket, agent = world
    Ticket.objects.filter(pk=ticket.pk).update(assignee=agent)

    response = client.post(reverse("tickets:update", args=[ticket.pk]), {"assignee": ""})

    assert response.status_code == 302
    ticket.refresh_from_db()
    assert ticket.assignee is None


def test_a_reply_with_nul_bytes_and_markup_is_stored_as_text(world):
    client, ticket, _agent = world

    response = client.post(reverse("tickets:reply", args=[ticket.pk]),
                           {"body": "Hi\x00 <img src=x onerror=alert(1)>"})  # fmt: skip

    assert response.status_code == 200
    message = ticket.messages.get(direction="out")
    assert message.body_text == "Hi <img src=x onerror=alert(1)>"
    page = client.get(reverse("tickets:detail", args=[ticket.pk]))
    assert b"<img src=x onerror" not in page.content
    assert b"&lt;img src=x onerror=alert(1)&gt;" in page.content


def test_an_oversized_reply_is_refused_with_the_text_kept_in_the_composer(world):
    client, ticket, _agent = world
    body = "Dear Kim, " + "x" * REPLY_MAX_LENGTH

    response = client.post(reverse("tickets:reply", args=[ticket.pk]), {"body": body})

    assert response.status_code == 422
    assert f"at most {REPLY_MAX_LENGTH}".encode() in response.content
    assert body.encode() in response.content  # nothing the agent typed is lost
    assert not ticket.messages.filter(direction="out").exists()
    assert OutboxMessage.objects.count() == 0


@pytest.mark.parametrize("visibility", ["public", "internal"])
def test_a_double_submitted_composer_sends_once(world, visibility):
    client, ticket, _agent = world
    page = client.get(reverse("tickets:detail", args=[ticket.pk])).content.decode()
    token = page.split('name="composer_token" value="')[1].split('"')[0]
    form = {"body": "We will send a new kettle.", "visibility": visibility, "composer_token": token}

    first = client.post(reverse("tickets:reply", args=[ticket.pk]), form)
    second = client.post(reverse("tickets:reply", args=[ticket.pk]), form)
    outbox_deliver_queued()

    assert first.status_code == second.status_code == 200
    assert ticket.messages.filter(direction="out").count() == 1
    assert len(mail.outbox) == (1 if visibility == "public" else 0)
    # The composer that comes back is a new one: the next message is not a duplicate.
    fresh = second.content.decode().split('name="composer_token" value="')[1].split('"')[0]
    assert fresh != token
    client.post(reverse("tickets:reply", args=[ticket.pk]),
                form | {"composer_token": fresh, "body": "And a voucher."})  # fmt: skip
    assert ticket.messages.filter(direction="out").count() == 2


def test_a_malformed_composer_token_still_sends_once(world):
    client, ticket, _agent = world

    response = client.post(reverse("tickets:reply", args=[ticket.pk]),
                           {"body": "Hello", "composer_token": "not-a-uuid\x00"})  # fmt: skip

    assert response.status_code == 200
    assert ticket.messages.filter(direction="out", composer_token=None).count() == 1


@pytest.mark.parametrize("value", HOSTILE)
def test_a_bulk_selection_with_any_malformed_id_changes_nothing(world, value):
    client, ticket, _agent = world

    response = client.post(reverse("tickets:bulk"), {
        "ticket": [str(ticket.pk), value], "action": "status", "status": "solved",
    })  # fmt: skip

    assert response.status_code == 404
    ticket.refresh_from_db()
    assert ticket.status == Ticket.Status.NEW


def test_a_bulk_action_names_each_ticket_once_however_often_it_is_sent(world):
    client, ticket, _agent = world
    form = {"ticket": [str(ticket.pk)] * 3, "action": "tag", "tag": "Refund"}

    client.post(reverse("tickets:bulk"), form)
    client.post(reverse("tickets:bulk"), form)

    assert list(ticket.tags.values_list("name", flat=True)) == ["refund"]
    assert Event.objects.filter(kind="ticket.tag_added").count() == 1


def test_a_bulk_selection_larger_than_the_limit_is_refused(world):
    client, ticket, _agent = world
    ids = [str(ticket.pk)] + [str(n) for n in range(10**6, 10**6 + BULK_MAX)]

    response = client.post(reverse("tickets:bulk"), {"ticket": ids, "action": "status",
                                                     "status": "solved"}, follow=True)  # fmt: skip

    assert f"at most {BULK_MAX}".encode() in response.content
    ticket.refresh_from_db()
    assert ticket.status == Ticket.Status.NEW


@pytest.mark.parametrize("tag", ["x" * 51, "\x00", "   "])
def test_a_bad_tag_is_an_error_and_no_tag_is_made(world, tag):
    client, ticket, _agent = world

    bulk = client.post(reverse("tickets:bulk"), {"ticket": [str(ticket.pk)], "action": "tag",
                                                 "tag": tag}, follow=True)  # fmt: skip
    page = client.post(reverse("tickets:update", args=[ticket.pk]), {"add_tag": tag},
                       HTTP_HX_REQUEST="true")  # fmt: skip

    assert bulk.status_code == 200
    assert b'class="flash toast' in bulk.content
    assert page.status_code in (200, 422)
    assert Tag.objects.count() == 0


def test_a_refused_tag_takes_the_other_changes_of_the_form_back(world):
    client, ticket, _agent = world

    form = {"priority": "3", "add_tag": "x" * 51}
    url = reverse("tickets:update", args=[ticket.pk])
    response = client.post(url, form, HTTP_HX_REQUEST="true")

    assert response.status_code == 422
    assert b"at most 50 characters" in response.content
    ticket.refresh_from_db()
    assert ticket.priority != 3
    assert not Event.objects.filter(ticket_id=ticket.pk).exists()


def test_a_hostile_tag_is_shown_escaped(world):
    client, ticket, _agent = world

    client.post(reverse("tickets:bulk"), {"ticket": [str(ticket.pk)], "action": "tag",
                                          "tag": "<b>vip</b>"})  # fmt: skip
    inbox = client.get(reverse("tickets:list"))

    assert b"&lt;b&gt;vip&lt;/b&gt;" in inbox.content
    assert b"<b>vip</b>" not in inbox.content


@pytest.mark.parametrize(
    ("name", "params", "problem"),
    [
        ("", "status=open", b"needs a name"),
        ("x" * 61, "status=open", b"shorter name"),
        ("Long search", "q=" + "%C3%BC" * 200 + "&view=none", b"too long to save"),
    ],
)
def test_saved_views_refuse_what_they_cannot_keep(world, name, params, problem):
    client, _ticket, _agent = world

    response = client.post(reverse("tickets:view_save"), {"name": name, "params": params},
                           follow=True)  # fmt: skip

    assert problem in response.content
    assert SavedView.objects.count() == 0


def test_saving_a_view_twice_under_one_name_keeps_one(world):
    client, _ticket, agent = world
    for status in ("open", "pending"):
        client.post(reverse("tickets:view_save"), {"name": "Mine", "params": f"status={status}"})

    assert list(SavedView.objects.filter(user=agent).values_list("query", flat=True)) == [
        "view=all_open&status=pending"
    ]


def test_merging_a_ticket_twice_reports_it_and_moves_nothing_more(world):
    client, ticket, _agent = world
    target = TicketFactory(team=ticket.team, customer=ticket.customer)

    client.post(reverse("tickets:merge", args=[ticket.pk]), {"target": f"#{target.pk}"})
    again = client.post(reverse("tickets:merge", args=[ticket.pk]), {"target": str(target.pk)},
                        follow=True)  # fmt: skip

    assert b"already merged" in again.content
    assert Message.objects.filter(ticket=target).count() == 1
    assert Event.objects.filter(kind="ticket.merged_in").count() == 1


def _upload(name: str, content: bytes, content_type: str = "application/pdf"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content, content_type=content_type)


def test_a_reply_carries_its_files_to_the_customer(world):
    client, ticket, _agent = world

    response = client.post(reverse("tickets:reply", args=[ticket.pk]), {
        "body": "Here is your return label.",
        "attachments": [_upload("return-label.pdf", b"%PDF-1.4 label"),
                        _upload("photo.jpg", b"\xff\xd8jpeg", "image/jpeg")],
    })  # fmt: skip
    outbox_deliver_queued()

    assert response.status_code == 200
    reply = ticket.messages.get(direction="out")
    assert sorted(reply.attachments.values_list("filename", "size")) == [
        ("photo.jpg", 6), ("return-label.pdf", 14),
    ]  # fmt: skip
    [sent] = mail.outbox
    assert sorted(sent.attachments) == [
        ("photo.jpg", b"\xff\xd8jpeg", "image/jpeg"),
        ("return-label.pdf", b"%PDF-1.4 label", "application/pdf"),
    ]
    page = client.get(reverse("tickets:detail", args=[ticket.pk])).text
    for attachment in reply.attachments.all():
        assert reverse("tickets:attachment", args=[attachment.pk]) in page


def test_a_note_keeps_its_file_and_nothing_is_sent(world):
    client, ticket, _agent = world

    client.post(reverse("tickets:reply", args=[ticket.pk]), {
        "body": "Courier's damage report", "visibility": "internal",
        "attachments": [_upload("report.pdf", b"%PDF report")],
    })  # fmt: skip

    note = ticket.messages.get(visibility="internal")
    assert note.attachments.get().filename == "report.pdf"
    assert OutboxMessage.objects.count() == 0


@pytest.mark.parametrize(
    ("limits", "files", "problem"),
    [
        ({"REPLY_MAX_ATTACHMENT_BYTES": 10}, [("big.pdf", b"x" * 11)], "big.pdf is larger than"),
        ({"REPLY_MAX_ATTACHMENTS": 2}, [(f"{n}.txt", b"x") for n in range(3)], "at most 2 files"),
        ({"REPLY_MAX_TOTAL_BYTES": 15}, [("a.txt", b"x" * 8), ("b.txt", b"x" * 8)], "together"),
    ],
)
def test_files_over_the_limits_stop_the_send_and_keep_the_text(world, settings, limits, files,
                                                                problem):  # fmt: skip
    client, ticket, _agent = world
    for name, value in limits.items():
        setattr(settings, name, value)

    response = client.post(reverse("tickets:reply", args=[ticket.pk]), {
        "body": "Label attached", "attachments": [_upload(n, c) for n, c in files],
    })  # fmt: skip

    assert response.status_code == 422
    assert problem in response.text
    assert "attach the files again" in response.text
    assert "Label attached" in response.text
    assert not ticket.messages.filter(direction="out").exists()
    assert not Attachment.objects.exists()


def test_hostile_file_names_and_types_are_cleaned(world):
    client, ticket, _agent = world

    client.post(reverse("tickets:reply", args=[ticket.pk]), {
        "body": "files", "visibility": "internal",
        "attachments": [_upload("../../etc/passwd\x01.html", b"x", "text/html; charset=<script>"),
                        _upload("...", b"y", "evil/<script>")],
    })  # fmt: skip

    stored = sorted(Attachment.objects.values_list("filename", "content_type"))
    # Django's upload parser drops the path; what is left loses its control characters.
    assert stored == [("attachment-2", "application/octet-stream"), ("passwd.html", "text/html")]
    for attachment in Attachment.objects.all():
        assert attachment.file.name.startswith("attachments/")
        assert attachment.filename not in attachment.file.name


def test_a_double_submit_with_files_keeps_them_once(world):
    client, ticket, _agent = world
    form = {"body": "Label", "composer_token": "6f1c7e4e-3f7a-4d6b-9a53-0d1b0c2f9e11"}

    for _ in range(2):
        client.post(reverse("tickets:reply", args=[ticket.pk]),
                    form | {"attachments": [_upload("label.pdf", b"%PDF")]})  # fmt: skip

    assert Attachment.objects.count() == 1
    assert OutboxMessage.objects.count() == 1
