"""After a send the composer comes back empty on "Public reply", and an internal note is
never told as sent on a channel."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from tickets.models import Message
from tickets.tests.factories import PASSWORD, MessageFactory, TeamFactory, TicketFactory, make_agent

pytestmark = pytest.mark.django_db


@pytest.fixture
def ticket(client):
    team = TeamFactory(slug="returns")
    make_agent(username="ayse", teams=[team])
    client.login(username="ayse", password=PASSWORD)
    return MessageFactory(ticket=TicketFactory(team=team), body_text="My kettle leaks").ticket


def _checked(html: str) -> list[str]:
    return re.findall(r'name="visibility" value="(\w+)"[^>]*\schecked', html)


def _header(html: str, message: Message) -> str:
    match = re.search(rf'id="message-{message.pk}">.*?<header[^>]*>(.*?)</header>', html, re.S)
    assert match, f"message {message.pk} is not on the page"
    return " ".join(re.sub(r"<[^>]+>", " ", match.group(1)).split())  # the words only


@pytest.mark.parametrize("visibility", ["internal", "public"])
def test_the_composer_returns_to_public_reply_after_a_send(client, ticket, visibility):
    response = client.post(reverse("tickets:reply", args=[ticket.pk]),
                           {"body": "Checked the stock.", "visibility": visibility},
                           HTTP_HX_REQUEST="true")  # fmt: skip

    assert response.status_code == 200
    composer = response.text.split('<div id="timeline"')[0]
    assert _checked(composer) == ["public"]
    assert 'data-sent="true"' in composer
    assert Message.objects.filter(visibility=visibility, body_text="Checked the stock.").exists()


def test_a_refused_note_keeps_the_composer_on_internal_note(client, ticket):
    response = client.post(reverse("tickets:reply", args=[ticket.pk]),
                           {"body": "", "visibility": "internal"},
                           HTTP_HX_REQUEST="true")  # fmt: skip

    assert response.status_code == 422
    assert _checked(response.text) == ["internal"]  # what the agent chose stays chosen


def test_an_internal_note_is_never_told_as_sent_by_email(client, ticket):
    client.post(reverse("tickets:reply", args=[ticket.pk]),
                {"body": "Customer sounded upset.", "visibility": "internal"})  # fmt: skip
    client.post(reverse("tickets:reply", args=[ticket.pk]), {"body": "A new one is on its way."})

    page = client.get(reverse("tickets:detail", args=[ticket.pk])).text

    note = Message.objects.get(visibility=Message.Visibility.INTERNAL)
    reply = Message.objects.get(direction="out", visibility=Message.Visibility.PUBLIC)
    received = Message.objects.get(direction="in")
    assert "via" not in _header(page, note)
    assert "Internal note" in _header(page, note)
    assert "sent via Email" in _header(page, reply)
    assert "received via Email" in _header(page, received)
