"""How the tone assistant's advice is taken: counted per rule, language and day."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.db import connection, transaction
from django.db.models import Sum
from django.utils import timezone

from tickets.models import ToneRuleStat
from tickets.tone.check import rule_set


@transaction.atomic
def tone_outcome_record(
    *, language: str, fired: Iterable[str], remaining: Iterable[str], day: date | None = None
) -> int:
    """Count one sent reply: every rule that fired on its drafts (``fired``) fired once,
    and was applied when it no longer fires on the text sent (not in ``remaining``).
    Unknown rule ids are ignored. Returns how many rules were counted. Not audited: these
    are statistics, not state changes."""
    rules = rule_set(language)
    if rules is None:
        return 0
    fired = set(fired) & rules.ids
    remaining = set(remaining)
    day = day or timezone.localdate()
    table = ToneRuleStat._meta.db_table
    with connection.cursor() as cursor:
        for rule in sorted(fired):
            # One statement, so two replies sent at once both count.
            cursor.execute(
                f"INSERT INTO {table} (language, rule, day, fired, applied) "  # noqa: S608
                "VALUES (%s, %s, %s, 1, %s) ON CONFLICT (language, rule, day) DO UPDATE "
                f"SET fired = {table}.fired + 1, applied = {table}.applied + EXCLUDED.applied",
                [language, rule, day, int(rule not in remaining)],
            )
    return len(fired)


@dataclass(frozen=True)
class ToneRuleUse:
    language: str
    rule: str
    fired: int
    applied: int

    @property
    def applied_rate(self) -> float | None:
        return self.applied / self.fired if self.fired else None


def tone_rule_use(*, start: date, end: date, language: str | None = None) -> list[ToneRuleUse]:
    """How often each rule fired and was applied on days in ``[start, end)``, most fired
    first, for the dashboards. One query."""
    stats = ToneRuleStat.objects.filter(day__gte=start, day__lt=end)
    if language:
        stats = stats.filter(language=language)
    rows = stats.values("language", "rule").annotate(fired=Sum("fired"), applied=Sum("applied"))
    uses = [ToneRuleUse(**row) for row in rows.order_by()]
    return sorted(uses, key=lambda u: (-u.fired, u.language, u.rule))
