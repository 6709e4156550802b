from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings
from django.utils.translation import gettext

from core.i18n import customer_language, language_for
from customers.tests.factories import CustomerFactory


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "word"), [("en", "Delivered"), ("de", "Zugestellt"), ("tr", "Teslim edildi")]
)
def test_customer_facing_text_uses_the_customers_language(language, word):
    customer = CustomerFactory(language=language)

    with customer_language(customer) as active:
        assert active == language
        assert gettext("Delivered") == word


def test_an_unsupported_language_falls_back_to_english():
    class Visitor:
        language = "xx"

    assert language_for(Visitor()) == "en"
    assert language_for(None) == "en"


def _untranslated(po: Path) -> list[str]:
    """msgids of a catalogue whose translation is empty or only a fuzzy guess."""
    missing = []
    for entry in po.read_text(encoding="utf-8").split("\n\n"):
        lines = [line for line in entry.strip().splitlines() if line and not line.startswith("#~")]
        fuzzy = any(line.startswith("#,") and "fuzzy" in line for line in lines)
        strings: dict[str, str] = {}
        key = None
        for line in lines:
            if line.startswith("#"):
                continue
            if line.startswith("msg"):
                key, _space, line = line.partition(" ")
            if key is not None:
                strings[key] = strings.get(key, "") + line.strip().strip('"')
        msgid = strings.get("msgid", "")
        translations = [v for k, v in strings.items() if k.startswith("msgstr")]
        if msgid and (fuzzy or not all(translations)):
            missing.append(msgid)
    return missing


@pytest.mark.parametrize(
    "po",
    sorted(Path(settings.BASE_DIR).glob("locale/*/LC_MESSAGES/django.po"))
    + sorted(Path(settings.BASE_DIR).glob("*/locale/*/LC_MESSAGES/django.po")),
    ids=lambda po: str(po.relative_to(settings.BASE_DIR)),
)
def test_every_catalogue_is_fully_translated(po):
    assert _untranslated(po) == []
