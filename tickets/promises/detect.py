"""Time promises in a reply draft, in English, German and Turkish.

"We will call you tomorrow at noon" is a promise: the shop commits (we/I, or "you will
receive") to something by a time precise enough to check. "Within 1–2 business days",
"in Kürze" and "en kısa sürede" are not promises but vague ones, which the tone assistant
flags. Detection runs on every pause in the agent's typing, so it is built to be cheap:

1. the draft is cut into sentences; a sentence is looked at only when a cheap pattern
   finds a commitment in it (a first-person future, "wir melden uns", "-acağız") and no
   negation or question;
2. the date phrase ("tomorrow", "Freitag", "4 Aralık", "next week", "in 2 hours") is cut
   out by a pattern, normalised, and only that short phrase goes to ``dateparser``
   (one parser per language, restricted to relative and absolute dates, cached);
3. a time of day ("at noon", "um 12 Uhr", "saat 15'te", "öğlene kadar") is read by a
   pattern: dateparser reads few of them in German and Turkish.

A date without a time means the close of that business day (``day_end``, from the team's
calendar); a week ("next week", "diese Woche") the close of its last business day.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

DayEnd = Callable[[date], "datetime | None"]

LANGUAGES = ("en", "de", "tr")

# How far ahead a promise may lie; a date beyond it is read as a mistake, not a promise.
HORIZON = timedelta(days=62)


@dataclass(frozen=True)
class DetectedPromise:
    """A promise found in a draft: what is promised (the sentence without its time
    phrase), when (aware, UTC-convertible) and the words it was read from."""

    what: str
    due: datetime
    sentence: str
    phrase: str


def _fold(text: str, language: str) -> str:
    if language == "tr":
        text = text.replace("İ", "i").replace("I", "ı")
    return text.lower().replace("’", "'")


SENTENCE = re.compile(r"[^.!?\n]+(?:[.!?]+|\n|$)")
# A dot inside "4.12." or "12.30 Uhr" or "1.–2." does not end a sentence.
_NUMBER_DOT = re.compile(r"(\d)\.(?=\s*\d|\s*[–-]|\s*(?:uhr|januar|februar|märz|april|mai|juni|"
                         r"juli|august|september|oktober|november|dezember)\b)", re.I)  # fmt: skip


def sentences(text: str) -> list[str]:
    masked = _NUMBER_DOT.sub("\\1\x00", text)
    return [s.replace("\x00", ".").strip() for s in SENTENCE.findall(masked) if s.strip()]


@dataclass(frozen=True)
class _Language:
    commitment: re.Pattern[str]
    refusal: re.Pattern[str]
    vague: re.Pattern[str]
    week: re.Pattern[str]
    date: re.Pattern[str]
    clocks: tuple[re.Pattern[str], ...]
    noon: re.Pattern[str]
    day_close: re.Pattern[str]
    relative: re.Pattern[str]
    normalise: Callable[[str], str]


def _c(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.IGNORECASE | re.UNICODE)


_EN_DAYS = r"monday|tuesday|wednesday|thursday|friday|saturday|sunday"
_EN_MONTHS = (r"january|february|march|april|may|june|july|august|september|october|"
              r"november|december")  # fmt: skip
_DE_DAYS = r"montag|dienstag|mittwoch|donnerstag|freitag|samstag|sonnabend|sonntag"
_DE_MONTHS = r"januar|februar|märz|april|mai|juni|juli|august|september|oktober|november|dezember"
_TR_DAYS = r"pazartesi|salı|çarşamba|perşembe|cuma|cumartesi|pazar"
_TR_MONTHS = r"ocak|şubat|mart|nisan|mayıs|haziran|temmuz|ağustos|eylül|ekim|kasım|aralık"


def _en_normalise(phrase: str) -> str:
    phrase = re.sub(r"^(?:by|before|until|till|on|next|this|coming|the)\s+", "", phrase)
    phrase = re.sub(r"^(?:next|this|coming)\s+", "", phrase)
    return re.sub(r"(\d)(?:st|nd|rd|th)\b", r"\1", phrase).replace(" of ", " ")


def _de_normalise(phrase: str) -> str:
    phrase = re.sub(r"^(?:bis|spätestens|am|zum|bis zum|ab|nächsten|kommenden|diesen|"
                    r"nächste|kommende|am kommenden|am nächsten)\s+", "", phrase)  # fmt: skip
    phrase = re.sub(r"^(?:nächsten|kommenden|diesen|zum)\s+", "", phrase)
    return phrase


def _tr_normalise(phrase: str) -> str:
    phrase = re.sub(r"^(?:gelecek|önümüzdeki|bu|bu gelecek)\s+", "", phrase)
    phrase = re.sub(r"\s+(?:günü|gününe|gün)\b.*$", "", phrase)
    # Case endings of a day or month name: cumaya, pazartesiye, perşembe günü, 4 aralıkta.
    phrase = re.sub(
        rf"\b({_TR_DAYS}|{_TR_MONTHS})(?:'?(?:y?[ae]|n?[ıi]n|[dt][ae]|[dt][ae]n)?)(?:\s+kadar)?\b",
        r"\1", phrase,
    )  # fmt: skip
    return phrase.strip()


_LANGS: dict[str, _Language] = {
    "en": _Language(
        commitment=_c(
            r"\b(?:we|i)\s*(?:will|'ll|shall|are going to|am going to|'re going to|"
            r"promise to|'m going to)\b|\byou(?:'ll| will)\s+(?:receive|get|hear|have)\b|"
            r"\bexpect\s+(?:a|our|my)\b|\bwe\s+(?:promise|guarantee)\b|"
            # What the shop does, said of the thing: "your refund will be sent tomorrow".
            r"\bwill\s+be\s+(?:sent|shipped|refunded|delivered|collected|repaired|replaced|"
            r"credited|dispatched|picked up)\b"
        ),
        refusal=_c(r"\b(?:won't|will not|cannot|can't|can not|unable|never)\b|\bnot\b"),
        vague=_c(
            r"\bwithin\s+(?:\d+\s*(?:[–-]|to|or)\s*)?\d+\s+(?:business\s+|working\s+)?days?\b|"
            r"\b(?:soon|shortly|asap|as soon as (?:possible|we can)|in due course|"
            r"in the (?:next|coming) (?:few )?days|at some point|when(?:ever)? we can)\b"
        ),
        week=_c(
            r"\b(?:(?:by |before |until )?(?:the )?end of (?:the|this) week|"
            r"(?:next|this|the coming) week|later this week)\b"
        ),
        date=_c(
            rf"\b(?:the day after tomorrow|today|tonight|tomorrow|"
            rf"(?:(?:by|before|until|till|on)\s+)?(?:(?:next|this|coming)\s+)?(?:{_EN_DAYS})|"
            rf"(?:(?:by|before|until|on)\s+)?(?:the\s+)?\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?(?:{_EN_MONTHS})|"
            rf"(?:(?:by|before|until|on)\s+)?(?:{_EN_MONTHS})\s+\d{{1,2}}(?:st|nd|rd|th)?)\b"
        ),
        clocks=(
            _c(
                r"\b(?:(?:at|by|before|until|till|around)\s+)?(\d{1,2})(?:[:.](\d{2}))?\s*"
                r"(a\.?m\.?|p\.?m\.?)(?!\w)"
            ),
            _c(
                r"\b(?:at|by|before|until|till|around)\s+(\d{1,2})(?:[:.](\d{2}))?(?:\s*o'clock)?\b"
            ),
            _c(r"\b(\d{1,2}):(\d{2})\b"),
        ),
        noon=_c(
            r"\b(?:(?:at|by|before|until|around)\s+)?(?:noon|midday|lunchtime|"
            r"(?:in the )?morning)\b"
        ),
        day_close=_c(
            r"\b(?:(?:by|before|at) )?(?:the )?(?:end of (?:the )?(?:business |working )?day|"
            r"close of business|eod|cob|(?:in the )?afternoon|this evening)\b"
        ),
        relative=_c(r"\b(?:in|within)\s+(\d+|an?|one|two|three)\s+(hours?|minutes?|mins?)\b"),
        normalise=_en_normalise,
    ),
    "de": _Language(
        commitment=_c(
            r"\b(?:wir|ich)\b|\bsie\s+(?:erhalten|bekommen|hören)\b|\bmelden\s+uns\b|"
            r"\bwird\s+(?:\w+\s+){0,4}?(?:versandt|verschickt|zugestellt|erstattet|abgeholt|"
            r"repariert|ersetzt|gutgeschrieben|überwiesen)\b"
        ),
        refusal=_c(
            r"\b(?:nicht|kein|keine|keinen|niemals|nie|leider nicht|unmöglich)\b|"
            r"\b(?:haben|habe|hatten|hatte|wurde|wurden|war|waren)\b"
        ),
        vague=_c(
            r"\bin\s+kürze\b|\b(?:bald|baldmöglichst|schnellstmöglich|zeitnah|demnächst|"
            r"umgehend|schnellstens|so schnell wie möglich|sobald wie möglich)\b|"
            r"\bin\s+den\s+(?:nächsten|kommenden)\s+(?:tagen|wochen)\b|"
            r"\binnerhalb\s+(?:von\s+)?(?:\d+\s*(?:[–-]|bis|oder)\s*)?\d+\s+(?:werk|arbeits|geschäfts)?tag"
        ),
        week=_c(
            r"\b(?:(?:bis\s+)?(?:zum\s+)?ende\s+(?:der|dieser)\s+woche|"
            r"(?:in der\s+)?(?:nächsten|kommenden)\s+woche|nächste\s+woche|kommende\s+woche|"
            r"(?:noch\s+)?(?:diese|dieser)\s+woche)\b"
        ),
        date=_c(
            rf"(?<!guten )(?<!heute )(?<!am )\b(?:übermorgen|heute|morgen|"
            r"(?:(?:bis|am|bis zum|spätestens)\s+)?(?:(?:nächsten|kommenden|diesen)\s+)?"
            rf"(?:{_DE_DAYS})|"
            rf"(?:(?:bis|am|bis zum|zum)\s+)?\d{{1,2}}\.\s*(?:{_DE_MONTHS})|"
            rf"(?:(?:bis|am|bis zum|zum)\s+)?\d{{1,2}}\.\d{{1,2}}\.(?:\d{{2,4}})?)"
        ),
        clocks=(
            _c(
                r"\b(?:(?:um|bis|gegen|ab|spätestens um|spätestens)\s+)?"
                r"(\d{1,2})(?:[:.](\d{2}))?\s*uhr\b"
            ),
            _c(r"\b(?:um|bis|gegen|spätestens um)\s+(\d{1,2})(?:[:.](\d{2}))?\b(?!\.)"),
            _c(r"\b(\d{1,2}):(\d{2})\b"),
        ),
        noon=_c(r"\b(?:(?:bis|gegen|zum|um)\s+)?(?:mittag|mittags|vormittag|vormittags|früh)\b"),
        day_close=_c(
            r"\b(?:bis\s+)?(?:zum\s+)?(?:feierabend|geschäftsschluss|dienstschluss|"
            r"tagesende|ende des tages|nachmittag|nachmittags|abend)\b"
        ),
        relative=_c(
            r"\b(?:in|innerhalb(?:\s+von)?)\s+(\d+|einer|einem|eine|zwei|drei)\s+"
            r"(stunden?|minuten?)\b"
        ),
        normalise=_de_normalise,
    ),
    "tr": _Language(
        commitment=_c(
            r"\b\w+(?:y?acağız|y?eceğiz|y?acağım|y?eceğim|y?acaksınız|y?eceksiniz)\b|"
            r"\b\w+(?:[aeıiuü]r)(?:ız|iz|uz|üz|ım|im)\b|"
            # The passive future, said of the thing: "iadeniz yarın yapılacak".
            r"\b\w+(?:[ıiuü]l|[ıiuü]n)(?:acak|ecek)\b"
        ),
        refusal=_c(
            r"\b\w+(?:ma|me)(?:y?acağ|y?eceğ)|\b\w+(?:amayız|emeyiz|mayız|meyiz|amam|emem)\b|"
            r"\b(?:değil|asla|hiçbir)\b"
        ),
        vague=_c(
            r"\ben\s+kısa\s+(?:sürede|zamanda)\b|\b(?:yakında|birazdan|kısa\s+süre\s+içinde|"
            r"ilk\s+fırsatta|bir\s+an\s+önce|müsait\s+olunca)\b|"
            r"\b(?:\d+\s*[–-]\s*)?\d+\s+(?:iş\s+)?gün(?:ü)?\s+içinde\b|\bbirkaç\s+gün"
        ),
        week=_c(
            r"\b(?:(?:gelecek|önümüzdeki|bu)\s+hafta(?:ya|nın)?|haftaya)"
            r"(?:\s+(?:içinde|sonuna\s+kadar|kadar))?\b"
        ),
        date=_c(
            rf"\b(?:bugün|yarın|öbür\s+gün|ertesi\s+gün|"
            rf"(?:(?:gelecek|önümüzdeki|bu)\s+)?(?:{_TR_DAYS})(?:'?(?:y?[ae]|[dt][ae]))?(?:\s+günü)?(?:\s+kadar)?|"
            rf"\d{{1,2}}\s+(?:{_TR_MONTHS})(?:'?(?:[dt][ae]|y?[ae]))?(?:\s+kadar)?)"
        ),
        clocks=(
            # "10 ile 12 arasında": by the end of the window.
            _c(r"\b\d{1,2}(?:[:.]\d{2})?\s+ile\s+(\d{1,2})(?:[:.](\d{2}))?\s+arası"),
            _c(r"\bsaat\s+(\d{1,2})(?:[:.](\d{2}))?(?:'?(?:[dt][ae]n?|y?[ae]))?(?:\s+kadar)?"),
            _c(r"\b(\d{1,2})[:.](\d{2})(?:'?(?:[dt][ae]|y?[ae]))?(?:\s+kadar)?"),
        ),
        noon=_c(r"\b(?:öğlen|öğleye|öğlene|öğle|sabah)(?:\s+kadar)?\b"),
        day_close=_c(
            r"\b(?:gün\s+sonuna|mesai\s+bitimine|mesai\s+sonuna|akşama|öğleden\s+sonra|"
            r"akşam)(?:\s+kadar)?\b"
        ),
        relative=_c(r"\b(\d+|bir|iki|üç)\s+(saat|dakika)\s+(?:içinde|sonra)\b"),
        normalise=_tr_normalise,
    ),
}

_WORD_NUMBERS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "einer": 1, "einem": 1, "eine": 1,
    "zwei": 2, "drei": 3, "bir": 1, "iki": 2, "üç": 3,
}  # fmt: skip
_SPECIAL_DAYS = {
    "today": 0, "tonight": 0, "tomorrow": 1, "the day after tomorrow": 2,
    "heute": 0, "morgen": 1, "übermorgen": 2,
    "bugün": 0, "yarın": 1, "öbür gün": 2, "ertesi gün": 1,
}  # fmt: skip


@lru_cache(maxsize=4096)
def _parse_date(phrase: str, language: str, today: date) -> tuple[date, str] | None:
    """A normalised date phrase read by dateparser relative to ``today``: the date and
    its period (day or week); cached, as the same draft is checked again and again."""
    data = _parser_for(language, today).get_date_data(phrase)
    if data is None or data.date_obj is None:
        return None
    return data.date_obj.date(), data.period or "day"


@lru_cache(maxsize=64)
def _parser_for(language: str, today: date):  # -> DateDataParser
    # RELATIVE_BASE is part of a parser's settings: one parser per language and day.
    from dateparser.date import DateDataParser

    return DateDataParser(
        languages=[language],
        settings={"PREFER_DATES_FROM": "future", "RETURN_TIME_AS_PERIOD": True,
                  "DATE_ORDER": "MDY" if language == "en" else "DMY",
                  "PARSERS": ["relative-time", "absolute-time"],
                  "RELATIVE_BASE": datetime.combine(today, time(12))},
    )  # fmt: skip


def _week_close(day: date, day_end: DayEnd) -> datetime | None:
    """The close of the last business day of ``day``'s week (Monday to Sunday)."""
    monday = day - timedelta(days=day.weekday())
    for offset in range(6, -1, -1):
        close = day_end(monday + timedelta(days=offset))
        if close is not None:
            return close
    return None


def _close_of(day: date, day_end: DayEnd, zone: ZoneInfo) -> datetime:
    """The close of business on ``day``; on a day the team is closed, the evening (the
    customer was promised that day, closed or not)."""
    return day_end(day) or datetime.combine(day, time(18), tzinfo=zone)


def _clock(match: re.Match[str]) -> time | None:
    """A time of day from a clock pattern: groups hour, minute and (English) am/pm."""
    hour, minute = int(match.group(1)), int(match.group(2) or 0)
    meridiem = (match.group(3) or "").replace(".", "") if match.re.groups >= 3 else ""
    if meridiem == "pm" and hour < 12:
        hour += 12
    elif meridiem == "am" and hour == 12:
        hour = 0
    if not (0 <= hour <= 23 and 0 <= minute <= 59):
        return None
    return time(hour, minute)


def _relative(match: re.Match[str]) -> timedelta:
    """ "In 2 hours", "innerhalb einer Stunde", "30 dakika içinde"."""
    number, unit = match.group(1).lower(), match.group(2).lower()
    count = int(number) if number.isdigit() else _WORD_NUMBERS.get(number, 1)
    if unit.startswith(("min", "dak")):
        return timedelta(minutes=count)
    return timedelta(hours=count)


def _sentence_promise(
    sentence: str, language: str, *, now: datetime, zone: ZoneInfo, day_end: DayEnd
) -> DetectedPromise | None:
    rules = _LANGS[language]
    folded = _fold(sentence, language)
    if folded.rstrip().endswith("?") or not rules.commitment.search(folded):
        return None
    if rules.refusal.search(folded):
        return None
    local_now = now.astimezone(zone)
    spans: list[tuple[int, int]] = []
    due: datetime | None = None

    relative = rules.relative.search(folded)
    if relative:
        due = now + _relative(relative)
        spans.append(relative.span())
    day: date | None = None
    week = None if due else rules.week.search(folded)
    if week:
        text = week.group(0)
        offset = 0 if re.search(r"\b(?:this|end|later|diese|dieser|ende|bu)\b", text) and not \
            re.search(r"\b(?:next|nächste|nächsten|kommende|kommenden|gelecek|önümüzdeki|haftaya)\b",
                      text) else 7  # fmt: skip
        close = _week_close(local_now.date() + timedelta(days=offset), day_end)
        if close is not None and close > now:
            due = close
            spans.append(week.span())
    dated = None if due else rules.date.search(folded)
    if dated:
        phrase = " ".join(dated.group(0).split())
        key = phrase if phrase in _SPECIAL_DAYS else rules.normalise(phrase).strip()
        if key in _SPECIAL_DAYS:
            day = local_now.date() + timedelta(days=_SPECIAL_DAYS[key])
        elif language == "de" and (
            numeric := re.fullmatch(r"(\d{1,2})\.(\d{1,2})\.(\d{2,4})?", key)
        ):
            year = int(numeric.group(3) or local_now.year)
            year += 2000 if year < 100 else 0
            try:
                day = date(year, int(numeric.group(2)), int(numeric.group(1)))
            except ValueError:
                return None
            if day < local_now.date() and not numeric.group(3):
                day = day.replace(year=day.year + 1)
        else:
            parsed = _parse_date(key, language, local_now.date())
            if parsed is None:
                return None
            day = parsed[0]
        spans.append(dated.span())
    if due is None:
        clock = None
        for pattern in rules.clocks:
            if m := pattern.search(folded):
                clock = _clock(m)
                if clock is not None:
                    spans.append(m.span())
                    break
        if clock is None and (m := rules.noon.search(folded)):
            clock = time(12)
            spans.append(m.span())
        closing = None if clock else rules.day_close.search(folded)
        if closing:
            spans.append(closing.span())
        if day is None and clock is None and closing is None:
            return None
        if day is None:
            day = local_now.date()
            if clock is not None and datetime.combine(day, clock, tzinfo=zone) <= local_now:
                day += timedelta(days=1)
        if clock is not None:
            due = datetime.combine(day, clock, tzinfo=zone)
            # Wall-clock times that do not exist (the spring DST gap) move on, like a clock.
            due = due.astimezone(ZoneInfo("UTC")).astimezone(zone)
        else:
            due = _close_of(day, day_end, zone)
    if due <= now or due - now > HORIZON:
        return None
    return DetectedPromise(
        what=_what(sentence, spans), due=due, sentence=sentence.strip(),
        phrase=" ".join(sentence[a:b].strip() for a, b in sorted(spans)),
    )  # fmt: skip


def _what(sentence: str, spans: list[tuple[int, int]]) -> str:
    """The sentence without its time phrases: what was promised."""
    text = sentence
    for start, end in sorted(spans, reverse=True):
        text = text[:start] + " " + text[end:]
    text = re.sub(r"\s+([,.!;:])", r"\1", " ".join(text.split())).strip(" ,;:.!")
    return (text[:1].upper() + text[1:])[:255] if text else sentence.strip()[:255]


def promises_detect(
    *, text: str, language: str, now: datetime, time_zone: str, day_end: DayEnd
) -> list[DetectedPromise]:
    """The time promises in ``text`` (a reply draft in ``language``), at most one per
    sentence, with due times in ``time_zone``; ``day_end(date)`` gives the close of a
    business day (None when the team is closed that day). A language we have no rules
    for finds none."""
    if language not in _LANGS:
        return []
    zone = ZoneInfo(time_zone)
    found = []
    for sentence in sentences(text):
        promise = _sentence_promise(sentence, language, now=now, zone=zone, day_end=day_end)
        if promise is not None:
            found.append(promise)
    return found


def is_vague_promise(*, text: str, language: str) -> bool:
    """Whether ``text`` promises a time only vaguely ("in Kürze", "en kısa sürede")."""
    rules = _LANGS.get(language)
    return bool(rules and rules.vague.search(_fold(text, language)))


def day_end_default(time_zone: str) -> DayEnd:
    """Monday to Friday, closing at 17:00 in ``time_zone``: for a team without a
    calendar."""
    zone = ZoneInfo(time_zone)

    def day_end(day: date) -> datetime | None:
        return None if day.weekday() >= 5 else datetime.combine(day, time(17), tzinfo=zone)

    return day_end
