"""The reply composer's "insert an article link" tool (registered on tickets' hook)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse


def composer_article_links(*, ticket: Any) -> dict[str, str]:
    """The tool: a search box whose results insert a link in the customer's language."""
    return {
        "template": "helpcenter/_composer_tool.html",
        "url": reverse("helpcenter:staff_composer_links", args=[ticket.pk]),
    }
