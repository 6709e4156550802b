"""What an outreach message may contain, per kind.

A message is built from named blocks; each kind allows some of them. A thank-you note
carries no strings: asking to add a coupon, an offer or a survey to one is refused, and so
is a note whose text reads like one (a discount code, a percentage off, a link to a shop
or a survey), in English, German and Turkish."""

from __future__ import annotations

import re

from django.utils.translation import gettext as _

from outreach.models import Outreach

Kind = Outreach.Kind

COUPON, UPSELL, SURVEY = "coupon", "upsell", "survey"
BLOCKS_ALLOWED: dict[str, frozenset[str]] = {
    Kind.FOLLOW_UP: frozenset({"note"}),
    Kind.THANK_YOU: frozenset({"note"}),
    Kind.WIN_BACK: frozenset({"note", "care_tips", "warranty"}),
}

# Words and shapes of strings attached to a message. Case-insensitive, whole words where
# a word is meant; the code shape (SAVE20, WELCOME-10) is checked case-sensitively.
_STRINGS = re.compile(
    r"coupon|voucher|discount|promo|\bcode\b|\bdeal\b|\boffer\b|% ?off|\boff\b \d|"
    r"\bbuy\b|shop now|order now|upgrade|\bsurvey\b|\brate us\b|\breview\b|"
    r"gutschein|rabatt|angebot|aktion|kaufen|umfrage|bewert|"
    r"kupon|indirim|promosyon|\bkod\b|kampanya|satın al|anket|değerlendir|"
    r"https?://|www\.|\d+ ?%|%\d+",
    re.IGNORECASE,
)
_CODE = re.compile(r"\b[A-Z]{3,}[-_]?\d{1,4}\b")


class ContentRefusedError(ValueError):
    """The message would carry something its kind must not; ``str(error)`` says what."""


def content_check(*, kind: str, text: str, blocks: dict[str, str] | None = None) -> str:
    """Return ``text`` when a message of ``kind`` may carry it (and ``blocks``), else raise
    ``ContentRefusedError``."""
    allowed = BLOCKS_ALLOWED.get(kind, frozenset())
    for name in blocks or {}:
        if name not in allowed:
            raise ContentRefusedError(
                _("A %(kind)s cannot carry a %(block)s.")
                % {"kind": Kind(kind).label, "block": name}
            )
    if kind == Kind.THANK_YOU:
        found = _STRINGS.search(text) or _CODE.search(text)
        if found:
            raise ContentRefusedError(
                _("A thank-you note carries no coupon, discount, offer, link or survey "
                  "(found “%(found)s”).") % {"found": found.group(0)}
            )  # fmt: skip
    if kind == Kind.WIN_BACK:
        found = _STRINGS.search(text) or _CODE.search(text)
        if found:
            raise ContentRefusedError(
                _("A win-back note is about what the customer already has: no coupon, "
                  "discount, offer, link or survey (found “%(found)s”).")
                % {"found": found.group(0)}
            )  # fmt: skip
    return text
