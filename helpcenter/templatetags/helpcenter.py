"""Template filters of the help center's policy pages."""

from __future__ import annotations

from django import template
from django.utils.translation import ngettext

register = template.Library()


@register.filter
def business_time(minutes: int | None) -> str:
    """Business minutes as a reader says them: "30 minutes", "4 hours", "2 hours 30 minutes"."""
    if not minutes:
        return "–"
    hours, rest = divmod(int(minutes), 60)
    parts = []
    if hours:
        parts.append(ngettext("%(count)d business hour", "%(count)d business hours", hours)
                     % {"count": hours})  # fmt: skip
    if rest:
        parts.append(ngettext("%(count)d minute", "%(count)d minutes", rest) % {"count": rest})
    return " ".join(parts)
