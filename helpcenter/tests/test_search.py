"""Search ranks the right article first in each language, forgives a typo, highlights."""

from __future__ import annotations

import pytest

from helpcenter.selectors import article_search, article_suggestions
from helpcenter.tests.factories import corpus

pytestmark = pytest.mark.django_db


@pytest.fixture
def articles():
    return corpus()


@pytest.mark.parametrize(
    ("language", "query", "key"),
    [
        ("de", "Rücksendung", "returns"),
        ("de", "Paket zurückschicken", "returns"),
        ("de", "Erstattung Kreditkarte", "refund"),
        ("de", "Sendungsverfolgung", "tracking"),
        ("de", "Rechnung", "invoice"),
        ("de", "Garantie", "warranty"),
        ("en", "return an order", "returns"),
        ("en", "refund", "refund"),
        ("en", "tracking", "tracking"),
        ("en", "invoice pdf", "invoice"),
        ("en", "warranty repair", "warranty"),
        ("en", "paypal", "payment"),
        ("tr", "iade", "returns"),
        ("tr", "geri ödeme", "refund"),
        ("tr", "kargo takibi", "tracking"),
        ("tr", "fatura", "invoice"),
        ("tr", "garanti", "warranty"),
        ("tr", "kahve makinesi", "care-3"),
    ],
)
def test_the_right_article_ranks_first(articles, language, query, key):
    result = article_search(language=language, query=query)
    assert result.hits, query
    assert result.hits[0].translation_id == articles[key][language].pk, [
        h.title for h in result.hits
    ]
    assert all(hit.language == language for hit in result.hits)


def test_the_corpus_has_thirty_articles_per_language(articles):
    for language in ("en", "de", "tr"):
        assert sum(1 for t in articles.values() if language in t) >= 30


@pytest.mark.parametrize(
    ("language", "query", "key"),
    [
        ("de", "Rücksednung", "returns"),
        ("de", "Rücksndung", "returns"),
        ("en", "refnud", "refund"),
        ("tr", "faturra", "invoice"),
        ("de", "Garantei", "warranty"),
    ],
)
def test_a_misspelt_query_finds_its_article(articles, language, query, key):
    result = article_search(language=language, query=query)
    assert result.hits
    assert result.hits[0].translation_id == articles[key][language].pk
    assert result.corrected


def test_matches_are_highlighted_and_the_text_escaped(articles):
    hit = article_search(language="de", query="Rücksendung").hits[0]
    assert "<mark>Rücksendung</mark>" in hit.title_html
    assert "<mark>" in hit.snippet_html


def test_no_match_and_hostile_queries_find_nothing_and_do_not_fail(articles):
    for query in [
        "zzqqxx",
        "<script>alert(1)</script>",
        "' OR 1=1 --",
        "&|!:*()",
        "x" * 5000,
        "\x00",
        "   ",
    ]:
        result = article_search(language="en", query=query)
        assert result.hits == [] or all("<script>" not in h.snippet_html for h in result.hits)


def test_a_draft_or_unpublished_article_is_never_found(articles):
    from helpcenter.services import translation_unpublish

    returns = articles["returns"]["de"]
    translation_unpublish(translation=returns, by=returns.article.owner)
    hits = article_search(language="de", query="Rücksendung").hits
    assert returns.pk not in [h.translation_id for h in hits]


def test_suggestions_for_a_typed_message(articles):
    hits = article_suggestions(language="de", text="Hallo, ich möchte eine Rücksendung machen")
    assert hits[0].translation_id == articles["returns"]["de"].pk
    assert article_suggestions(language="de", text="ab") == []
