"""``{% notifications_unread as n %}``: the signed-in agent's unread notifications."""

from __future__ import annotations

from django import template

from tickets.notify import notifications_unread_count

register = template.Library()


@register.simple_tag(takes_context=True)
def notifications_unread(context: template.Context) -> int | None:
    """How many unread notifications (up to 100); None for anyone not signed in."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return None
    return notifications_unread_count(user=user)
