"""The help center in the agent workspace: write articles in Markdown with a preview,
propose (agents) and publish (leads and admins), images, content gaps and feedback, and
article links for the reply composer."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.access import agent_required, is_lead, lead_required
from core.htmx import toast
from helpcenter import selectors, services
from helpcenter.forms import ArticleForm, ArticleNewForm
from helpcenter.markdown import markdown_render
from helpcenter.models import Article, ArticleRevision, ArticleTranslation, ArticleVote
from helpcenter.views.public import LANGUAGES
from messaging.types import FileData, filename_clean
from tickets.selectors import ticket_get


@require_GET
@agent_required
def article_list(request: HttpRequest) -> HttpResponse:
    articles = list(
        selectors.translations_for_staff().order_by(
            "section__category__position", "section__position", "pk"
        )
    )
    for article in articles:
        have = {t.language: t for t in article.translations.all()}
        article.columns = [(code, have.get(code)) for code in LANGUAGES]
    return render(request, "helpcenter/staff/list.html", {
        "articles": articles, "languages": LANGUAGES, "can_publish": is_lead(request.user),
    })  # fmt: skip


@require_http_methods(["GET", "POST"])
@agent_required
def article_new(request: HttpRequest) -> HttpResponse:
    form = ArticleNewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        translation = services.article_create(
            section=data["section"], by=request.user, language=data["language"],
            title=data["title"], body_markdown=data["body"],
        )  # fmt: skip
        return redirect("helpcenter:staff_edit", translation.article_id, translation.language)
    return render(request, "helpcenter/staff/new.html", {"form": form},
                  status=400 if form.is_bound else 200)  # fmt: skip


def _article(pk: int, lang: str) -> tuple[Article, ArticleTranslation | None]:
    if lang not in LANGUAGES:
        raise Http404
    article = get_object_or_404(Article.objects.select_related("section__category"), pk=pk)
    return article, article.translations.filter(language=lang).first()


@require_http_methods(["GET", "POST"])
@agent_required
def article_edit(request: HttpRequest, pk: int, lang: str) -> HttpResponse:
    """Save a version (agents propose; a lead may publish it in the same step)."""
    article, translation = _article(pk, lang)
    latest = translation.revisions.first() if translation else None
    if request.method == "POST":
        form = ArticleForm(request.POST)
        publish = request.POST.get("action") == "publish"
        if publish and not is_lead(request.user):
            raise PermissionDenied
        if form.is_valid():
            revision = services.translation_propose(
                article=article, language=lang, title=form.cleaned_data["title"],
                body_markdown=form.cleaned_data["body"], by=request.user,
            )  # fmt: skip
            if publish:
                services.translation_publish(translation=revision.translation, by=request.user,
                                             revision=revision)  # fmt: skip
            response = redirect("helpcenter:staff_edit", pk, lang)
            return toast(request, response, _("Published.") if publish else _("Saved as a draft."))
    else:
        source = latest or translation
        form = ArticleForm(initial={"title": source.title, "body": source.body_markdown}
                           if source else None)  # fmt: skip
    return render(request, "helpcenter/staff/edit.html", {
        "article": article, "translation": translation, "lang": lang, "form": form,
        "languages": LANGUAGES, "revisions": translation.revisions.select_related("author")[:30]
        if translation else [], "can_publish": is_lead(request.user),
        "pending": latest is not None and latest.kind == ArticleRevision.Kind.PROPOSED,
    }, status=400 if form.is_bound else 200)  # fmt: skip


@require_POST
@agent_required
def article_preview(request: HttpRequest) -> HttpResponse:
    body = request.POST.get("body", "")[: services.BODY_MAX]
    return render(request, "helpcenter/staff/_preview.html", {"html": markdown_render(body)})


@require_POST
@lead_required
def article_publish(request: HttpRequest, pk: int, lang: str) -> HttpResponse:
    _article_row, translation = _article(pk, lang)
    if translation is None:
        raise Http404
    revision = None
    if revision_id := request.POST.get("revision"):
        if not revision_id.isdigit():
            raise Http404
        revision = get_object_or_404(translation.revisions, pk=int(revision_id))
    services.translation_publish(translation=translation, by=request.user, revision=revision)
    return toast(request, redirect("helpcenter:staff_edit", pk, lang), _("Published."))


@require_POST
@lead_required
def article_unpublish(request: HttpRequest, pk: int, lang: str) -> HttpResponse:
    _article_row, translation = _article(pk, lang)
    if translation is None:
        raise Http404
    services.translation_unpublish(translation=translation, by=request.user)
    return toast(request, redirect("helpcenter:staff_edit", pk, lang), _("Unpublished."))


@require_POST
@agent_required
def image_upload(request: HttpRequest) -> HttpResponse:
    upload = request.FILES.get("image")
    error, snippet = "", ""
    if upload is None:
        error = _("Choose an image to upload.")
    else:
        try:
            image = services.image_upload(
                file=FileData(filename=filename_clean(upload.name or "", fallback="image"),
                              content_type=upload.content_type or "", content=upload.read()),
                by=request.user,
            )  # fmt: skip
        except services.ImageRefusedError:
            error = _("Upload a PNG, JPEG, GIF or WebP image of at most %(limit)s.") % {
                "limit": filesizeformat(settings.REPLY_MAX_ATTACHMENT_BYTES)
            }
        else:
            url = reverse("helpcenter:image", args=[image.public_id])
            alt = image.filename.rsplit(".", 1)[0].replace("]", "").replace("[", "")
            snippet = f"![{alt}]({url})"
    return render(request, "helpcenter/staff/_upload.html", {"error": error, "snippet": snippet},
                  status=400 if error else 200)  # fmt: skip


@require_GET
@lead_required
def insights(request: HttpRequest) -> HttpResponse:
    """Content gaps (searches that found nothing), deflection and unhappy feedback."""
    now = timezone.now()
    since = now - timedelta(days=30)
    feedback = (
        ArticleVote.objects.filter(helpful=False, updated_at__gte=since).exclude(comment="")
        .select_related("article").prefetch_related("article__translations")
        .order_by("-updated_at")[:50]
    )  # fmt: skip
    for vote in feedback:
        vote.translation = selectors.translation_pick(vote.article, vote.language)
    return render(request, "helpcenter/staff/insights.html", {
        "gaps": selectors.content_gaps(since=since),
        "deflection": selectors.deflection_stats(since=since, until=now),
        "feedback": feedback,
    })  # fmt: skip


@require_POST
@lead_required
def feedback_ticket(request: HttpRequest, pk: int) -> HttpResponse:
    vote = get_object_or_404(ArticleVote, pk=pk, helpful=False)
    if not vote.comment:
        raise Http404
    ticket_id = services.vote_ticket_open(vote=vote, by=request.user)
    return redirect("tickets:detail", ticket_id)


@require_GET
@agent_required
def composer_links(request: HttpRequest, ticket_pk: int) -> HttpResponse:
    """Articles to link in a reply, in the customer's language (404 outside scope)."""
    ticket = ticket_get(user=request.user, pk=ticket_pk)
    language = ticket.customer.language if ticket.customer.language in LANGUAGES else "en"
    query = request.GET.get("q", "")[: selectors.QUERY_MAX]
    hits = selectors.article_links(language=language, query=query)
    if not hits and language != "en":
        hits = selectors.article_links(language="en", query=query)
    for hit in hits:
        hit.url = settings.SITE_URL + reverse("helpcenter:article", args=[hit.language, hit.slug])
    return render(request, "helpcenter/_composer_results.html", {"hits": hits, "query": query})
