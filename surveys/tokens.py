"""Signed, expiring survey links. A token names one invitation and one score (or the
unsubscribe action); it is signed with a salt of its own, so no other signed value of
the product can stand in for it."""

from __future__ import annotations

from datetime import timedelta
from uuid import UUID

from django.core import signing

SALT = "surveys.answer-link.v1"
UNSUBSCRIBE = "unsubscribe"


class BadToken(Exception):  # noqa: N818 - reads better at the call site
    """Tampered, expired, or issued for another invitation."""


def token_make(*, public_id: UUID, action: int | str) -> str:
    return signing.dumps({"i": str(public_id), "a": action}, salt=SALT, compress=False)


def token_read(*, token: str, public_id: UUID, max_age: timedelta) -> int | str:
    """The score (or ``UNSUBSCRIBE``) this token grants for this invitation."""
    try:
        payload = signing.loads(token, salt=SALT, max_age=max_age)
    except signing.SignatureExpired as exc:
        raise BadToken("expired") from exc
    except signing.BadSignature as exc:
        raise BadToken("bad signature") from exc
    if not isinstance(payload, dict) or payload.get("i") != str(public_id):
        raise BadToken("issued for another invitation")
    action = payload.get("a")
    if not (action == UNSUBSCRIBE or (isinstance(action, int) and 0 <= action <= 10)):
        raise BadToken("unknown action")
    return action
