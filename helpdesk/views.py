from __future__ import annotations

import re

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template import loader
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

HEX_COLOUR = re.compile(r"#[0-9a-fA-F]{6}")
DEFAULT_COLOUR = "#0f766e"


def home(request: HttpRequest) -> HttpResponse:
    """Staff land in their ticket list; everyone else at the login page."""
    if request.user.is_authenticated:
        return redirect("tickets:list")
    return redirect("login")


def _shade(colour: str, factor: float) -> str:
    """The colour darker (factor < 1), for hovers and for links on white."""
    red, green, blue = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return "#{:02x}{:02x}{:02x}".format(*(round(part * factor) for part in (red, green, blue)))


@require_safe
@cache_control(max_age=3600, public=True)
def brand_css(request: HttpRequest) -> HttpResponse:
    """The shop's colour as the design system's primary colour (a file, so the CSP holds)."""
    colour = settings.SHOP_COLOUR if HEX_COLOUR.fullmatch(settings.SHOP_COLOUR) else DEFAULT_COLOUR
    rgb = ",".join(str(int(colour[i : i + 2], 16)) for i in (1, 3, 5))
    css = (
        ":root,[data-bs-theme=light]{"
        f"--tblr-primary:{colour};--tblr-primary-rgb:{rgb};"
        f"--tblr-primary-darken:{_shade(colour, 0.85)};"
        f"--tblr-link-color:{_shade(colour, 0.9)};--tblr-link-color-rgb:{rgb};"
        f"--tblr-link-hover-color:{_shade(colour, 0.7)};"
        f"--brand:{colour};--brand-dark:{_shade(colour, 0.8)}"
        "}\n"
    )
    return HttpResponse(css, content_type="text/css; charset=utf-8")


def server_error(request: HttpRequest) -> HttpResponse:
    """The 500 page without the request's context: the database may be what failed."""
    from helpdesk.context_processors import brand

    html = loader.get_template("500.html").render(brand(request))
    return HttpResponse(html, status=500)


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """404: problem+json under /api/ (an address no API route matches), else the page."""
    if request.path.startswith("/api/"):
        import json

        from core.api.errors import PROBLEM_CONTENT_TYPE, TYPE_BASE

        body = {"type": TYPE_BASE + "not_found", "title": "Not found", "status": 404,
                "detail": "No such resource.", "code": "not_found"}  # fmt: skip
        return HttpResponse(json.dumps(body), status=404, content_type=PROBLEM_CONTENT_TYPE)
    from django.views.defaults import page_not_found

    return page_not_found(request, exception)
