"""What an htmx answer tells the page besides its HTML: events and toasts.

A toast is the short "Saved" or "Sent" every page shows the same way. An htmx answer
carries it in the ``HX-Trigger`` header (static/js/ui.js shows it); a full page gets it
through Django's messages on the page that follows. Other events let parts of a page
refresh themselves, e.g. ``ticket-changed`` makes the ticket page reload its timeline.
"""

from __future__ import annotations

import json

from django.contrib import messages
from django.http import HttpRequest, HttpResponse

LEVELS = {"success": messages.SUCCESS, "info": messages.INFO, "warning": messages.WARNING,
          "error": messages.ERROR}  # fmt: skip


def trigger(response: HttpResponse, event: str, detail: object = None) -> HttpResponse:
    """Add ``event`` to the events the page fires when this answer arrives."""
    events = json.loads(response.headers.get("HX-Trigger") or "{}")
    events[event] = detail
    response.headers["HX-Trigger"] = json.dumps(events)
    return response


def toast(
    request: HttpRequest, response: HttpResponse, message: str, level: str = "success"
) -> HttpResponse:
    """Attach ``message`` to ``response`` (htmx) or to the next page (a redirect)."""
    if getattr(request, "htmx", False):
        return trigger(response, "toast", {"message": str(message), "level": level})
    messages.add_message(request, LEVELS[level], message)
    return response
