"""The API's documentation pages: Swagger UI and Redoc from drf-spectacular-sidecar's
files, served as static files (never from a CDN), without inline scripts. Both render
with inline styles (Redoc's styled components, Swagger UI's style attributes) and Redoc
searches in a blob: worker, so these two pages allow those, and nothing else more."""

from __future__ import annotations

from django.conf import settings
from drf_spectacular.views import SpectacularRedocView, SpectacularSwaggerSplitView

DOCS_POLICY = (
    settings.CONTENT_SECURITY_POLICY.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'")
    + "; worker-src 'self' blob:"
)


class _DocsPolicy:
    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if response.get("Content-Type", "").startswith("text/html"):
            response["Content-Security-Policy"] = DOCS_POLICY
        return response


class SwaggerView(_DocsPolicy, SpectacularSwaggerSplitView):
    pass


class RedocView(_DocsPolicy, SpectacularRedocView):
    pass
