"""``{% approvals_waiting_count %}``: how many approvals wait for the signed-in lead."""

from __future__ import annotations

from django import template

from tickets.approvals import approvals_waiting_count as waiting_count

register = template.Library()


@register.simple_tag(takes_context=True)
def approvals_waiting_count(context: template.Context) -> int | None:
    """The number of items waiting for this user's decision; None for anyone who is not a
    lead or an admin (``{% approvals_waiting_count as n %}{% if n is not None %}…``)."""
    request = context.get("request")
    user = getattr(request, "user", None) or context.get("user")
    if user is None or not user.is_authenticated:
        return None
    return waiting_count(user=user)
