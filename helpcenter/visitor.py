"""Who a help-center visitor is, without an account: a random id in a signed cookie.

It keeps one vote per visitor and article and ties an opened suggestion to a later
contact-form post (deflection). Vote forms and suggestion links carry a token signed
for this visitor and article, so a link scanner or a forged post records nothing."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core import signing
from django.http import HttpRequest, HttpResponse

COOKIE = "hc_visitor"
COOKIE_SALT = "helpcenter.visitor.v1"
VOTE_SALT = "helpcenter.vote.v1"
OPEN_SALT = "helpcenter.suggestion.v1"
FORM_SALT = "helpcenter.contact-form.v1"
TOKEN_MAX_AGE = 7 * 24 * 3600


def visitor_known(request: HttpRequest) -> uuid.UUID | None:
    """The visitor id the browser sent back, or None (no cookie, or a forged one)."""
    value = request.get_signed_cookie(COOKIE, default=None, salt=COOKIE_SALT)
    try:
        return uuid.UUID(value) if value else None
    except ValueError:
        return None


def visitor_id(request: HttpRequest) -> uuid.UUID:
    """This visitor's id, made now when they have none (``visitor_remember`` stores it)."""
    if not hasattr(request, "_help_visitor"):
        request._help_visitor_new = (known := visitor_known(request)) is None
        request._help_visitor = known or uuid.uuid4()
    return request._help_visitor


def visitor_remember(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    if getattr(request, "_help_visitor_new", False):
        response.set_signed_cookie(
            COOKIE, request._help_visitor.hex, salt=COOKIE_SALT, max_age=365 * 24 * 3600,
            httponly=True, samesite="Lax", secure=not settings.DEBUG and request.is_secure(),
        )  # fmt: skip
    return response


def token_make(*, salt: str, visitor: uuid.UUID, article_id: int) -> str:
    return signing.dumps({"v": visitor.hex, "a": article_id}, salt=salt, compress=False)


def token_valid(*, salt: str, token: str, visitor: uuid.UUID | None, article_id: int) -> bool:
    """The token was signed for this visitor and article, and not too long ago."""
    if visitor is None or not token or len(token) > 300:
        return False
    try:
        payload = signing.loads(token, salt=salt, max_age=TOKEN_MAX_AGE)
    except signing.BadSignature:
        return False
    return (
        isinstance(payload, dict)
        and payload.get("v") == visitor.hex
        and payload.get("a") == article_id
    )
