"""``{% agent_header %}``: the navigation bar on top of every agent page.

It shows the same few things on every page an agent opens all day (their name and role,
the sections, two counts), so its markup is kept per process, keyed by every value it
shows, like an inbox row; rendering it through the template language cost about as much
as a whole inbox row set. Only the request's CSRF token is put in afresh."""

from __future__ import annotations

from django import template
from django.template.loader import get_template
from django.urls import get_script_prefix
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from core.templatetags.ui import Kept
from helpdesk.context_processors import brand
from tickets.approvals import approvals_waiting_count
from tickets.notify import notifications_unread_count

register = template.Library()

_HEADERS = Kept(2_000)  # a few KB each, per process
# Stands for the CSRF token while the markup is made. The header is kept only when the
# token's two places (the language menu and the log-out form) are all the markup holds of
# it; a name or a search that reads like it gets a header made with the token itself.
_TOKEN_SLOT = "csrf-token-slot"  # noqa: S105 - not a secret
_TOKEN_PLACES = 2


@register.simple_tag(takes_context=True)
def agent_header(context: template.Context) -> SafeString:
    request = context["request"]
    user = context.get("user") or request.user
    signed_in = user.is_authenticated
    profile = getattr(user, "agent_profile", None) if signed_in else None
    match = request.resolver_match
    values = {
        "user": user,
        "request": request,
        "section": match.namespace if match else "",
        "url_name": match.url_name if match else "",
        "unread_count": notifications_unread_count(user=user) if signed_in else None,
        "approvals_count": approvals_waiting_count(user=user) if signed_in else None,
    }
    key = (
        get_language(), get_script_prefix(), request.get_full_path(), signed_in,
        user.pk, signed_in and user.get_full_name(), signed_in and user.get_username(),
        user.is_staff, profile and profile.role, values["section"], values["url_name"],
        values["unread_count"], values["approvals_count"],
    )  # fmt: skip
    token = str(context.get("csrf_token", ""))
    parts = _HEADERS.get(key)
    if parts is None:
        header = get_template("components/header.html")
        values |= brand(request)
        parts = header.render({**values, "csrf_token": _TOKEN_SLOT}).split(_TOKEN_SLOT)
        if len(parts) != _TOKEN_PLACES + 1:
            return header.render({**values, "csrf_token": token})
        _HEADERS.keep(key, parts)
    return mark_safe(token.join(parts))  # noqa: S308 - parts of a rendered template
