"""Reads of the help center: what a visitor may see, search, suggestions, content gaps
and the deflection rate for dashboards.

Search is PostgreSQL full text in the translation's own language (``helpdesk_ts_config``:
english, german, turkish), the title weighted above the body. When a query finds
nothing, each word is corrected to the nearest word of the published articles
(``pg_trgm`` similarity on ``SearchWord``) and the search runs again, so a misspelt
"Rücksendnug" still finds the returns article."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Count, Exists, OuterRef, Prefetch, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language_info

from customers.models import Order
from helpcenter.models import (
    Article,
    ArticleTranslation,
    Category,
    ContactSubmission,
    SearchLog,
    Section,
    SlugRedirect,
    SuggestionOpen,
)

QUERY_MAX = 100
_TERM = re.compile(r"[^\W_]+")
START, STOP = "\x02", "\x03"  # marks ts_headline puts around a match; never in article text
PUBLISHED = ArticleTranslation.Status.PUBLISHED
DEFLECTION_WINDOW = timedelta(hours=24)
SIMILARITY = 0.2
COMMON_SHARE = 0.25


def languages_fallback(language: str) -> list[str]:
    """The languages to show an article in, best first: the visitor's, then English,
    then the rest."""
    codes = [code for code, _name in settings.LANGUAGES]
    order = [language, settings.LANGUAGE_CODE, "en", *codes]
    return list(dict.fromkeys(code for code in order if code in codes))


def translation_pick(article: Article, language: str) -> ArticleTranslation | None:
    """The published translation of a prefetched article a visitor reads, or None."""
    published = {t.language: t for t in article.translations.all() if t.status == PUBLISHED}
    for code in languages_fallback(language):
        if code in published:
            return published[code]
    return None


def _published_exists() -> Exists:
    return Exists(ArticleTranslation.objects.filter(article=OuterRef("pk"), status=PUBLISHED))


def categories_published() -> list[Category]:
    """Categories with ``.visible_sections``: the sections that have a published article.
    Three queries, however many articles there are."""
    with connection.cursor() as cursor:
        # One index probe per section (LIMIT 1 keeps it a nested loop), not a join of
        # every article with every translation.
        cursor.execute(
            """SELECT s.id FROM helpcenter_section s, LATERAL (
                 SELECT 1 FROM helpcenter_article a
                 WHERE a.section_id = s.id AND EXISTS (
                   SELECT 1 FROM helpcenter_articletranslation t
                   WHERE t.article_id = a.id AND t.status = 'published')
                 LIMIT 1) shown"""
        )
        shown = [row[0] for row in cursor.fetchall()]
    sections = Section.objects.filter(pk__in=shown)
    categories = list(Category.objects.prefetch_related(Prefetch("sections", queryset=sections)))
    for category in categories:
        category.visible_sections = list(category.sections.all())
    return [c for c in categories if c.visible_sections]


def _entries(articles: list[Article], language: str) -> list[tuple[Article, ArticleTranslation]]:
    """(article, translation) to list, each translation with its ``path`` on this page's
    language and, when it is a fallback, the ``fallback_name`` of its language."""
    prefix = reverse("helpcenter:article", args=[language, "-"])[:-2]
    entries = []
    for article in articles:
        if (translation := translation_pick(article, language)) is None:
            continue
        translation.path = f"{prefix}{translation.slug}/"
        translation.fallback_name = (
            get_language_info(translation.language)["name_translated"]
            if translation.language != language else ""
        )  # fmt: skip
        entries.append((article, translation))
    return entries


_TRANSLATIONS = Prefetch(
    "translations",
    queryset=ArticleTranslation.objects.filter(status=PUBLISHED).only(
        "pk", "article_id", "language", "title", "slug", "status"
    ),
)


def category_page(*, slug: str, language: str, per_section: int = 6) -> Category | None:
    """A category with its sections, each with ``.entries`` (its first ``per_section``
    published articles in the visitor's language or a fallback) and ``.more`` (it has
    others). Five queries; the first articles of each section come from its index."""
    category = Category.objects.filter(slug=slug).first()
    if category is None:
        return None
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT s.id, top.id FROM helpcenter_section s
            LEFT JOIN LATERAL (
              SELECT a.id, a.position FROM helpcenter_article a
              WHERE a.section_id = s.id AND EXISTS (
                SELECT 1 FROM helpcenter_articletranslation t
                WHERE t.article_id = a.id AND t.status = 'published')
              ORDER BY a.position, a.id LIMIT %(n)s
            ) top ON true
            WHERE s.category_id = %(category)s
            ORDER BY s.position, s.id, top.position, top.id
            """,
            {"category": category.pk, "n": per_section + 1},  # one more: is there more?
        )
        rows = cursor.fetchall()
    articles = Article.objects.prefetch_related(_TRANSLATIONS).in_bulk(
        [article_id for _s, article_id in rows if article_id]
    )
    category.visible_sections = []
    for section in category.sections.all():
        ids = [a for s, a in rows if s == section.pk and a]
        section.more = len(ids) > per_section
        section.entries = _entries([articles[a] for a in ids[:per_section]], language)
        if section.entries:
            category.visible_sections.append(section)
    return category if category.visible_sections else None


SECTION_PAGE_SIZE = 50


def section_page(*, slug: str, language: str, page: int = 1) -> Section | None:
    """A section with ``.entries``: one page of its published articles, and ``.pages``."""
    section = Section.objects.select_related("category").filter(slug=slug).first()
    if section is None:
        return None
    articles = Article.objects.filter(section=section).filter(_published_exists())
    section.total = articles.count()
    section.pages = max(1, -(-section.total // SECTION_PAGE_SIZE))
    section.page = min(max(page, 1), section.pages)
    start = (section.page - 1) * SECTION_PAGE_SIZE
    shown = articles.order_by("position", "pk").prefetch_related(_TRANSLATIONS)
    section.entries = _entries(list(shown[start : start + SECTION_PAGE_SIZE]), language)
    return section if section.entries else None


@dataclass
class ArticlePage:
    translation: ArticleTranslation | None = None
    redirect_slug: str = ""  # an old slug: go to this one
    redirect_language: str = ""
    alternates: dict[str, str] = field(default_factory=dict)  # language → slug


def article_page(*, language: str, slug: str) -> ArticlePage:
    """What ``/help/<language>/a/<slug>/`` shows: the published translation, a redirect
    from an old slug, or (for a slug of another language's translation of an article
    with none in this one) that translation, shown as a fallback."""
    found = (
        ArticleTranslation.objects.select_related("article__section__category")
        .filter(language=language, slug=slug, status=PUBLISHED)
        .first()
    )
    if found is None:
        old = (
            SlugRedirect.objects.select_related("translation")
            .filter(language=language, slug=slug, translation__status=PUBLISHED)
            .first()
        )
        if old is not None:
            return ArticlePage(redirect_slug=old.translation.slug, redirect_language=language)
        other = (
            ArticleTranslation.objects.select_related("article__section__category")
            .filter(slug=slug, status=PUBLISHED).exclude(language=language)
            .order_by("pk").first()
        )  # fmt: skip
        if other is None:
            return ArticlePage()
        own = ArticleTranslation.objects.filter(
            article_id=other.article_id, language=language, status=PUBLISHED
        ).first()
        if own is not None:
            return ArticlePage(redirect_slug=own.slug, redirect_language=language)
        found = other
    alternates = dict(
        ArticleTranslation.objects.filter(
            article_id=found.article_id, status=PUBLISHED
        ).values_list("language", "slug")
    )
    return ArticlePage(translation=found, alternates=alternates)


@dataclass
class Hit:
    translation_id: int
    article_id: int
    language: str
    title: str
    slug: str
    title_html: str
    snippet_html: str
    rank: float


@dataclass
class SearchResult:
    query: str
    hits: list[Hit]
    corrected: str = ""  # the query as corrected, when the typed one found nothing


def _marked(text: str) -> str:
    """ts_headline's output, escaped, with its match marks as <mark>."""
    return html.escape(text).replace(START, "<mark>").replace(STOP, "</mark>")


def _terms(query: str) -> list[str]:
    return [t.lower() for t in _TERM.findall(query)][:12]


_SEARCH_SQL = """
WITH q AS (SELECT {tsquery} AS query, helpdesk_ts_config(%(language)s) AS cfg),
hits AS (
  SELECT t.id, t.article_id, t.title, t.slug, t.body_text,
         ts_rank('{{0.1, 0.2, 0.4, 1.0}}', t.search_vector, q.query, 1) AS rank
  FROM helpcenter_articletranslation t, q
  WHERE t.language = %(language)s AND t.status = 'published' AND t.search_vector @@ q.query
  ORDER BY rank DESC, t.id
  LIMIT %(limit)s
)
SELECT hits.id, hits.article_id, hits.title, hits.slug, hits.rank,
       ts_headline(q.cfg, hits.title, q.query, %(title_options)s),
       ts_headline(q.cfg, left(hits.body_text, 5000), q.query, %(body_options)s)
FROM hits, q ORDER BY hits.rank DESC, hits.id
"""
_HEADLINE = f"StartSel={START}, StopSel={STOP}, HighlightAll=true"
_SNIPPET = f"StartSel={START}, StopSel={STOP}, MaxWords=30, MinWords=12, MaxFragments=2"


def _run(*, language: str, terms: list[str], mode: str, limit: int) -> list[Hit]:
    if not terms:
        return []
    if mode == "all":
        tsquery = "websearch_to_tsquery(helpdesk_ts_config(%(language)s), %(text)s)"
        text = " ".join(terms)
    else:  # any word: the words' queries joined by OR (each word normalised by the config)
        tsquery = (
            "(SELECT coalesce(string_agg(plainto_tsquery(helpdesk_ts_config(%(language)s), w)"
            "::text, ' | ') FILTER (WHERE plainto_tsquery(helpdesk_ts_config(%(language)s), w)"
            "::text <> ''), '')::tsquery FROM unnest(%(words)s::text[]) AS w)"
        )
        text = ""
    with connection.cursor() as cursor:
        cursor.execute(
            _SEARCH_SQL.format(tsquery=tsquery),
            {"language": language, "text": text, "words": terms, "limit": limit,
             "title_options": _HEADLINE, "body_options": _SNIPPET},
        )  # fmt: skip
        rows = cursor.fetchall()
    return [
        Hit(translation_id=row[0], article_id=row[1], language=language, title=row[2],
            slug=row[3], rank=row[4], title_html=_marked(row[5]), snippet_html=_marked(row[6]))
        for row in rows
    ]  # fmt: skip


def _corrected(*, language: str, terms: list[str]) -> list[str]:
    """Each term, or the nearest word of this language's articles when it is not one."""
    if not terms:
        return []
    with transaction.atomic(), connection.cursor() as cursor:
        # Below the default 0.3: one swapped pair of letters in a short word ("refnud")
        # shares only a quarter of its trigrams with the word meant.
        cursor.execute("SET LOCAL pg_trgm.similarity_threshold = %s", [SIMILARITY])
        cursor.execute(
            """
            SELECT t.term, coalesce(w.word, t.term)
            FROM unnest(%(terms)s::text[]) WITH ORDINALITY AS t(term, n)
            LEFT JOIN LATERAL (
              SELECT word FROM helpcenter_searchword
              WHERE language = %(language)s AND word %% t.term
              ORDER BY similarity(word, t.term) DESC, word LIMIT 1
            ) w ON true
            ORDER BY t.n
            """,
            {"terms": terms, "language": language},
        )
        return [row[1] for row in cursor.fetchall()]


def _distinctive(*, language: str, terms: list[str]) -> list[str]:
    """The terms that are not in most published texts of this language (more than
    ``COMMON_SHARE`` of them), in their order; all of them when every one is that common.
    Matching on "hello" or "order" would rank nearly every article and tell nothing."""
    if len(terms) < 2:
        return terms
    with connection.cursor() as cursor:
        cursor.execute(
            """
            WITH total AS (SELECT count(*) AS n FROM helpcenter_articletranslation
                           WHERE language = %(language)s AND status = 'published')
            SELECT t.term, coalesce(w.documents, 0) <= %(share)s * total.n
            FROM total, unnest(%(terms)s::text[]) WITH ORDINALITY AS t(term, n)
            LEFT JOIN helpcenter_searchword w ON w.language = %(language)s AND w.word = t.term
            ORDER BY t.n
            """,
            {"language": language, "terms": terms, "share": COMMON_SHARE},
        )
        rows = cursor.fetchall()
    kept = [term for term, distinctive in rows if distinctive]
    return kept or terms


def article_search(
    *, language: str, query: str, limit: int = 20, mode: str = "all"
) -> SearchResult:
    """Published articles of ``language`` that match ``query``, best first, with
    highlighted title and snippet. ``mode`` "all" wants every word (the search page;
    it falls back to any word), "any" is for suggestions from a text being typed."""
    query = " ".join(query.split())[:QUERY_MAX]
    terms = _terms(query)
    # One word: "any" is "all" again.
    modes = ["all", "any"] if mode == "all" and len(terms) > 1 else [mode]
    for each in modes:
        words = terms if each == "all" else _distinctive(language=language, terms=terms)
        if hits := _run(language=language, terms=words, mode=each, limit=limit):
            return SearchResult(query=query, hits=hits)
    fixed = _corrected(language=language, terms=terms)
    if fixed != terms:
        for each in modes:
            words = fixed if each == "all" else _distinctive(language=language, terms=fixed)
            if hits := _run(language=language, terms=words, mode=each, limit=limit):
                return SearchResult(query=query, hits=hits, corrected=" ".join(fixed))
    return SearchResult(query=query, hits=[])


def article_suggestions(*, language: str, text: str, limit: int = 5) -> list[Hit]:
    """Articles to suggest for a message being typed (contact form, chat, portal)."""
    if len(text.strip()) < 3:
        return []
    return article_search(language=language, query=text[-QUERY_MAX:], mode="any", limit=limit).hits


def content_gaps(*, since: datetime, language: str | None = None, limit: int = 50) -> list[dict]:
    """The most frequent searches that found nothing since ``since``."""
    rows = SearchLog.objects.filter(results=0, created_at__gte=since)
    if language:
        rows = rows.filter(language=language)
    return list(
        rows.values("language", "term")
        .annotate(searches=Count("pk"))
        .order_by("-searches", "term")[:limit]
    )


def deflection_stats(*, since: datetime, until: datetime, now: datetime | None = None) -> dict:
    """Suggestions opened in [since, until) and how many were deflected: no contact-form
    ticket from that visitor within 24 hours of opening. Openings younger than 24 hours
    are ``pending``. For the dashboards: ``rate`` is deflected / decided (None when
    nothing is decided yet)."""
    now = now or timezone.now()
    opened = SuggestionOpen.objects.filter(opened_at__gte=since, opened_at__lt=until)
    decided = opened.filter(opened_at__lte=now - DEFLECTION_WINDOW)
    contacted = ContactSubmission.objects.filter(
        visitor=OuterRef("visitor"), created_at__gte=OuterRef("opened_at"),
        created_at__lt=OuterRef("opened_at") + DEFLECTION_WINDOW,
    )  # fmt: skip
    total = opened.count()
    decided_count = decided.count()
    deflected = decided.filter(~Exists(contacted)).count()
    return {
        "opened": total,
        "pending": total - decided_count,
        "deflected": deflected,
        "contacted": decided_count - deflected,
        "rate": round(deflected / decided_count, 4) if decided_count else None,
    }


def translations_for_staff() -> QuerySet[Article]:
    """Every article with its translations, for the staff list (all staff see all)."""
    return Article.objects.select_related("section__category", "owner").prefetch_related(
        "translations"
    )


def article_links(*, language: str, query: str, limit: int = 8) -> list[Hit]:
    """Articles an agent may link in a reply, in the customer's language."""
    if not query.strip():
        return []
    return article_search(language=language, query=query, mode="all", limit=limit).hits


def order_belongs_to(*, number: str, email: str) -> bool:
    """Whether the order with this number is one of the customer's who owns this email
    address. The answer is the same for an unknown number and another customer's, so
    the form reveals nothing about other people's orders."""
    return Order.objects.filter(
        number__iexact=number, customer__identities__kind="email",
        customer__identities__address=email.strip().lower(),
    ).exists()  # fmt: skip
