"""Self-service: categories, sections and articles with one translation per language,
their revisions, slug redirects, uploaded images, "was this helpful?" votes, the search
log (content gaps), opened suggestions (deflection) and contact-form submissions.

A translation's ``title`` / ``body_markdown`` / ``body_html`` are what visitors see once
it is published; every saved version, proposed or published, is an ``ArticleRevision``.
``search_vector`` is kept by a database trigger (migration 0001), weighted A for the
title and B for the body, in the translation's own language."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex, OpClass
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

LANGUAGE_CODES = [code for code, _name in settings.LANGUAGES]


class _Named(models.Model):
    """A name in each language; ``name`` reads the active one, else English."""

    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    position = models.PositiveSmallIntegerField(_("position"), default=100)
    name_en = models.CharField(_("name (English)"), max_length=120)
    name_de = models.CharField(_("name (German)"), max_length=120, blank=True)
    name_tr = models.CharField(_("name (Turkish)"), max_length=120, blank=True)

    class Meta:
        abstract = True
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.name_en

    @property
    def name(self) -> str:
        language = (get_language() or "en")[:2]
        return getattr(self, f"name_{language}", "") or self.name_en


class Category(_Named):
    class Meta(_Named.Meta):
        verbose_name = _("help category")
        verbose_name_plural = _("help categories")


class Section(_Named):
    category = models.ForeignKey(
        Category, on_delete=models.CASCADE, related_name="sections", verbose_name=_("category")
    )

    class Meta(_Named.Meta):
        verbose_name = _("help section")
        verbose_name_plural = _("help sections")


class Article(models.Model):
    """One piece of advice, written in up to three languages (``translations``)."""

    section = models.ForeignKey(
        Section, on_delete=models.PROTECT, related_name="articles", verbose_name=_("section")
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+", verbose_name=_("content owner"),
    )  # fmt: skip
    team = models.ForeignKey(
        "core.Team", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("team"), help_text=_("Feedback on this article becomes this team's ticket."),
    )  # fmt: skip
    position = models.PositiveSmallIntegerField(_("position"), default=100)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        ordering = ["position", "pk"]
        indexes = [models.Index(fields=["section", "position", "id"], name="help_article_section")]

    def __str__(self) -> str:
        return f"#{self.pk}"


class ArticleTranslation(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        UNPUBLISHED = "unpublished", _("Unpublished")

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="translations")
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=220, allow_unicode=True)
    body_markdown = models.TextField(_("text (Markdown)"), blank=True)
    body_html = models.TextField(_("text (HTML, sanitised)"), blank=True)
    body_text = models.TextField(_("text (plain, for search)"), blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.DRAFT
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    search_vector = SearchVectorField(null=True, editable=False)

    class Meta:
        verbose_name = _("article translation")
        verbose_name_plural = _("article translations")
        constraints = [
            models.UniqueConstraint(fields=["article", "language"], name="help_one_per_language"),
            models.UniqueConstraint(fields=["language", "slug"], name="help_slug_unique"),
        ]
        indexes = [
            GinIndex(fields=["search_vector"], name="help_search"),
            GinIndex(OpClass(Lower("title"), name="gin_trgm_ops"), name="help_title_trgm"),
            models.Index(fields=["language", "status"], name="help_language_status"),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.language})"


class ArticleRevision(models.Model):
    """One saved version of a translation: proposed by an agent, or published by a lead."""

    class Kind(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        PUBLISHED = "published", _("Published")

    translation = models.ForeignKey(
        ArticleTranslation, on_delete=models.CASCADE, related_name="revisions"
    )
    title = models.CharField(_("title"), max_length=200)
    body_markdown = models.TextField(_("text (Markdown)"), blank=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.PROPOSED)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("revision")
        verbose_name_plural = _("revisions")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.translation_id} {self.get_kind_display()} {self.created_at:%Y-%m-%d}"


class SlugRedirect(models.Model):
    """An old slug of a translation, so links to it keep working (301 to the new one)."""

    language = models.CharField(max_length=8, choices=settings.LANGUAGES)
    slug = models.SlugField(max_length=220, allow_unicode=True)
    translation = models.ForeignKey(
        ArticleTranslation, on_delete=models.CASCADE, related_name="old_slugs"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["language", "slug"], name="help_old_slug_unique")
        ]

    def __str__(self) -> str:
        return f"{self.language}/{self.slug}"


def _upload_path(instance: HelpImage, filename: str) -> str:
    return f"helpcenter/{instance.public_id.hex}"


class HelpImage(models.Model):
    """An image uploaded from the article editor, shown inside articles."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    article = models.ForeignKey(
        Article, null=True, blank=True, on_delete=models.SET_NULL, related_name="images"
    )
    file = models.FileField(upload_to=_upload_path, max_length=200)
    filename = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("help-center image")
        verbose_name_plural = _("help-center images")

    def __str__(self) -> str:
        return self.filename


class ArticleVote(models.Model):
    """One visitor's "was this helpful?" on one article; a later vote changes it."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="votes")
    language = models.CharField(max_length=8, choices=settings.LANGUAGES)
    visitor = models.UUIDField()
    helpful = models.BooleanField()
    comment = models.TextField(blank=True)
    ticket_id = models.BigIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("article vote")
        verbose_name_plural = _("article votes")
        constraints = [models.UniqueConstraint(fields=["article", "visitor"], name="help_one_vote")]

    def __str__(self) -> str:
        return f"{self.article_id}: {'yes' if self.helpful else 'no'}"


class SearchLog(models.Model):
    """One search a visitor ran on the help center, with how many articles it found."""

    language = models.CharField(max_length=8)
    term = models.CharField(max_length=100)
    results = models.PositiveIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [
            models.Index(
                fields=["created_at", "language"], name="help_search_gaps",
                condition=models.Q(results=0),
            )
        ]  # fmt: skip

    def __str__(self) -> str:
        return f"{self.language}: {self.term} ({self.results})"


class SuggestionOpen(models.Model):
    """A visitor opened an article the contact form (or chat, or portal) suggested."""

    visitor = models.UUIDField()
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="+")
    source = models.CharField(max_length=16, default="contact")
    opened_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["visitor", "article"], name="help_open_once")
        ]
        indexes = [models.Index(fields=["opened_at"], name="help_open_at")]

    def __str__(self) -> str:
        return f"{self.visitor} → {self.article_id}"


class ContactSubmission(models.Model):
    """A contact-form post that was accepted (its message went to the inbound pipeline)."""

    visitor = models.UUIDField(null=True)
    email = models.EmailField(max_length=320)
    ip_address = models.GenericIPAddressField(null=True)
    inbound_id = models.BigIntegerField()
    language = models.CharField(max_length=8)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["visitor", "created_at"], name="help_contact_visitor")]

    def __str__(self) -> str:
        return f"{self.email} ({self.created_at:%Y-%m-%d %H:%M})"


class SearchWord(models.Model):
    """Every word of the published articles, per language: a misspelt search term is
    corrected to its nearest word here (``pg_trgm`` similarity) before the full-text
    search runs again."""

    language = models.CharField(max_length=8)
    word = models.CharField(max_length=60)
    # In how many published texts it appeared: suggestions leave out words most articles
    # have ("hello", "order"), which would match (and rank) nearly everything.
    documents = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["language", "word"], name="help_word_unique")
        ]
        indexes = [GinIndex(OpClass("word", name="gin_trgm_ops"), name="help_word_trgm")]

    def __str__(self) -> str:
        return f"{self.language}: {self.word}"
