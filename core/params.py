"""Numbers from URLs and forms, read the one safe way.

``str.isdigit`` accepts "²" (which ``int`` refuses) and any length of digits (which
PostgreSQL refuses as out of range); both would turn a typo or a hostile link into a
server error. Only plain ASCII digits inside the column's range count here."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import UTC, datetime

from django.utils import timezone
from django.utils.dateparse import parse_datetime

BIGINT_MAX = 2**63 - 1


def int_param(value: object, *, minimum: int = 1, maximum: int = BIGINT_MAX) -> int | None:
    """The whole number ``value`` spells, or None when it spells none in range."""
    text = str(value or "").strip()
    if not (text.isascii() and text.isdigit()) or len(text) > len(str(maximum)):
        return None
    number = int(text)
    return number if minimum <= number <= maximum else None


def ids_param(values: Iterable[object]) -> list[int]:
    """Distinct row ids, sorted; anything that is not one is dropped."""
    return sorted({n for v in values if (n := int_param(v)) is not None})


def text_param(value: object) -> str:
    """Free text from a form, trimmed and without NUL characters: no browser sends them,
    PostgreSQL cannot store them, and a search for one must not become a server error."""
    return str(value or "").replace("\x00", "").strip()


def uuid_param(value: object) -> uuid.UUID | None:
    """The UUID ``value`` spells, or None."""
    try:
        return uuid.UUID(str(value or ""))
    except ValueError:
        return None


def datetime_param(value: object) -> datetime | None:
    """The moment an ISO 8601 text names (UTC when it names no zone), or None; a
    well-formed but impossible date ("2026-13-40") is None too, not an error."""
    text = str(value or "").strip().replace(" ", "+")  # a "+" arrives as a space
    if len(text) > 40:
        return None
    try:
        moment = parse_datetime(text)
    except ValueError:
        return None
    if moment is None:
        return None
    return moment if timezone.is_aware(moment) else timezone.make_aware(moment, UTC)
