"""Project-wide middleware: the Content-Security-Policy header, the viewer's language and
time zone."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import timezone, translation


class ContentSecurityPolicyMiddleware:
    """Send the CSP on every response; it forbids inline scripts everywhere."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", settings.CONTENT_SECURITY_POLICY)
        return response


class AgentLanguageMiddleware:
    """Use the agent's profile language unless they picked one with the switcher, and the
    agent's time zone; everyone else sees the shop's time zone."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        profile = (
            getattr(request.user, "agent_profile", None) if request.user.is_authenticated else None
        )
        if profile is not None and not chosen:
            translation.activate(profile.language)
            request.LANGUAGE_CODE = profile.language
        timezone.activate(profile.time_zone if profile is not None else settings.SHOP_TIME_ZONE)
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()
