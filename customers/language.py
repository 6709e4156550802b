"""Which of our languages a customer writes in, when their mail does not say.

py3langid's naive Bayes model, restricted to the languages in ``settings.LANGUAGES``, with
probabilities normalised over just those. Measured on thirty greetings plus one sentence
about an order or a delivery ("Merhaba, fatura eksik.", "Hallo, die Rechnung fehlt.",
"Hi, the lamp is broken."), each came out right with 0.85 or more, most above 0.99. Two
words say little however sure the model is: "Hallo, danke" scored German at 0.93, but
"Paket kaputt" Turkish at 0.66 and "Berlin" Turkish too. Hence a minimum of words as
well as of confidence.
"""

from __future__ import annotations

import re
import threading

from django.conf import settings

MIN_WORDS = 3
MIN_CONFIDENCE = 0.8
# The opening of a mail tells its language; the rest (quoted history, pasted order
# confirmations) only costs time. Well under a millisecond for this much.
TEXT_MAX_CHARACTERS = 2000
_WORD = re.compile(r"[^\W\d_]{2,}")  # a run of two letters or more

_identifier = None
_identifier_lock = threading.Lock()


def _identifier_get():
    """The model, loaded once per process on first use (about a second: a 4.5 MB
    compressed file), never at import, so processes that detect nothing never pay."""
    global _identifier
    if _identifier is None:
        with _identifier_lock:
            if _identifier is None:
                from py3langid.langid import MODEL_FILE, LanguageIdentifier

                identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
                identifier.set_languages([code for code, _name in settings.LANGUAGES])
                _identifier = identifier
    return _identifier


def language_detect(*, text: str, default: str) -> str:
    """The code in settings.LANGUAGES ("en", "de", "tr") that ``text`` is written in, or
    ``default`` when the text is too short or the model too unsure to tell."""
    text = text[:TEXT_MAX_CHARACTERS]
    if len(_WORD.findall(text)) < MIN_WORDS:
        return default
    language, confidence = _identifier_get().classify(text)
    if confidence < MIN_CONFIDENCE or language not in dict(settings.LANGUAGES):
        return default
    return language
