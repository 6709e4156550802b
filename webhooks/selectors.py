"""Reads of the webhooks pages: endpoints with their recent deliveries, and the log."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet

from webhooks.models import WebhookDelivery, WebhookEndpoint


def endpoints_with_counts() -> QuerySet[WebhookEndpoint]:
    return WebhookEndpoint.objects.annotate(
        delivered=Count("deliveries", filter=Q(deliveries__state="succeeded")),
        failing=Count("deliveries", filter=Q(deliveries__state__in=["retrying", "failed"])),
    ).order_by("name", "pk")


def delivery_log(*, endpoint: WebhookEndpoint, limit: int = 100) -> list[WebhookDelivery]:
    """The endpoint's latest deliveries with their attempts (two queries)."""
    return list(
        WebhookDelivery.objects.filter(endpoint=endpoint)
        .prefetch_related("log")
        .order_by("-id")[:limit]
    )
