"""The friendly scoreboard: outcomes, never speed alone; achievements and personal bests,
never a bottom of the table. Agents are listed by name, not by rank."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractUser
from django.utils.translation import gettext_lazy as _

from core.access import staff_name, staff_name_sql
from core.models import Team
from core.rows import json_rows, select_together
from reports import selectors
from reports.models import Kudos, TeamGoal
from reports.periods import Period, Scope

OUTCOMES = {
    "csat_happy": _("Happy customers"),
    "recovery_recovered": _("Detractors recovered"),
    "kudos": _("Kudos received"),
    "promise_kept": _("Promises kept"),
}
GOAL_METRICS = {"solved": "solved", "csat_happy": "csat_happy", "recovered": "recovery_recovered",
                "kudos": "kudos"}  # fmt: skip


@dataclass
class Card:
    user: Any
    outcomes: dict[str, int]
    achievements: list[Any] = field(default_factory=list)


def scoreboard_build(*, teams: list[Team], period: Period, everything: bool) -> dict[str, Any]:
    scope = Scope(None if everything else tuple(t.pk for t in teams))
    metrics = tuple(OUTCOMES)
    totals = selectors.agent_totals(period=period, scope=scope, metrics=metrics)
    bests = selectors.weekly_bests(scope=scope, before=period.since, weeks=12, metrics=metrics)
    members = (
        get_user_model()
        .objects.filter(agent_profile__isnull=False, is_active=True)
        .order_by("first_name", "username")
    )
    if not everything:
        members = members.filter(agent_profile__teams__in=[t.pk for t in teams]).distinct()
    cards = [
        Card(user, {m: totals.get(user.pk, {}).get(m, 0) for m in metrics}) for user in members
    ]
    for metric, label in OUTCOMES.items():
        top = max((c.outcomes[metric] for c in cards), default=0)
        for card in cards:
            value = card.outcomes[metric]
            if value and value == top:
                card.achievements.append(
                    _("Most %(what)s this period") % {"what": str(label).lower()}
                )
            best = bests.get((card.user.pk, metric), 0)
            if value and value > best and len(period.days) <= 7:
                card.achievements.append(
                    _("Personal best: %(what)s") % {"what": str(label).lower()}
                )
    recent = (
        Kudos.objects.filter(created_at__gte=period.since, created_at__lt=period.until)
        .select_related("giver", "receiver")
        .order_by("-created_at")
    )
    if not everything:
        recent = recent.filter(receiver__agent_profile__teams__in=[t.pk for t in teams]).distinct()
    return {"cards": cards, "outcomes": OUTCOMES, "kudos": list(recent[:20])}


def kudos_for(*, receiver: AbstractUser, limit: int = 10) -> list[Kudos]:
    return list(Kudos.objects.filter(receiver=receiver).select_related("giver")
                .order_by("-created_at")[:limit])  # fmt: skip


@dataclass
class GoalProgress:
    goal: TeamGoal
    value: int

    @property
    def percent(self) -> int:
        return min(100, round(100 * self.value / self.goal.target)) if self.goal.target else 0


def goals_progress(*, teams: list[Team], period: Period) -> list[GoalProgress]:
    """Goals of these teams that overlap the period, with their progress over the goal's
    own dates (one query per goal; a team has a handful)."""
    goals = TeamGoal.objects.filter(
        team__in=teams, ends_on__gte=period.first_day, starts_on__lte=period.last_day
    ).select_related("team")
    progress = []
    for goal in goals:
        zone = ZoneInfo(goal.team.time_zone)
        since = datetime.combine(goal.starts_on, time(0), tzinfo=zone)
        until = datetime.combine(goal.ends_on + timedelta(days=1), time(0), tzinfo=zone)
        goal_period = Period(
            "custom", goal.starts_on, goal.ends_on, since, until, since, goal.team.time_zone
        )
        current, _previous = selectors.counts(period=goal_period, scope=Scope((goal.team_id,)))
        progress.append(GoalProgress(goal, current.get(GOAL_METRICS[goal.metric], 0)))
    return progress


@dataclass(frozen=True)
class KudosLine:
    """One thanks on a ticket as the panel shows it."""

    giver: str
    receiver: str
    message: str


def kudos_ticket_panel(customer: Any, user: AbstractUser, *, ticket: Any = None) -> dict | None:
    """Beside a ticket: thank a colleague of its team for their work on it, and the
    thanks it has had (one query; the team's agents are configuration)."""
    from django.utils.translation import gettext

    from core.access import agent_profile
    from tickets.selectors import team_agents

    if ticket is None or ticket.team_id is None or agent_profile(user) is None:
        return None
    colleagues = [agent for agent in team_agents(team_id=ticket.team_id) if agent.pk != user.pk]
    (rows,) = select_together(
        [json_rows(Kudos, where="t.ticket_id = %(ticket)s", order_by="t.created_at DESC, t.id DESC",
                   limit=10, columns=("message",),
                   related={"giver": staff_name_sql("t.giver_id"),
                            "receiver": staff_name_sql("t.receiver_id")})],
        {"ticket": ticket.pk},
    )  # fmt: skip
    given = [
        KudosLine(staff_name(*row["giver"]), staff_name(*row["receiver"]), row["message"])
        for row in rows
    ]
    if not colleagues and not given:
        return None
    return {
        "template": "reports/_kudos_panel.html",
        "title": gettext("Thank a colleague"),
        "context": {"ticket": ticket, "colleagues": colleagues, "given": given},
    }
