"""Checking a reply draft against the tone rules of its language."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

RULES_DIR = Path(__file__).parent / "rules"
KINDS = ("pattern", "no_greeting", "no_name", "no_apology")
# Only the start of a draft can hold its greeting.
OPENING_CHARS = 120


@dataclass(frozen=True)
class Rule:
    id: str
    kind: str
    explanation: dict[str, str]
    suggestion: str
    pattern: re.Pattern[str] | None = None
    unless: re.Pattern[str] | None = None


@dataclass(frozen=True)
class RuleSet:
    language: str
    greeting: re.Pattern[str]
    upset: re.Pattern[str]
    apology: re.Pattern[str]
    rules: tuple[Rule, ...]

    @property
    def ids(self) -> frozenset[str]:
        return frozenset(rule.id for rule in self.rules)


@dataclass(frozen=True)
class Advice:
    """One piece of advice on a draft: the rule, its explanation in the agent's language,
    the words it is about (empty for what is missing) and the suggested alternative
    (``insert_at_start`` when it goes before the draft rather than in place of them)."""

    rule: str
    explanation: str
    matched: str
    suggestion: str
    insert_at_start: bool


def fold(text: str, language: str) -> str:
    """Lower case, with the Turkish dotted and dotless i folded the Turkish way."""
    if language == "tr":
        text = text.replace("İ", "i").replace("I", "ı")
    return text.lower().replace("’", "'")


class RuleFileError(ValueError):
    """A rule file that cannot be used; the message names the file and the rule."""


def _compile(pattern: str, where: str) -> re.Pattern[str]:
    try:
        return re.compile(pattern, re.IGNORECASE | re.UNICODE | re.MULTILINE)
    except re.error as error:
        raise RuleFileError(f"{where}: {error}") from error


def rules_parse(text: str, *, name: str = "rules") -> RuleSet:
    """A rule set from the text of a rule file; ``RuleFileError`` says what is wrong."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise RuleFileError(f"{name}: {error}") from error
    rules = []
    for index, item in enumerate(data.get("rules", [])):
        where = f"{name} rule {item.get('id', index)}"
        if item.get("kind") not in KINDS or not item.get("id"):
            raise RuleFileError(f"{where}: needs an id and a kind of {KINDS}")
        explanation = item.get("explanation") or {}
        if not all(explanation.get(code) for code in ("en", "de", "tr")):
            raise RuleFileError(f"{where}: needs an explanation in en, de and tr")
        if item["kind"] == "pattern" and not item.get("pattern"):
            raise RuleFileError(f"{where}: a pattern rule needs a pattern")
        rules.append(Rule(
            id=item["id"], kind=item["kind"], explanation=dict(explanation),
            suggestion=item.get("suggestion", ""),
            pattern=_compile(item["pattern"], where) if item.get("pattern") else None,
            unless=_compile(item["unless"], where) if item.get("unless") else None,
        ))  # fmt: skip
    if len({rule.id for rule in rules}) != len(rules):
        raise RuleFileError(f"{name}: two rules have the same id")
    for key in ("language", "greeting", "upset", "apology"):
        if not data.get(key):
            raise RuleFileError(f"{name}: needs {key!r}")
    return RuleSet(
        language=data["language"], greeting=_compile(data["greeting"], name),
        upset=_compile(data["upset"], name), apology=_compile(data["apology"], name),
        rules=tuple(rules),
    )  # fmt: skip


@lru_cache(maxsize=8)
def rule_set(language: str) -> RuleSet | None:
    """The rules for replies in ``language`` (None when there is no file for it)."""
    if not re.fullmatch(r"[a-z]{2}", language or ""):
        return None
    path = RULES_DIR / f"{language}.toml"
    if not path.exists():
        return None
    return rules_parse(path.read_text(encoding="utf-8"), name=path.name)


def tone_check(
    *, text: str, language: str, agent_language: str, customer_name: str = "",
    customer_last_message: str = "",
) -> list[Advice]:  # fmt: skip
    """Advice on a draft ``text`` written in ``language``, explained in the agent's
    language; at most one piece of advice per rule, in the order of the rule file."""
    rules = rule_set(language)
    if rules is None or not text.strip():
        return []
    folded = fold(text, language)
    opening = folded.lstrip()[:OPENING_CHARS]
    first_line = opening.split("\n", 1)[0]
    name = customer_name.strip()
    advice = []
    for rule in rules.rules:
        matched = ""
        fires = False
        if rule.kind == "pattern":
            found = rule.pattern.search(folded)
            if found and not (rule.unless and rule.unless.search(folded)):
                fires = True
                matched = text[found.start() : found.end()]
        elif rule.kind == "no_greeting":
            fires = rules.greeting.search(first_line) is None
        elif rule.kind == "no_name":
            greeted = rules.greeting.search(first_line) is not None
            fires = bool(name) and greeted and fold(name, language) not in opening
        elif rule.kind == "no_apology":
            upset = bool(customer_last_message) and rules.upset.search(
                fold(customer_last_message, language)
            ) is not None  # fmt: skip
            fires = upset and rules.apology.search(folded) is None
        if fires:
            advice.append(Advice(
                rule=rule.id,
                explanation=rule.explanation.get(agent_language) or rule.explanation["en"],
                matched=matched,
                suggestion=rule.suggestion.replace("{name}", name or "").replace(" ,", ","),
                insert_at_start=rule.kind != "pattern",
            ))  # fmt: skip
    return advice
