"""Telling a customer's language from what they wrote."""

from __future__ import annotations

import threading

import pytest
from py3langid.langid import LanguageIdentifier

from customers import language
from customers.language import TEXT_MAX_CHARACTERS, language_detect


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Hallo, mein Paket ist noch nicht da.", "de"),
        ("Guten Tag, die Lampe ist kaputt angekommen.", "de"),
        ("Hallo, die Rechnung fehlt.", "de"),
        ("Merhaba, kargom hâlâ gelmedi.", "tr"),
        ("Merhaba, fatura eksik.", "tr"),
        ("İyi günler, teslimat eksik geldi.", "tr"),
        ("Hello, my parcel has not arrived yet.", "en"),
        ("Hi, the lamp is broken.", "en"),
        ("SEHR GEEHRTE DAMEN UND HERREN, DIE JACKE IST ZU GROSS.", "de"),
    ],
)
def test_a_greeting_and_one_sentence_tell_the_language(text, expected):
    assert language_detect(text=text, default="xx") == expected


@pytest.mark.parametrize(
    "text",
    [
        "", "   ", "Hallo", "Hallo, danke",  # the model would say German: two words are not enough
        "Teşekkürler!", "Re: ORD-1042", "+49 30 1234567 / 0049 30 1234567",
        "Order ORD-1042 kettle broken",  # four words, and no language stands out
        "Hallo, Paket kaputt", "\x00\x00\x00 ~~~ ### \ufffd\ufffd",
    ],
)  # fmt: skip
def test_too_little_to_tell_gives_the_default(text):
    assert language_detect(text=text, default="tr") == "tr"


def test_only_the_opening_of_a_long_mail_is_read():
    opening = "Hallo, mein Paket ist noch nicht da. " * (TEXT_MAX_CHARACTERS // 30)
    pasted = "Hello, your order has shipped and will arrive tomorrow. " * 100_000

    assert language_detect(text=opening + pasted, default="en") == "de"


def test_the_model_is_loaded_once_by_threads_starting_together(monkeypatch):
    loads = []
    load = LanguageIdentifier.from_model_file.__func__

    def counted(cls, *args, **kwargs):
        loads.append(1)
        return load(cls, *args, **kwargs)

    monkeypatch.setattr(language, "_identifier", None)
    monkeypatch.setattr(LanguageIdentifier, "from_model_file", classmethod(counted))
    results = []
    threads = [
        threading.Thread(target=lambda: results.append(
            language_detect(text="Merhaba, siparişim nerede?", default="en")))
        for _ in range(4)
    ]  # fmt: skip
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert results == ["tr"] * 4
    assert len(loads) == 1
