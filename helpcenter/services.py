"""Every write of the help center: articles and their revisions, images, votes, the search
log, opened suggestions and contact-form posts.

Agents propose (a revision); leads and admins publish. The published text of a
translation is the one visitors see; a proposal waits until a lead publishes it."""

from __future__ import annotations

import hashlib
import re
import uuid
from collections.abc import Sequence

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.files.base import ContentFile
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.text import slugify

from core.access import agent_profile, is_lead
from core.events import event_record
from customers.services import customer_from_identity
from helpcenter.hooks import contact_form_stock_request
from helpcenter.markdown import html_to_text, markdown_render
from helpcenter.models import (
    Article,
    ArticleRevision,
    ArticleTranslation,
    ArticleVote,
    ContactSubmission,
    HelpImage,
    SearchLog,
    Section,
    SlugRedirect,
    SuggestionOpen,
)
from messaging.channels.webform.adapter import payload_make
from messaging.inbound import inbound_store
from messaging.models import Channel, InboundPayload
from messaging.types import FileData
from tickets.services import ticket_open_internal

COMMENT_MAX = 2000
TITLE_MAX = 200
BODY_MAX = 100_000
_TRANSLITERATE = str.maketrans(
    {"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "ç": "c", "ğ": "g", "ı": "i", "ş": "s",
     "Ä": "ae", "Ö": "oe", "Ü": "ue", "Ç": "c", "Ğ": "g", "İ": "i", "Ş": "s"}
)  # fmt: skip
_WORD = re.compile(r"[^\W\d_]{3,60}")
# What an uploaded image must start with; SVG (which can carry scripts) is not an image here.
IMAGE_MAGIC = {
    b"\x89PNG\r\n\x1a\n": "image/png", b"\xff\xd8\xff": "image/jpeg", b"GIF87a": "image/gif",
    b"GIF89a": "image/gif",
}  # fmt: skip


class HelpPermissionError(PermissionError):
    """Only leads and admins publish; only staff write."""


class ImageRefusedError(ValueError):
    """Not an image we show (PNG, JPEG, GIF or WebP), or too large; ``str`` says which."""


def slug_make(*, title: str, language: str, translation_id: int | None = None) -> str:
    """A readable ASCII slug of the title, unique in its language."""
    base = slugify(title.translate(_TRANSLITERATE))[:200].strip("-") or "article"
    slug, number = base, 1
    taken = ArticleTranslation.objects.filter(language=language).exclude(pk=translation_id)
    old = SlugRedirect.objects.filter(language=language).exclude(translation_id=translation_id)
    while taken.filter(slug=slug).exists() or old.filter(slug=slug).exists():
        number += 1
        slug = f"{base}-{number}"
    return slug


def _require_staff(by: AbstractUser) -> None:
    if agent_profile(by) is None:
        raise HelpPermissionError("only staff write articles")


@transaction.atomic
def article_create(
    *, section: Section, by: AbstractUser, language: str, title: str, body_markdown: str,
    team_id: int | None = None,
) -> ArticleTranslation:  # fmt: skip
    """A new article with its first translation, as a draft (a proposed revision)."""
    _require_staff(by)
    article = Article.objects.create(section=section, owner=by, team_id=team_id)
    event_record(kind="help.article_created", actor=by, data={"article": article.pk})
    revision = translation_propose(
        article=article, language=language, title=title, body_markdown=body_markdown, by=by
    )
    return revision.translation


@transaction.atomic
def translation_propose(
    *, article: Article, language: str, title: str, body_markdown: str, by: AbstractUser
) -> ArticleRevision:
    """Save a version of one translation. A translation never published shows it as its
    draft; a published one keeps its text until a lead publishes this revision."""
    _require_staff(by)
    title = " ".join(title.split())[:TITLE_MAX]
    body_markdown = body_markdown[:BODY_MAX]
    translation = (
        ArticleTranslation.objects.select_for_update()
        .filter(article=article, language=language)
        .first()
    )
    if translation is None:
        translation = ArticleTranslation.objects.create(
            article=article, language=language, title=title,
            slug=slug_make(title=title, language=language), body_markdown=body_markdown,
        )  # fmt: skip
    elif translation.status != ArticleTranslation.Status.PUBLISHED:
        translation.title, translation.body_markdown = title, body_markdown
        translation.save(update_fields=["title", "body_markdown", "updated_at"])
    revision = ArticleRevision.objects.create(
        translation=translation, title=title, body_markdown=body_markdown, author=by
    )
    event_record(
        kind="help.article_proposed",
        actor=by,
        data={"article": article.pk, "language": language, "revision": revision.pk},
    )
    return revision


@transaction.atomic
def translation_publish(
    *, translation: ArticleTranslation, by: AbstractUser, revision: ArticleRevision | None = None
) -> ArticleTranslation:
    """A lead or admin publishes a revision (the latest by default). When the title
    changes the slug does too, and the old slug redirects to the new one."""
    if not is_lead(by):
        raise HelpPermissionError("only leads and admins publish")
    translation = ArticleTranslation.objects.select_for_update().get(pk=translation.pk)
    revision = revision or translation.revisions.first()
    if revision is None or revision.translation_id != translation.pk:
        raise ValueError("nothing to publish")
    was_public = translation.published_at is not None
    rendered = markdown_render(revision.body_markdown)
    slug = translation.slug
    if was_public and revision.title != translation.title:
        slug = slug_make(title=revision.title, language=translation.language,
                         translation_id=translation.pk)  # fmt: skip
    if slug != translation.slug:
        SlugRedirect.objects.filter(language=translation.language, slug=slug).delete()
        SlugRedirect.objects.create(language=translation.language, slug=translation.slug,
                                    translation=translation)  # fmt: skip
    translation.title, translation.slug = revision.title, slug
    translation.body_markdown, translation.body_html = revision.body_markdown, rendered
    translation.body_text = html_to_text(rendered)
    translation.status = ArticleTranslation.Status.PUBLISHED
    translation.published_at = timezone.now()
    translation.save()
    if revision.kind != ArticleRevision.Kind.PUBLISHED:
        revision.kind = ArticleRevision.Kind.PUBLISHED
        revision.save(update_fields=["kind"])
    words_learn(language=translation.language, text=f"{translation.title} {translation.body_text}")
    event_record(kind="help.article_published", actor=by,
                 data={"article": translation.article_id, "language": translation.language,
                       "revision": revision.pk, "slug": slug})  # fmt: skip
    return translation


@transaction.atomic
def translation_unpublish(
    *, translation: ArticleTranslation, by: AbstractUser
) -> ArticleTranslation:
    if not is_lead(by):
        raise HelpPermissionError("only leads and admins unpublish")
    translation = ArticleTranslation.objects.select_for_update().get(pk=translation.pk)
    if translation.status != ArticleTranslation.Status.PUBLISHED:
        return translation
    translation.status = ArticleTranslation.Status.UNPUBLISHED
    translation.save(update_fields=["status", "updated_at"])
    event_record(
        kind="help.article_unpublished",
        actor=by,
        data={"article": translation.article_id, "language": translation.language},
    )
    return translation


def words_learn(*, language: str, text: str) -> None:
    """Add the words of a published text to its language's spelling list and count the
    text once for each (a text published again counts again: an estimate is enough)."""
    words = sorted({word.lower() for word in _WORD.findall(text)})
    if not words:
        return
    with connection.cursor() as cursor:
        cursor.execute(
            """INSERT INTO helpcenter_searchword (language, word, documents)
               SELECT %s, w, 1 FROM unnest(%s::text[]) AS w
               ON CONFLICT (language, word)
               DO UPDATE SET documents = helpcenter_searchword.documents + 1""",
            [language, words],
        )


def image_kind(content: bytes) -> str:
    for magic, content_type in IMAGE_MAGIC.items():
        if content.startswith(magic):
            return content_type
    if content[:4] == b"RIFF" and content[8:12] == b"WEBP":
        return "image/webp"
    return ""


@transaction.atomic
def image_upload(*, file: FileData, by: AbstractUser, article: Article | None = None) -> HelpImage:
    """Keep an image for articles, under a server-made name, typed by its content."""
    _require_staff(by)
    if len(file.content) > settings.REPLY_MAX_ATTACHMENT_BYTES:
        raise ImageRefusedError("too large")
    content_type = image_kind(file.content)
    if not content_type:
        raise ImageRefusedError("not an image")
    image = HelpImage(
        article=article, filename=file.filename[:255], content_type=content_type,
        size=len(file.content), sha256=hashlib.sha256(file.content).hexdigest(), uploaded_by=by,
    )  # fmt: skip
    image.file.save(image.public_id.hex, ContentFile(file.content), save=False)
    image.save()
    event_record(kind="help.image_uploaded", actor=by, data={"image": image.pk})
    return image


@transaction.atomic
def vote_record(
    *, article: Article, visitor: uuid.UUID, helpful: bool, comment: str, language: str
) -> ArticleVote:
    """One vote per visitor and article; voting again changes it."""
    vote, created = ArticleVote.objects.select_for_update().get_or_create(
        article=article, visitor=visitor,
        defaults={"helpful": helpful, "comment": comment[:COMMENT_MAX], "language": language},
    )  # fmt: skip
    if not created:
        vote.helpful, vote.comment, vote.language = helpful, comment[:COMMENT_MAX], language
        vote.save(update_fields=["helpful", "comment", "language", "updated_at"])
    event_record(kind="help.voted", data={"article": article.pk, "vote": vote.pk,
                                          "helpful": helpful})  # fmt: skip
    return vote


@transaction.atomic
def vote_ticket_open(*, vote: ArticleVote, by: AbstractUser) -> int:
    """A "no" with a comment becomes an internal ticket for the article's owner and team
    (once: a second call returns the same ticket)."""
    _require_staff(by)
    vote = ArticleVote.objects.select_for_update().select_related("article").get(pk=vote.pk)
    if vote.ticket_id:
        return vote.ticket_id
    if vote.helpful or not vote.comment:
        raise ValueError("only a 'no' with a comment becomes a ticket")
    customer, _identity = customer_from_identity(
        kind="email", address=settings.HELPCENTER_FEEDBACK_ADDRESS,
        display_name=settings.SHOP_NAME, language=lambda: settings.LANGUAGE_CODE,
    )  # fmt: skip
    translation = vote.article.translations.filter(language=vote.language).first()
    title = translation.title if translation else f"#{vote.article_id}"
    ticket = ticket_open_internal(
        customer=customer, subject=f"Help center feedback: {title}"[:255],
        note=f"{title} ({vote.language})\n\n{vote.comment}", team=vote.article.team,
        assignee=vote.article.owner,
    )  # fmt: skip
    vote.ticket_id = ticket.pk
    vote.save(update_fields=["ticket_id", "updated_at"])
    event_record(kind="help.feedback_ticket", actor=by, ticket=ticket,
                 data={"vote": vote.pk, "article": vote.article_id})  # fmt: skip
    return ticket.pk


def search_log(*, language: str, term: str, results: int) -> None:
    """Remember a visitor's search (not an audited change: a measurement). Its commit
    does not wait for the disk: a crash may lose the last few, never anything else."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL synchronous_commit TO OFF")
        SearchLog.objects.create(language=language, term=term[:100].lower(), results=results)


def suggestion_open_record(*, visitor: uuid.UUID, article_id: int, source: str) -> bool:
    """A suggested article was opened; counted once per visitor and article."""
    try:
        with transaction.atomic():
            SuggestionOpen.objects.create(
                visitor=visitor, article_id=article_id, source=source[:16]
            )
    except IntegrityError:
        return False
    return True


@transaction.atomic
def contact_submit(
    *, name: str, email: str, topic: str, subject: str, message: str, order_number: str,
    language: str, attachments: Sequence[FileData], visitor: uuid.UUID | None,
    ip_address: str | None, nonce: str, stock_sku: str = "",
) -> tuple[ContactSubmission, bool]:  # fmt: skip
    """Hand one checked contact-form post to the inbound pipeline (channel web form),
    which makes the ticket, routes it and acknowledges it. The form's ``nonce`` is the
    dedupe key: the same form sent twice makes one ticket. Returns the submission and
    whether it is new."""
    raw = payload_make(
        name=name, email=email, topic=topic, subject=subject, message=message,
        order_number=order_number, language=language, recipients=[f"web:{topic}"],
        attachments=attachments,
    )  # fmt: skip
    payload, created = inbound_store(
        raw=raw, source=InboundPayload.Source.FORM, channel=Channel.WEB, origin="webform",
        event_id=nonce,
    )  # fmt: skip
    if not created:
        existing = ContactSubmission.objects.filter(inbound_id=payload.pk).first()
        if existing is not None:
            return existing, False
    submission = ContactSubmission.objects.create(
        visitor=visitor, email=email, ip_address=ip_address or None, inbound_id=payload.pk,
        language=language,
    )  # fmt: skip
    event_record(
        kind="help.contact_submitted",
        data={"submission": submission.pk, "inbound": payload.pk, "topic": topic},
    )
    if stock_sku:
        contact_form_stock_request.call_all(email=email, name=name, language=language,
                                            sku=stock_sku)  # fmt: skip
    return submission, created
