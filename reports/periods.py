"""Report periods and scopes: what a request asks for, validated and bounded.

A period is read in the viewer's time zone (today, the last 7, 30 or 90 days, or custom
dates) and has a previous period of the same length to compare with. A scope is what the
viewer may count: admins everything, leads their teams, agents their own work; filters by
team, agent and channel only narrow it."""

from __future__ import annotations

import zoneinfo
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractUser
from django.http import Http404, QueryDict
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.access import agent_profile, agent_team_ids
from core.models import AgentProfile
from core.params import int_param
from messaging.models import Channel

PERIODS = {
    "today": (_("Today"), 1),
    "7": (_("7 days"), 7),
    "30": (_("30 days"), 30),
    "90": (_("90 days"), 90),
}
DEFAULT_PERIOD = "30"
MAX_CUSTOM_DAYS = 366


@dataclass(frozen=True)
class Period:
    key: str
    first_day: date
    last_day: date
    since: datetime
    until: datetime
    previous_since: datetime
    time_zone: str

    @property
    def days(self) -> list[date]:
        return [
            self.first_day + timedelta(days=n)
            for n in range((self.last_day - self.first_day).days + 1)
        ]

    def as_params(self) -> dict[str, str]:
        if self.key == "custom":
            return {"period": "custom", "from": self.first_day.isoformat(),
                    "to": self.last_day.isoformat()}  # fmt: skip
        return {"period": self.key}


def _midnight(day: date, zone: zoneinfo.ZoneInfo) -> datetime:
    return datetime.combine(day, time(0), tzinfo=zone)


def _date(value: str | None) -> date | None:
    try:
        return date.fromisoformat((value or "")[:10])
    except ValueError:
        return None


def period_parse(params: QueryDict, *, time_zone: str, today: date | None = None) -> Period:
    """The period the request asks for; unknown or impossible values fall back to 30 days."""
    zone = zoneinfo.ZoneInfo(time_zone)
    today = today or timezone.now().astimezone(zone).date()
    key = params.get("period", DEFAULT_PERIOD)
    first = last = None
    if key == "custom":
        first, last = _date(params.get("from")), _date(params.get("to"))
        if first is None or last is None or first > last or last > today + timedelta(days=1):
            key, first, last = DEFAULT_PERIOD, None, None
        elif (last - first).days >= MAX_CUSTOM_DAYS:
            first = last - timedelta(days=MAX_CUSTOM_DAYS - 1)
    if key not in PERIODS and key != "custom":
        key = DEFAULT_PERIOD
    if first is None:
        last = today
        first = today - timedelta(days=PERIODS[key][1] - 1)
    since = _midnight(first, zone)
    until = _midnight(last + timedelta(days=1), zone)
    length = (last - first).days + 1
    previous_since = _midnight(first - timedelta(days=length), zone)
    return Period(key, first, last, since, until, previous_since, time_zone)


def week_ending(day: date, *, time_zone: str) -> Period:
    """The seven days before ``day`` (the weekly report's week)."""
    first = day - timedelta(days=7)
    params = QueryDict(mutable=True)
    params.update({"period": "custom", "from": first.isoformat(),
                   "to": (day - timedelta(days=1)).isoformat()})  # fmt: skip
    return period_parse(params, time_zone=time_zone, today=day)


@dataclass(frozen=True)
class Scope:
    """What a total may include: team ids (None: every team, and rows of no team), one
    agent, one channel."""

    team_ids: tuple[int, ...] | None
    agent_id: int | None = None
    channel: str = ""

    def where(self, *, team: str = "team_id", agent: str = "agent_id",
              channel: str = "channel") -> tuple[str, list[object]]:  # fmt: skip
        """A SQL condition (column names are the literals above, never input)."""
        parts, params = ["true"], []
        if self.team_ids is not None:
            parts.append(f"{team} = ANY(%s)")
            params.append(list(self.team_ids))
        if self.agent_id is not None:
            parts.append(f"{agent} = %s")
            params.append(self.agent_id)
        if self.channel:
            parts.append(f"{channel} = %s")
            params.append(self.channel)
        return " AND ".join(parts), params


def visible_team_ids(user: AbstractUser) -> list[int] | None:
    """The teams whose numbers ``user`` may see: None for admins (all)."""
    profile = agent_profile(user)
    if profile is None:
        return []
    if profile.role == AgentProfile.Role.ADMIN:
        return None
    return agent_team_ids(user)


def scope_for(*, user: AbstractUser, team_id: int | None = None, agent_id: int | None = None,
              channel: str = "") -> Scope:  # fmt: skip
    """The scope of a request by ``user``; a team or agent outside it answers 404.

    Leads count their teams (a filter by agent counts that agent's work in those teams);
    agents count their own work only."""
    profile = agent_profile(user)
    if profile is None:
        raise Http404
    channel = channel if channel in Channel.values else ""
    if not profile.is_lead:
        if agent_id not in (None, user.pk) or (team_id and team_id not in agent_team_ids(user)):
            raise Http404
        teams = (team_id,) if team_id else None
        return Scope(teams, user.pk, channel)
    visible = visible_team_ids(user)
    if team_id is not None:
        if visible is not None and team_id not in visible:
            raise Http404
        # An admin's unknown team id counts nothing; the page answers 404 for it.
        teams: tuple[int, ...] | None = (team_id,)
    else:
        teams = None if visible is None else tuple(visible)
    if agent_id is not None:
        agents = get_user_model().objects.filter(pk=agent_id, agent_profile__isnull=False)
        if visible is not None:
            agents = agents.filter(agent_profile__teams__in=visible)
        if not agents.exists():
            raise Http404
    return Scope(teams, agent_id, channel)


def scope_from_params(*, user: AbstractUser, params: QueryDict) -> Scope:
    return scope_for(
        user=user,
        team_id=int_param(params.get("team"), minimum=1),
        agent_id=int_param(params.get("agent"), minimum=1),
        channel=params.get("channel", "")[:16],
    )
