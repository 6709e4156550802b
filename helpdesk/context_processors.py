"""What every page's layout needs: the shop's name, logo and colour."""

from __future__ import annotations

from functools import cache
from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpRequest
from django.templatetags.static import static


@cache
def _brand() -> dict[str, str]:
    logo = settings.SHOP_LOGO
    if logo and not logo.startswith(("https://", "/")):
        logo = static(logo)
    url = settings.SHOP_URL
    return {
        "name": settings.SHOP_NAME,
        "logo": logo,
        "colour": settings.SHOP_COLOUR,
        "url": url,
        "url_label": urlsplit(url).netloc or url,
    }


def brand(request: HttpRequest) -> dict[str, dict[str, str]]:
    return {"brand": _brand()}
