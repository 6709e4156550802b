"""The tone rules against a corpus of drafts per language: each rule fires where it
should and nowhere else; and rule files that cannot be used are refused."""

from __future__ import annotations

import pytest

from tickets.tests.corpus.tone import CORPUS, GREETING, NAMES
from tickets.tone.check import RuleFileError, rule_set, rules_parse, tone_check

RULE_IDS = {"negative", "blaming", "vague_time", "no_greeting", "no_name", "no_apology",
            "dont_know", "arguing"}  # fmt: skip


@pytest.mark.parametrize("language", ["en", "de", "tr"])
def test_every_language_has_every_rule_with_explanations_in_every_agent_language(language):
    rules = rule_set(language)
    assert rules.ids == RULE_IDS
    for rule in rules.rules:
        assert set(rule.explanation) >= {"en", "de", "tr"}
        assert rule.suggestion


@pytest.mark.parametrize("language", ["en", "de", "tr"])
def test_the_tone_corpus(language):
    cases = CORPUS[language]
    assert len(cases) >= 30
    assert sum(1 for c in cases if c.fires) >= 15
    assert sum(1 for c in cases if not c.fires) >= 10
    for rule in RULE_IDS:  # every rule is tested firing, and every rule tested silent
        assert any(rule in c.fires for c in cases), rule
    wrong = []
    for c in cases:
        text = c.text if c.raw else GREETING[language].format(c.text)
        advice = tone_check(
            text=text, language=language, agent_language="en",
            customer_name=NAMES[language], customer_last_message=c.last,
        )  # fmt: skip
        fired = {a.rule for a in advice}
        if fired != c.fires:
            wrong.append((c.text, sorted(c.fires), sorted(fired)))
    assert wrong == []


def test_explanations_follow_the_agents_language():
    draft = "Hallo Jana,\n\nDas ist leider nicht möglich."
    by_language = {
        agent: tone_check(text=draft, language="de", agent_language=agent,
                          customer_name="Jana")[0].explanation
        for agent in ("en", "de", "tr")
    }  # fmt: skip
    assert by_language["en"].startswith("Negative or refusing")
    assert by_language["de"].startswith("Verneinende")
    assert by_language["tr"].startswith("Olumsuz")


def test_advice_names_the_words_and_a_suggestion():
    advice = tone_check(text="Hello Kim,\n\nWe can't do that.", language="en",
                        agent_language="en", customer_name="Kim")  # fmt: skip
    assert [(a.rule, a.matched, a.insert_at_start) for a in advice] == [
        ("negative", "We can't", False)
    ]
    greeting = tone_check(text="Your parcel is here.", language="tr", agent_language="de",
                          customer_name="Ayşe")  # fmt: skip
    assert greeting[0].suggestion == "Merhaba Ayşe,\n\n"
    assert greeting[0].insert_at_start


def test_turkish_capitals_fold_the_turkish_way():
    advice = tone_check(text="İYİ GÜNLER AYŞE,\n\nBU MÜMKÜN DEĞİL.", language="tr",
                        agent_language="tr", customer_name="Ayşe")  # fmt: skip
    assert [a.rule for a in advice] == ["negative"]


@pytest.mark.parametrize("text", ["", " ", "\x00" * 10, "a" * 200_000, "!!" * 10_000])
def test_hostile_drafts_are_checked_without_error(text):
    for language in ("en", "de", "tr"):
        tone_check(text=text, language=language, agent_language="en", customer_name="<b>",
                   customer_last_message=text)  # fmt: skip


def test_unknown_languages_have_no_rules():
    assert rule_set("fr") is None
    assert rule_set("../../etc/passwd") is None
    assert tone_check(text="We can't.", language="xx", agent_language="en") == []


@pytest.mark.parametrize(("text", "problem"), [
    ("not toml [[", "rules"),
    ('language="en"\ngreeting="a"\nupset="b"\napology="c"\n[[rules]]\nid="x"\nkind="odd"', "kind"),
    ('language="en"\ngreeting="a"\nupset="b"\napology="c"\n[[rules]]\nid="x"\nkind="pattern"\n'
     'pattern="("\nexplanation={en="a",de="b",tr="c"}', "rule x"),
    ('language="en"\ngreeting="a"\nupset="b"\napology="c"\n[[rules]]\nid="x"\nkind="pattern"\n'
     'pattern="a"\nexplanation={en="a"}', "explanation"),
    ('language="en"\nupset="b"\napology="c"', "greeting"),
])  # fmt: skip
def test_a_bad_rule_file_is_refused_with_the_reason(text, problem):
    with pytest.raises(RuleFileError, match=problem):
        rules_parse(text)
