"""Articles: agents propose, leads publish; revisions; slugs with redirects; fallback."""

from __future__ import annotations

import pytest
from django.urls import reverse

from core.models import AgentProfile, Event
from helpcenter import services
from helpcenter.models import ArticleRevision, ArticleTranslation, SlugRedirect
from helpcenter.tests.factories import article_publish, section_make, staff_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def lead():
    return staff_user(username="lead")


@pytest.fixture
def agent():
    return staff_user(username="agent", role=AgentProfile.Role.AGENT)


def test_an_agent_proposes_and_a_lead_publishes(agent, lead):
    draft = services.article_create(section=section_make(), by=agent, language="de",
                                    title="Rücksendung", body_markdown="Text")  # fmt: skip
    assert draft.status == ArticleTranslation.Status.DRAFT
    with pytest.raises(services.HelpPermissionError):
        services.translation_publish(translation=draft, by=agent)
    published = services.translation_publish(translation=draft, by=lead)
    assert published.status == ArticleTranslation.Status.PUBLISHED
    assert published.slug == "ruecksendung"
    assert Event.objects.filter(kind="help.article_published", actor=lead).exists()


def test_a_proposal_does_not_change_the_published_text_until_published(agent, lead):
    de = article_publish(section=section_make(), by=lead, texts={"de": ("Versand", "Alt")})["de"]
    services.translation_propose(article=de.article, language="de", title="Versand",
                                 body_markdown="Neu", by=agent)  # fmt: skip
    de.refresh_from_db()
    assert de.body_markdown == "Alt"
    assert de.revisions.count() == 2
    assert de.revisions.first().kind == ArticleRevision.Kind.PROPOSED
    services.translation_publish(translation=de, by=lead)
    de.refresh_from_db()
    assert "Neu" in de.body_html
    old = de.revisions.last()
    services.translation_publish(translation=de, by=lead, revision=old)  # back to a revision
    de.refresh_from_db()
    assert "Alt" in de.body_html


def test_a_new_title_changes_the_slug_and_the_old_one_redirects(client, lead):
    de = article_publish(section=section_make(), by=lead, texts={"de": ("Versand", "Text")})["de"]
    services.translation_propose(article=de.article, language="de", title="Versandkosten",
                                 body_markdown="Text", by=lead)  # fmt: skip
    services.translation_publish(translation=de, by=lead)
    de.refresh_from_db()
    assert de.slug == "versandkosten"
    assert SlugRedirect.objects.filter(language="de", slug="versand").exists()
    response = client.get(reverse("helpcenter:article", args=["de", "versand"]))
    assert response.status_code == 301
    assert response["Location"] == reverse("helpcenter:article", args=["de", "versandkosten"])
    assert client.get(response["Location"]).status_code == 200


def test_slugs_are_unique_per_language(lead):
    section = section_make()
    one = article_publish(
        section=section, by=lead, texts={"en": ("Returns", "a"), "de": ("Returns", "b")}
    )
    two = article_publish(section=section, by=lead, texts={"en": ("Returns", "c")})
    assert one["en"].slug == one["de"].slug == "returns"
    assert two["en"].slug == "returns-2"


def test_a_missing_translation_falls_back_marked_as_such(client, lead):
    section = section_make()
    en = article_publish(section=section, by=lead, texts={"en": ("Gift cards", "Text")})["en"]
    home = client.get(reverse("helpcenter:home", args=["tr"])).content.decode()
    assert "İadeler" in home  # the section, in Turkish
    for url in [reverse("helpcenter:category", args=["tr", section.category.slug]),
                reverse("helpcenter:section", args=["tr", section.slug])]:  # fmt: skip
        listing = client.get(url).content.decode()
        assert "Gift cards" in listing
        assert "fallback-badge" in listing
    page = client.get(reverse("helpcenter:article", args=["tr", en.slug]))
    assert page.status_code == 200
    body = page.content.decode()
    assert "fallback-note" in body
    assert 'lang="en"' in body
    # The canonical URL is the English one.
    assert f'rel="canonical" href="http://testserver/help/en/a/{en.slug}/"' in body


def test_an_unpublished_or_draft_article_is_not_shown(client, agent, lead):
    draft = services.article_create(section=section_make(), by=agent, language="en",
                                    title="Secret", body_markdown="x")  # fmt: skip
    assert client.get(reverse("helpcenter:article", args=["en", draft.slug])).status_code == 404
    services.translation_publish(translation=draft, by=lead)
    assert client.get(reverse("helpcenter:article", args=["en", draft.slug])).status_code == 200
    services.translation_unpublish(translation=draft, by=lead)
    assert client.get(reverse("helpcenter:article", args=["en", draft.slug])).status_code == 404


def test_pages_for_search_engines(client, lead):
    texts = {"en": ("Returns", "x"), "de": ("Rücksendung", "y")}
    article_publish(section=section_make(), by=lead, texts=texts)
    page = client.get(reverse("helpcenter:article", args=["de", "ruecksendung"])).content.decode()
    assert 'hreflang="en" href="http://testserver/help/en/a/returns/"' in page
    assert '<meta property="og:title" content="Rücksendung">' in page
    assert 'content="index, follow"' in page
    search = client.get(reverse("helpcenter:search", args=["de"]), {"q": "x"}).content.decode()
    assert 'content="noindex' in search
    sitemap = client.get("/sitemap.xml")
    assert sitemap["Content-Type"] == "application/xml"
    assert "http://testserver/help/de/a/ruecksendung/" in sitemap.content.decode()
    assert 'hreflang="en" href="http://testserver/help/en/a/returns/"' in sitemap.content.decode()


def test_the_article_editor_with_preview_and_publish(client, lead, agent):
    section = section_make()
    client.force_login(agent)
    response = client.post(reverse("helpcenter:staff_new"), {
        "section": section.pk, "language": "de", "title": "Rücksendung", "body": "**fett**",
    })  # fmt: skip
    assert response.status_code == 302
    translation = ArticleTranslation.objects.get()
    edit = reverse("helpcenter:staff_edit", args=[translation.article_id, "de"])
    assert client.get(edit).status_code == 200
    preview = client.post(reverse("helpcenter:staff_preview"), {"body": "**x** <script>y</script>"})
    assert "<strong>x</strong>" in preview.content.decode()
    assert "<script>" not in preview.content.decode()
    assert client.post(edit, {"title": "T", "body": "b", "action": "publish"}).status_code == 403
    publish = reverse("helpcenter:staff_publish", args=[translation.article_id, "de"])
    assert client.post(publish).status_code == 403
    client.force_login(lead)
    assert (
        client.post(
            edit, {"title": "Rücksendung", "body": "**fett**", "action": "publish"}
        ).status_code
        == 302
    )
    translation.refresh_from_db()
    assert translation.status == "published"
    assert client.post(edit, {"title": "", "body": "x"}).status_code == 400
    assert client.post(edit, {"title": "x" * 201, "body": "x"}).status_code == 400
    assert client.post(publish, {"revision": "abc"}).status_code == 404
    assert client.post(publish, {"revision": "99999999"}).status_code == 404
    assert (
        client.get(
            reverse("helpcenter:staff_edit", args=[translation.article_id, "xx"])
        ).status_code
        == 404
    )


def test_staff_pages_need_staff(client):
    assert client.get(reverse("helpcenter:staff_list")).status_code == 302  # to the login


def test_a_section_pages_its_articles(client, lead, settings):
    from helpcenter import selectors

    section = section_make()
    for n in range(7):
        article_publish(section=section, by=lead, texts={"en": (f"Article {n}", "x")})
    settings.DEBUG = False
    selectors.SECTION_PAGE_SIZE, size = 2, selectors.SECTION_PAGE_SIZE
    try:
        url = reverse("helpcenter:section", args=["en", section.slug])
        first = client.get(url).content.decode()
        assert "Article 0" in first
        assert "Article 2" not in first
        second = client.get(url, {"page": "2"}).content.decode()
        assert "Article 2" in second
        for page in ["0", "-1", "x", "9" * 50, "99"]:
            assert client.get(url, {"page": page}).status_code == 200
        category = client.get(reverse("helpcenter:category", args=["en", section.category.slug]))
        assert "See all articles" in category.content.decode()
        assert "Article 6" not in category.content.decode()  # six per section there
    finally:
        selectors.SECTION_PAGE_SIZE = size
    assert client.get(reverse("helpcenter:section", args=["en", "nope"])).status_code == 404
