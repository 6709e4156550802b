"""Customer-facing text speaks the customer's language, whatever the request says."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Protocol

from django.conf import settings
from django.utils import translation


class HasLanguage(Protocol):
    language: str


def language_for(customer: HasLanguage | None) -> str:
    supported = {code for code, _ in settings.LANGUAGES}
    language = getattr(customer, "language", "") or ""
    return language if language in supported else settings.LANGUAGE_CODE


@contextmanager
def customer_language(customer: HasLanguage | None) -> Iterator[str]:
    """Render emails and customer pages inside this block to use the customer's language."""
    language = language_for(customer)
    with translation.override(language):
        yield language
