""" "Was this helpful?" is recorded like a survey answer: a GET records nothing, one
vote per visitor and article, a tampered token or a post without the visitor's cookie
records nothing."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from helpcenter import services
from helpcenter.models import ArticleVote, ContactSubmission, SuggestionOpen
from helpcenter.selectors import deflection_stats
from helpcenter.tests.factories import article_publish, section_make, staff_user
from helpcenter.visitor import OPEN_SALT, token_make, visitor_known

pytestmark = pytest.mark.django_db


@pytest.fixture
def article():
    lead = staff_user(username="lead")
    return article_publish(
        section=section_make(),
        by=lead,
        texts={"en": ("Returns", "Send it back."), "de": ("Rücksendung", "x")},
    )


def _open(client, translation):
    response = client.get(
        reverse("helpcenter:article", args=[translation.language, translation.slug])
    )
    token = re.search(r'name="token" value="([^"]+)"', response.content.decode()).group(1)
    return token, reverse("helpcenter:vote", args=[translation.language, translation.article_id])


def test_a_get_records_nothing(client, article):
    _token, url = _open(client, article["en"])
    assert client.get(url, {"helpful": "yes"}).status_code == 405
    assert client.head(url).status_code == 405
    assert not ArticleVote.objects.exists()


def test_one_vote_per_visitor_a_second_changes_it(client, article):
    token, url = _open(client, article["en"])
    response = client.post(url, {"token": token, "helpful": "yes"})
    assert response.status_code == 302
    assert "voted=yes" in response["Location"]
    client.post(url, {"token": token, "helpful": "no", "comment": "Label missing"})
    vote = ArticleVote.objects.get()
    assert (vote.helpful, vote.comment) == (False, "Label missing")
    other = client.__class__()
    token2, _url = _open(other, article["en"])
    other.post(url, {"token": token2, "helpful": "yes"})
    assert ArticleVote.objects.count() == 2


def test_a_tampered_token_or_a_missing_cookie_records_nothing(client, article):
    token, url = _open(client, article["en"])
    for bad in [token[:-2] + "xx", "", "x" * 1000, token_make(salt=OPEN_SALT, visitor=visitor_known(
            _request_with(client)), article_id=article["en"].article_id)]:  # fmt: skip
        assert client.post(url, {"token": bad, "helpful": "yes"}).status_code == 400
    owner = article["en"].article.owner
    other_article = article_publish(section=section_make(slug="other"), by=owner,
                                    texts={"en": ("Other", "x")})["en"]  # fmt: skip
    other_url = reverse("helpcenter:vote", args=["en", other_article.article_id])
    assert client.post(other_url, {"token": token, "helpful": "yes"}).status_code == 400
    assert client.post(url, {"token": token, "helpful": "maybe"}).status_code == 400
    assert (
        client.post(url, {"token": token, "helpful": "no", "comment": "x" * 2001}).status_code
        == 400
    )
    cookieless = client.__class__()
    assert cookieless.post(url, {"token": token, "helpful": "yes"}).status_code == 400
    assert not ArticleVote.objects.exists()


def _request_with(client):
    from django.test import RequestFactory

    request = RequestFactory().get("/")
    request.COOKIES = {k: v.value for k, v in client.cookies.items()}
    return request


def test_a_no_with_a_comment_becomes_a_ticket_for_the_owner(client, article):
    token, url = _open(client, article["en"])
    client.post(url, {"token": token, "helpful": "no", "comment": "The label link is broken"})
    vote = ArticleVote.objects.get()
    lead = article["en"].article.owner
    client.force_login(lead)
    insights = client.get(reverse("helpcenter:staff_insights"))
    assert "The label link is broken" in insights.content.decode()
    response = client.post(reverse("helpcenter:staff_feedback_ticket", args=[vote.pk]))
    assert response.status_code == 302
    vote.refresh_from_db()
    from tickets.models import Ticket

    ticket = Ticket.objects.get(pk=vote.ticket_id)
    assert ticket.assignee == lead
    assert "The label link is broken" in ticket.messages.get().body_text
    # Twice: the same ticket.
    assert services.vote_ticket_open(vote=vote, by=lead) == ticket.pk


def test_deflection_counts_an_opened_suggestion_without_a_message(client, article):
    response = client.get(reverse("helpcenter:suggest", args=["en"]), {"message": "return it"})
    link = re.search(r'href="([^"]+)"', response.content.decode()).group(1).replace("&amp;", "&")
    assert client.get(link).status_code == 200
    assert client.get(link).status_code == 200  # once per visitor and article
    opened = SuggestionOpen.objects.get()
    now = timezone.now()
    soon = deflection_stats(since=now - timedelta(days=1), until=now + timedelta(hours=1))
    assert (soon["opened"], soon["pending"], soon["rate"]) == (1, 1, None)
    later = deflection_stats(since=now - timedelta(days=1), until=now + timedelta(hours=1),
                             now=now + timedelta(hours=25))  # fmt: skip
    assert (later["deflected"], later["rate"]) == (1, 1.0)
    ContactSubmission.objects.create(visitor=opened.visitor, email="a@example.com", inbound_id=1,
                                     language="en")  # fmt: skip
    contacted = deflection_stats(since=now - timedelta(days=1), until=now + timedelta(hours=1),
                                 now=now + timedelta(hours=25))  # fmt: skip
    assert (contacted["deflected"], contacted["contacted"], contacted["rate"]) == (0, 1, 0.0)


def test_a_scanner_or_forged_suggestion_link_counts_nothing(client, article):
    url = reverse("helpcenter:article", args=["en", article["en"].slug])
    client.get(url, {"from": "contact", "s": "forged"})
    scanner = client.__class__()
    response = client.get(reverse("helpcenter:suggest", args=["en"]), {"message": "return it"})
    link = re.search(r'href="([^"]+)"', response.content.decode()).group(1).replace("&amp;", "&")
    scanner.get(link)  # another browser, without this visitor's cookie
    assert not SuggestionOpen.objects.exists()
