"""The public help center: no login. Every page is in the language of its URL
(``/help/<language>/…``), with hreflang alternates and a canonical URL."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.ratelimit import rate_exceeded
from helpcenter import policies, selectors, services
from helpcenter.forms import ContactForm, form_started_read, form_started_token
from helpcenter.models import Article, HelpImage
from helpcenter.visitor import (
    OPEN_SALT,
    VOTE_SALT,
    token_make,
    token_valid,
    visitor_id,
    visitor_known,
    visitor_remember,
)
from tickets.uploads import uploaded_files

LANGUAGES = [code for code, _name in settings.LANGUAGES]
SOURCES = {"contact", "chat", "portal"}


def public_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Render in the URL's language and keep the visitor's id in its cookie."""

    @wraps(view)
    def wrapper(request: HttpRequest, lang: str, *args: object, **kwargs: object) -> HttpResponse:
        if lang not in LANGUAGES:
            raise Http404
        with translation.override(lang):
            request.LANGUAGE_CODE = lang
            response = view(request, lang, *args, **kwargs)
            if hasattr(response, "render") and not response.is_rendered:
                response.render()
        return visitor_remember(request, response)

    return wrapper


def _alternates(name: str, *args: object, slugs: dict[str, str] | None = None) -> list[tuple]:
    """(language, absolute URL, path) of this page in every language it exists in: the
    absolute URL for hreflang and canonical tags, the path for the page's own links."""
    if slugs is not None:
        paths = [(code, reverse(name, args=[code, slugs[code]])) for code in LANGUAGES
                 if code in slugs]  # fmt: skip
    else:
        paths = [(code, reverse(name, args=[code, *args])) for code in LANGUAGES]
    return [(code, settings.SITE_URL + path, path) for code, path in paths]


def _page(request: HttpRequest, template: str, context: dict, *, lang: str, status: int = 200,
          alternates: list[tuple] | None = None, index: bool = True) -> HttpResponse:  # fmt: skip
    alternates = alternates or []
    # A fallback page (no translation in this language) points at the one it shows.
    canonical = next((url for code, url, _path in alternates if code == lang), "")
    canonical = canonical or (alternates[0][1] if alternates else "")
    paths = {code: path for code, _url, path in alternates}
    # The switcher: this page in each language, else that language's help-center home.
    switcher = [(code, translation.get_language_info(code)["name_local"],
                 paths.get(code) or reverse("helpcenter:home", args=[code]))
                for code in LANGUAGES]  # fmt: skip
    return render(request, template, {
        "lang": lang, "alternates": alternates, "canonical": canonical, "index": index,
        "switcher": switcher,
        "hide_language_menu": True, **context,
    }, status=status)  # fmt: skip


@require_GET
def root(request: HttpRequest) -> HttpResponse:
    language = translation.get_language_from_request(request)
    return redirect("helpcenter:home", language if language in LANGUAGES else "en")


@require_GET
@public_page
def home(request: HttpRequest, lang: str) -> HttpResponse:
    return _page(request, "helpcenter/home.html", {
        "categories": selectors.categories_published(),
    }, lang=lang, alternates=_alternates("helpcenter:home"))  # fmt: skip


@require_GET
@public_page
def category(request: HttpRequest, lang: str, slug: str) -> HttpResponse:
    found = selectors.category_page(slug=slug, language=lang)
    if found is None:
        raise Http404
    return _page(request, "helpcenter/category.html", {"category": found}, lang=lang,
                 alternates=_alternates("helpcenter:category", slug))  # fmt: skip


@require_GET
@public_page
def section(request: HttpRequest, lang: str, slug: str) -> HttpResponse:
    page = request.GET.get("page", "1")
    found = selectors.section_page(
        slug=slug, language=lang, page=int(page) if page.isdigit() and len(page) < 6 else 1
    )
    if found is None:
        raise Http404
    return _page(request, "helpcenter/section.html", {"section": found, "category": found.category},
                 lang=lang, alternates=_alternates("helpcenter:section", slug),
                 index=found.page == 1)  # fmt: skip


@require_GET
@public_page
def article(request: HttpRequest, lang: str, slug: str) -> HttpResponse:
    page = selectors.article_page(language=lang, slug=slug)
    if page.redirect_slug:
        target = reverse("helpcenter:article", args=[page.redirect_language, page.redirect_slug])
        return redirect(target, permanent=True)
    if page.translation is None:
        raise Http404
    found = page.translation
    visitor = visitor_id(request)
    source = request.GET.get("from", "")
    if source in SOURCES and token_valid(
        salt=OPEN_SALT,
        token=request.GET.get("s", ""),
        visitor=visitor_known(request),
        article_id=found.article_id,
    ):
        services.suggestion_open_record(visitor=visitor, article_id=found.article_id, source=source)
    return _page(request, "helpcenter/article.html", {
        "translation": found, "fallback": found.language != lang,
        "category": found.article.section.category, "section": found.article.section,
        "vote_token": token_make(salt=VOTE_SALT, visitor=visitor, article_id=found.article_id),
        "voted": request.GET.get("voted"),
    }, lang=lang, alternates=_alternates("helpcenter:article", slugs=page.alternates))  # fmt: skip


@require_POST
@public_page
def vote(request: HttpRequest, lang: str, pk: int) -> HttpResponse:
    """Record "was this helpful?": a POST with the token of this page for this visitor.
    A GET, a post without the visitor's cookie, or a tampered token records nothing."""
    found = get_object_or_404(Article, pk=pk)
    helpful = {"yes": True, "no": False}.get(request.POST.get("helpful", ""))
    visitor = visitor_known(request)
    comment = request.POST.get("comment", "")
    if (
        helpful is None
        or len(comment) > services.COMMENT_MAX
        or not token_valid(
            salt=VOTE_SALT, token=request.POST.get("token", ""), visitor=visitor, article_id=pk
        )
    ):
        return HttpResponseBadRequest(_("This vote could not be recorded. Please reload the page "
                                        "and try again."))  # fmt: skip
    services.vote_record(article=found, visitor=visitor, helpful=helpful,
                         comment=comment.strip(), language=lang)  # fmt: skip
    translation_row = selectors.translation_pick(
        Article.objects.prefetch_related("translations").get(pk=pk), lang
    )
    if translation_row is None:
        return redirect("helpcenter:home", lang)
    url = reverse("helpcenter:article", args=[lang, translation_row.slug])
    return redirect(f"{url}?voted={'yes' if helpful else 'no'}#vote")


@require_GET
@public_page
def search(request: HttpRequest, lang: str) -> HttpResponse:
    query = " ".join(request.GET.get("q", "").split())[: selectors.QUERY_MAX]
    result = selectors.article_search(language=lang, query=query) if query else None
    if result is not None:
        services.search_log(language=lang, term=query, results=len(result.hits))
    return _page(request, "helpcenter/search.html", {"query": query, "result": result},
                 lang=lang, index=False)  # fmt: skip


@require_GET
@public_page
def suggest(request: HttpRequest, lang: str) -> HttpResponse:
    """The suggestions partial (htmx) for a text being typed; see _suggestions.html."""
    parts = [
        *request.GET.getlist("q"),
        request.GET.get("subject", ""),
        request.GET.get("message", ""),
    ]
    text = " ".join(part[:2000] for part in parts)[-500:]
    source = request.GET.get("source", "contact")
    source = source if source in SOURCES else "contact"
    visitor = visitor_id(request)
    hits = selectors.article_suggestions(language=lang, text=text)
    for hit in hits:
        hit.open_token = token_make(salt=OPEN_SALT, visitor=visitor, article_id=hit.article_id)
    return render(request, "helpcenter/_suggestions.html",
                  {"suggestions": hits, "source": source, "lang": lang})  # fmt: skip


def _ip(request: HttpRequest) -> str:
    return request.META.get("REMOTE_ADDR", "")[:45]


def _contact_refusal(request: HttpRequest, form: ContactForm) -> tuple[list[str], int, list]:
    """Why this post is refused (errors, HTTP status) or its files when it is not."""
    if rate_exceeded(f"help:contact:ip:{_ip(request)}", settings.HELPCENTER_CONTACT_PER_IP_HOUR):
        return [_("You have sent many messages in a short time. Please wait an hour and try "
                  "again, or write to us by email.")], 429, []  # fmt: skip
    if not form.is_valid():
        return [], 400, []
    data = form.cleaned_data
    if data["website"]:
        return [_("Your message looks as if a program filled in the form. Please leave the "
                  "last field empty and send it again.")], 400, []  # fmt: skip
    started = form_started_read(data["started"])
    if started is None:
        return [_("This form has expired. Please check your message and send it again.")], 400, []
    if started[0] < settings.HELPCENTER_CONTACT_MIN_SECONDS:
        return [_("That was quicker than anyone can type. Please check your message and send "
                  "it again.")], 400, []  # fmt: skip
    address_key = f"help:contact:address:{data['email'].lower()}"
    if (cache.get(address_key) or 0) >= settings.HELPCENTER_CONTACT_PER_ADDRESS_HOUR:
        return [_("We already have several messages from this address this hour. We will "
                  "answer them soon; please wait before you write again.")], 429, []  # fmt: skip
    if data["order_number"] and not selectors.order_belongs_to(
        number=data["order_number"], email=data["email"]
    ):
        return [_("We cannot find this order number under your email address. Please check "
                  "both, or leave the order number empty.")], 400, []  # fmt: skip
    files, errors = uploaded_files(request)
    if errors:
        return errors, 400, []
    return [], 200, files


@require_http_methods(["GET", "HEAD", "POST"])
@public_page
def contact(request: HttpRequest, lang: str) -> HttpResponse:
    """The "Contact us" page: a post that passes every check becomes a web-form message
    (a ticket, routed, acknowledged); a refused one keeps what was typed and stores
    nothing."""
    status, errors = 200, []
    if request.method == "POST":
        form = ContactForm(request.POST)
        errors, status, files = _contact_refusal(request, form)
        if status == 200:
            data = form.cleaned_data
            services.contact_submit(
                name=data["name"], email=data["email"], topic=data["topic"],
                subject=data["subject"], message=data["message"],
                order_number=data["order_number"], language=lang, attachments=files,
                visitor=visitor_id(request), ip_address=_ip(request) or None,
                nonce=form_started_read(data["started"])[1], stock_sku=data["stock_sku"],
            )  # fmt: skip
            rate_exceeded(f"help:contact:address:{data['email'].lower()}", 10**6)
            return redirect("helpcenter:contact_sent", lang)
        form.data = form.data.copy()
        form.data["started"] = form_started_token()  # a fresh start for the next try
    else:
        form = ContactForm(initial={"started": form_started_token()})
    visitor_id(request)
    return _page(
        request,
        "helpcenter/contact.html",
        {"form": form, "errors": errors},
        lang=lang,
        status=status,
        alternates=_alternates("helpcenter:contact"),
    )


@require_GET
@public_page
def contact_sent(request: HttpRequest, lang: str) -> HttpResponse:
    return _page(request, "helpcenter/contact_sent.html", {}, lang=lang, index=False)


@require_GET
@public_page
def service_promise(request: HttpRequest, lang: str) -> HttpResponse:
    promises = policies.service_promise(language=lang)
    return _page(request, "helpcenter/service_promise.html", {"promises": promises},
                 lang=lang, alternates=_alternates("helpcenter:service_promise"))  # fmt: skip


@require_GET
@public_page
def returns_policy(request: HttpRequest, lang: str) -> HttpResponse:
    return _page(request, "helpcenter/returns.html", {"policy": policies.returns_policy()},
                 lang=lang, alternates=_alternates("helpcenter:returns"))  # fmt: skip


@require_GET
def image(request: HttpRequest, public_id: str) -> HttpResponse:
    """An article image: only files we typed as images ourselves, never sniffed."""
    found = get_object_or_404(HelpImage, public_id=public_id)
    with found.file.open("rb") as file:
        response = HttpResponse(file.read(), content_type=found.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "public, max-age=86400"
    return response


@require_GET
def sitemap(request: HttpRequest) -> HttpResponse:
    return render(request, "helpcenter/sitemap.xml", {"pages": policies.sitemap_pages()},
                  content_type="application/xml")  # fmt: skip
