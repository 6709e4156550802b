"""Promise detection against a corpus of reply sentences in English, German and Turkish:
precision and recall (printed) at least 0.9 per language, and fast enough to run on
every pause in an agent's typing."""

from __future__ import annotations

import time
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from tickets.promises.detect import (
    _parse_date,
    _parser_for,
    day_end_default,
    is_vague_promise,
    promises_detect,
    sentences,
)
from tickets.tests.corpus.promises import CORPUS, NOW_LOCAL

ZONES = {"en": "Europe/London", "de": "Europe/Berlin", "tr": "Europe/Istanbul"}


def _now(language: str) -> datetime:
    return datetime.fromisoformat(NOW_LOCAL).replace(tzinfo=ZoneInfo(ZONES[language]))


def _detect(text: str, language: str, now: datetime | None = None):
    zone = ZONES[language]
    return promises_detect(text=text, language=language, now=now or _now(language),
                           time_zone=zone, day_end=day_end_default(zone))  # fmt: skip


def _score(language: str) -> tuple[float, float, list[str]]:
    """A detection counts as right only with the expected due time, to the minute."""
    zone = ZoneInfo(ZONES[language])
    true_pos = false_pos = false_neg = 0
    misses = []
    for sentence, expected in CORPUS[language]:
        found = _detect(sentence, language)
        got = found[0].due.astimezone(zone).strftime("%Y-%m-%d %H:%M") if found else None
        if expected and got == expected:
            true_pos += 1
            continue
        false_pos += got is not None
        false_neg += expected is not None
        if got != expected:
            misses.append(f"{sentence!r}: expected {expected}, found {got}")
    precision = true_pos / ((true_pos + false_pos) or 1)
    recall = true_pos / ((true_pos + false_neg) or 1)
    return precision, recall, misses


@pytest.mark.parametrize("language", ["en", "de", "tr"])
def test_the_corpus_is_large_enough_with_promises_and_none(language):
    items = CORPUS[language]
    assert len(items) >= 40
    assert sum(1 for _s, due in items if due) >= 20
    assert sum(1 for _s, due in items if due is None) >= 15


@pytest.mark.parametrize("language", ["en", "de", "tr"])
def test_precision_and_recall_on_the_corpus(language, capsys):
    precision, recall, misses = _score(language)
    with capsys.disabled():
        print(f"\npromise detection [{language}]: precision {precision:.3f}, recall "
              f"{recall:.3f} on {len(CORPUS[language])} sentences")  # fmt: skip
    assert precision >= 0.9, misses
    assert recall >= 0.9, misses


def test_detection_is_fast_once_warm(capsys):
    """Every sentence of all three corpora, as one draft per language, checked 20 times
    (the composer checks the same draft again as the agent types)."""
    _parse_date.cache_clear()
    _parser_for.cache_clear()
    drafts = {language: " ".join(s for s, _due in items) for language, items in CORPUS.items()}
    started = time.perf_counter()
    for language, draft in drafts.items():
        _detect(draft, language)
    cold = time.perf_counter() - started
    rounds = 20
    started = time.perf_counter()
    for _ in range(rounds):
        for language, draft in drafts.items():
            _detect(draft, language)
    warm = (time.perf_counter() - started) / rounds / len(drafts)
    with capsys.disabled():
        print(f"\npromise detection timing: first pass over 3 drafts {cold * 1000:.0f} ms "
              f"(our caches empty), then {warm * 1000:.1f} ms per draft of "
              f"{len(CORPUS['de'])} sentences")  # fmt: skip
    assert warm < 0.05


def test_a_draft_with_several_promises_gives_one_per_sentence():
    found = _detect("Hello Kim, thanks. We will call you tomorrow at noon. "
                    "I'll send the label by Friday. Best regards", "en")  # fmt: skip
    assert [p.due.strftime("%d %H:%M") for p in found] == ["03 12:00", "04 17:00"]
    assert found[0].what == "We will call you"
    assert found[0].phrase == "tomorrow at noon"


def test_a_date_without_a_time_is_the_close_of_that_business_day():
    def day_end(day: date):
        zone = ZoneInfo(ZONES["de"])
        return datetime(day.year, day.month, day.day, 13, 30, tzinfo=zone)  # a short Friday

    found = promises_detect(text="Wir schicken den Ersatz bis Freitag.", language="de",
                            now=_now("de"), time_zone=ZONES["de"], day_end=day_end)  # fmt: skip
    assert found[0].due.strftime("%a %H:%M") == "Fri 13:30"


def test_a_promised_day_the_team_is_closed_falls_back_to_the_evening():
    found = _detect("We will call you on Saturday.", "en")
    assert found[0].due.strftime("%a %H:%M") == "Sat 18:00"


def test_next_week_is_the_close_of_its_last_business_day():
    def day_end(day: date):  # closed on Friday 11 December (a closure)
        if day.weekday() >= 5 or day == date(2026, 12, 11):
            return None
        return datetime(day.year, day.month, day.day, 17, tzinfo=ZoneInfo("Europe/Berlin"))

    found = promises_detect(text="Ich melde mich nächste Woche.", language="de", now=_now("de"),
                            time_zone="Europe/Berlin", day_end=day_end)  # fmt: skip
    assert found[0].due.strftime("%a %d %H:%M") == "Thu 10 17:00"


def test_a_time_earlier_today_means_tomorrow():
    found = _detect("I will call you at 9:00.", "en")
    assert found[0].due.strftime("%d %H:%M") == "03 09:00"


def test_the_due_time_is_in_the_teams_zone_and_crosses_the_dst_change():
    # Saturday 27 March 2027: tomorrow at noon is in summer time, an hour "earlier" in UTC.
    now = datetime(2027, 3, 27, 10, tzinfo=ZoneInfo("Europe/Berlin"))
    found = _detect("We will call you tomorrow at noon.", "de" if False else "en", now=now)
    assert found[0].due.astimezone(ZoneInfo("UTC")).strftime("%d %H:%M") == "28 11:00"


def test_vague_promises_are_not_promises_but_are_recognised():
    for language, text in (("en", "We will answer within 1–2 business days."),
                           ("de", "Wir melden uns in Kürze."),
                           ("tr", "En kısa sürede size dönüş yapacağız.")):  # fmt: skip
        assert _detect(text, language) == []
        assert is_vague_promise(text=text, language=language)


def test_sentences_keep_dates_and_times_whole():
    assert sentences("Wir melden uns am 4. Dezember um 12.30 Uhr. Danke!") == [
        "Wir melden uns am 4. Dezember um 12.30 Uhr.",
        "Danke!",
    ]


@pytest.mark.parametrize("text", [
    "", "   ", "?" * 1000, "we will " * 5000, "tomorrow " * 3000, "\x00\x01 we'll call 99:99",
    "We will call you on 31 February.", "Wir rufen Sie am 45.13. an.",
    "Sizi saat 77'de arayacağız.",
])  # fmt: skip
def test_hostile_and_malformed_drafts_find_nothing_or_something_sane(text):
    now = _now("en")
    for language in ("en", "de", "tr"):
        for promise in _detect(text, language):
            assert now < promise.due <= now + timedelta(days=62)


def test_an_unknown_language_finds_nothing():
    assert promises_detect(text="We will call you tomorrow.", language="fr", now=_now("en"),
                           time_zone="UTC", day_end=day_end_default("UTC")) == []  # fmt: skip


def test_a_huge_draft_is_still_fast():
    draft = "We will call you tomorrow at noon. Thanks for waiting. " * 500
    started = time.perf_counter()
    assert len(_detect(draft, "en")) == 500
    assert time.perf_counter() - started < 2
