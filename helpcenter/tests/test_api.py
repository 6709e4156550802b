"""The help-center API: published articles only, by language, with the helpcenter scope."""

from __future__ import annotations

import pytest

from helpcenter.services import article_create, translation_propose
from helpcenter.tests.factories import article_publish, section_make, staff_user

pytestmark = pytest.mark.django_db
URL = "/api/v1/helpcenter/articles/"


@pytest.fixture
def articles():
    lead = staff_user()
    section = section_make()
    returns = article_publish(section=section, by=lead, texts={
        "en": ("How to return an order", "Within **30 days**."),
        "de": ("Rücksendung", "Innerhalb von 30 Tagen."),
    })["en"].article  # fmt: skip
    # A German translation still a draft, and an article that is only a draft.
    translation_propose(article=returns, language="tr", title="İade", body_markdown="Taslak",
                        by=lead)  # fmt: skip
    draft = article_create(section=section, by=lead, language="en", title="Secret plans",
                           body_markdown="Not yet.").article  # fmt: skip
    return returns, draft


def test_a_shop_reads_the_published_articles_only(api_client_for, articles):
    returns, draft = articles
    client = api_client_for(scopes=["helpcenter:read"])
    listing = client.get(URL).json()
    assert [a["id"] for a in listing["results"]] == [returns.pk]
    article = listing["results"][0]
    assert sorted(t["language"] for t in article["translations"]) == ["de", "en"]
    english = next(t for t in article["translations"] if t["language"] == "en")
    assert "<strong>30 days</strong>" in english["body_html"]
    assert english["url"].endswith(f"/help/en/a/{english['slug']}/")
    assert client.get(f"{URL}{returns.pk}/").json()["id"] == returns.pk
    assert client.get(f"{URL}{draft.pk}/").status_code == 404
    german = client.get(URL, {"language": "de"}).json()["results"][0]["translations"]
    assert [t["language"] for t in german] == ["de"]
    assert client.get(URL, {"language": "tr"}).json()["results"] == []


@pytest.mark.usefixtures("articles")
def test_scope_and_hostile_input(api_client_for):
    other = api_client_for(scopes=["tickets:read"])
    assert other.get(URL).status_code == 403
    client = api_client_for(scopes=["helpcenter:read"])
    assert client.post(URL, {}).status_code in (403, 405)
    bad = client.get(URL, {"language": "xx"})
    assert bad.status_code == 400
    assert bad["Content-Type"].startswith("application/problem+json")
    assert client.get(URL, {"updated_after": "yesterday"}).status_code == 400
    assert client.get(f"{URL}99999999999999999999/").status_code == 404
    assert client.get(f"{URL}abc/").status_code == 404
    assert client.get(URL, {"cursor": "not-a-cursor"}).status_code in (400, 404)
    assert client.get(URL, {"language": "de\x00"}).status_code == 400
