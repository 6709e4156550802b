"""Throttling per API key: each key has its own bucket (its own rate, else
``API_RATE_PER_MINUTE``); staff in a browser session share one per user."""

from __future__ import annotations

from django.conf import settings
from rest_framework.throttling import SimpleRateThrottle

from core.models import ApiKey


class ApiKeyRateThrottle(SimpleRateThrottle):
    scope = "api_key"

    def get_rate(self) -> str:
        return f"{settings.API_RATE_PER_MINUTE}/min"

    def allow_request(self, request, view) -> bool:
        if isinstance(request.auth, ApiKey) and request.auth.rate_per_minute:
            self.num_requests, self.duration = request.auth.rate_per_minute, 60
        return super().allow_request(request, view)

    def get_cache_key(self, request, view) -> str | None:
        if isinstance(request.auth, ApiKey):
            ident = f"key-{request.auth.pk}"
        elif request.user and request.user.is_authenticated:
            ident = f"user-{request.user.pk}"
        else:
            ident = self.get_ident(request)
        return f"throttle:api:{ident}"
