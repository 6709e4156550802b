"""Public policy pages made from the product's own data, never hand-written: the
returns and warranty policy (the return window every delivery gets and the products'
warranty periods), the service promise (each team's SLA targets, business hours and
holidays), and the sitemap of the help center."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count
from django.urls import reverse
from django.utils import timezone

from customers.models import Product
from customers.services import RETURN_WINDOW
from helpcenter.models import ArticleTranslation, Category
from tickets.selectors import Promise, service_promises

LANGUAGES = [code for code, _name in settings.LANGUAGES]
DEFAULT_WARRANTY_MONTHS = Product._meta.get_field("warranty_months").default


@dataclass(frozen=True)
class WarrantyPeriod:
    months: int
    products: int  # how many products have it


@dataclass(frozen=True)
class ReturnsPolicy:
    return_days: int
    warranty_periods: list[WarrantyPeriod]
    default_warranty_months: int


def returns_policy() -> ReturnsPolicy:
    """The return window (from delivery) and the distinct warranty periods of the
    products we sell, longest first. One query."""
    periods = [
        WarrantyPeriod(months=row["warranty_months"], products=row["products"])
        for row in Product.objects.values("warranty_months")
        .annotate(products=Count("pk"))
        .order_by("-warranty_months")
    ]
    return ReturnsPolicy(
        return_days=RETURN_WINDOW.days, warranty_periods=periods,
        default_warranty_months=DEFAULT_WARRANTY_MONTHS,
    )  # fmt: skip


def service_promise(*, language: str) -> list[Promise]:
    """Each team's live response-time targets, opening hours, holidays and closures."""
    return service_promises(today=timezone.localdate(), language=language)


def sitemap_pages() -> list[dict]:
    """Every public help-center page: its URL and its URLs in the other languages."""
    site = settings.SITE_URL

    def each_language(name: str, *args: object) -> list[dict]:
        urls = {code: site + reverse(name, args=[code, *args]) for code in LANGUAGES}
        return [{"loc": url, "alternates": urls} for url in urls.values()]

    pages = each_language("helpcenter:home") + each_language("helpcenter:contact")
    pages += each_language("helpcenter:service_promise") + each_language("helpcenter:returns")
    for category in Category.objects.only("slug"):
        pages += each_language("helpcenter:category", category.slug)
    by_article: dict[int, dict[str, str]] = {}
    rows = ArticleTranslation.objects.filter(status=ArticleTranslation.Status.PUBLISHED)
    for article_id, language, slug in rows.values_list("article_id", "language", "slug"):
        by_article.setdefault(article_id, {})[language] = site + reverse(
            "helpcenter:article", args=[language, slug]
        )
    for urls in by_article.values():
        pages += [{"loc": url, "alternates": urls} for url in urls.values()]
    return pages
