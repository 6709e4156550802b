"""Staff tools: the composer's article link in the customer's language, image uploads,
content gaps for leads."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from core.models import AgentProfile
from customers.tests.factories import CustomerFactory
from helpcenter import services
from helpcenter.models import HelpImage
from helpcenter.selectors import content_gaps
from helpcenter.tests.factories import article_publish, section_make
from tickets.tests.factories import TeamFactory, TicketFactory, make_agent

pytestmark = pytest.mark.django_db
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 20


@pytest.fixture
def team():
    return TeamFactory(slug="care")


@pytest.fixture
def agent(team):
    return make_agent(username="agent", teams=[team]).user


@pytest.fixture
def lead(team):
    return make_agent(username="lead", role=AgentProfile.Role.LEAD, teams=[team]).user


def test_the_composer_offers_article_links_in_the_customer_language(client, agent, lead, team):
    texts = {"en": ("How to return an order", "Send it back"), "de": ("Rücksendung", "Zurück")}
    article_publish(section=section_make(), by=lead, texts=texts)
    ticket = TicketFactory(team=team, customer=CustomerFactory(language="de"))
    client.force_login(agent)
    page = client.get(reverse("tickets:detail", args=[ticket.pk])).content.decode()
    links = reverse("helpcenter:staff_composer_links", args=[ticket.pk])
    assert links in page
    found = client.get(links, {"q": "Rücksendung"}).content.decode()
    assert 'data-insert-text="Rücksendung: http://testserver/help/de/a/ruecksendung/"' in found
    # An English word finds the German article's English sibling only when German has none.
    assert "No article found" in client.get(links, {"q": "zzzz"}).content.decode()
    assert client.get(links, {"q": "<script>" * 50}).status_code == 200


def test_the_composer_links_answer_404_outside_the_agent_scope(client, agent):
    other = TicketFactory(team=TeamFactory(slug="elsewhere"))
    client.force_login(agent)
    assert (
        client.get(reverse("helpcenter:staff_composer_links", args=[other.pk])).status_code == 404
    )


def test_an_image_upload_is_stored_and_served_safely(client, agent):
    client.force_login(agent)
    response = client.post(
        reverse("helpcenter:staff_image_upload"),
        {"image": SimpleUploadedFile("Box <1>.png", PNG, "image/png")},
    )
    assert response.status_code == 200
    image = HelpImage.objects.get()
    assert f"/help/images/{image.public_id}/" in response.content.decode()
    served = client.get(reverse("helpcenter:image", args=[image.public_id]))
    assert served["Content-Type"] == "image/png"
    assert served["X-Content-Type-Options"] == "nosniff"
    assert served.content == PNG


@pytest.mark.parametrize(
    ("name", "content"),
    [("x.svg", b'<svg onload="alert(1)"></svg>'), ("x.png", b"<html>not an image"), ("x.png", b"")],
)
def test_anything_but_an_image_is_refused(client, agent, name, content):
    client.force_login(agent)
    response = client.post(reverse("helpcenter:staff_image_upload"),
                           {"image": SimpleUploadedFile(name, content, "image/png")})  # fmt: skip
    assert response.status_code == 400
    assert not HelpImage.objects.exists()


def test_an_oversized_image_is_refused(client, agent, settings):
    settings.REPLY_MAX_ATTACHMENT_BYTES = 100
    client.force_login(agent)
    big = SimpleUploadedFile("big.png", PNG + b"\x00" * 100, "image/png")
    assert client.post(reverse("helpcenter:staff_image_upload"), {"image": big}).status_code == 400
    assert client.post(reverse("helpcenter:staff_image_upload"), {}).status_code == 400


def test_content_gaps_are_for_leads(client, agent, lead):
    for term in ["Gutschein", "gutschein", "Gutschein", "Versand"]:
        client.get(reverse("helpcenter:search", args=["de"]), {"q": term})
    gaps = content_gaps(since=timezone.now() - timedelta(days=1))
    assert gaps[0] == {"language": "de", "term": "gutschein", "searches": 3}
    client.force_login(agent)
    assert client.get(reverse("helpcenter:staff_insights")).status_code == 403
    client.force_login(lead)
    page = client.get(reverse("helpcenter:staff_insights")).content.decode()
    assert "gutschein" in page


def test_only_staff_write(client):
    from django.contrib.auth import get_user_model

    outsider = get_user_model().objects.create_user(username="x", password="pw")
    with pytest.raises(services.HelpPermissionError):
        services.article_create(section=section_make(), by=outsider, language="en", title="t",
                                body_markdown="b")  # fmt: skip
