"""The help-center API for the shop's systems: published articles, read only (a shop
shows them in its own pages or app). Drafts and unpublished translations never leave."""

from __future__ import annotations

from django.conf import settings
from django.db.models import Prefetch
from django.http import Http404
from django.urls import reverse
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from core.api.base import ApiView, id_or_404
from core.api.pagination import CursorPage
from helpcenter.models import Article, ArticleTranslation

PUBLISHED = ArticleTranslation.Status.PUBLISHED


class TranslationOutput(serializers.ModelSerializer):
    url = serializers.SerializerMethodField(help_text="The article's public page.")

    class Meta:
        model = ArticleTranslation
        ref_name = "HelpArticleTranslation"
        fields = ["language", "title", "slug", "url", "body_html", "body_markdown",
                  "published_at", "updated_at"]  # fmt: skip

    def get_url(self, translation: ArticleTranslation) -> str:
        path = reverse("helpcenter:article", args=[translation.language, translation.slug])
        return settings.SITE_URL.rstrip("/") + path


class ArticleOutput(serializers.ModelSerializer):
    section = serializers.CharField(source="section.slug")
    category = serializers.CharField(source="section.category.slug")
    translations = TranslationOutput(source="published", many=True)

    class Meta:
        model = Article
        ref_name = "HelpArticle"
        fields = ["id", "section", "category", "translations", "created_at"]


class ArticleFilters(serializers.Serializer):
    language = serializers.ChoiceField([code for code, _name in settings.LANGUAGES],
                                       required=False)  # fmt: skip
    updated_after = serializers.DateTimeField(required=False)


def _articles(language: str | None = None):
    published = ArticleTranslation.objects.filter(status=PUBLISHED).order_by("language")
    if language:
        published = published.filter(language=language)
    articles = Article.objects.filter(translations__in=published).distinct()
    return articles.select_related("section__category").prefetch_related(
        Prefetch("translations", queryset=published, to_attr="published")
    )


class ArticleListApi(ApiView):
    api_resource = "helpcenter"
    pagination_class = CursorPage

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "language",
                str,
                enum=[c for c, _n in settings.LANGUAGES],
                description="Only articles published in this language.",
            ),
            OpenApiParameter("updated_after", str, description="ISO 8601"),
        ],
        responses=ArticleOutput(many=True),
    )
    def get(self, request: Request, **kwargs) -> Response:
        filters = ArticleFilters(
            data={k: v for k, v in request.query_params.items() if k in ArticleFilters().fields}
        )
        filters.is_valid(raise_exception=True)
        f = filters.validated_data
        articles = _articles(f.get("language"))
        if "updated_after" in f:
            articles = articles.filter(
                translations__status=PUBLISHED, translations__updated_at__gt=f["updated_after"]
            ).distinct()
        paginator = CursorPage()
        page = paginator.paginate_queryset(articles, request, view=self)
        return paginator.get_paginated_response(ArticleOutput(page, many=True).data)


class ArticleDetailApi(ApiView):
    api_resource = "helpcenter"

    @extend_schema(responses=ArticleOutput)
    def get(self, request: Request, pk: str, **kwargs) -> Response:
        article = _articles().filter(pk=id_or_404(pk)).first()
        if article is None:
            raise Http404("No such article.")
        return Response(ArticleOutput(article).data)
