"""Staff access: who a signed-in user is in the helpdesk, and what they may see.

Every queryset a view shows is scoped through ``staff_scope``; objects out of scope
answer 404, never 403, so nobody learns that they exist."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from functools import wraps
from types import MappingProxyType

from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import AbstractUser
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse

from core.config_cache import config_cached, config_snapshot
from core.models import AgentProfile


def staff_name(first_name: str, last_name: str, username: str) -> str:
    """A staff member's name from its columns, as ``User.get_full_name()`` or else the
    username: lists that read names as values rather than users."""
    return f"{first_name} {last_name}".strip() or username


def staff_name_sql(user_id: str) -> str:
    """SQL: what ``staff_name`` takes, as a JSON array (null for no user), of the user
    whose id the SQL expression ``user_id`` gives; for reads made with ``core.rows``."""
    return (
        "(SELECT json_build_array(u.first_name, u.last_name, u.username) "  # noqa: S608
        f"FROM {get_user_model()._meta.db_table} u WHERE u.id = {user_id})"
    )


def agent_profile(user: AbstractUser) -> AgentProfile | None:
    if not user.is_authenticated:
        return None
    try:
        return user.agent_profile
    except AgentProfile.DoesNotExist:
        return None


def agent_team_ids(user: AbstractUser) -> list[int]:
    """The user's team ids, looked up once per request (the profile is cached on the
    user). Every staff page scopes by them and they change seldom, so every agent's
    memberships are configuration: read once per change (agents' team links are
    watched, and a change reaches every process at its next request)."""
    profile = agent_profile(user)
    if profile is None:
        return []
    if not hasattr(profile, "_team_ids"):
        memberships = config_cached("agent_team_ids", _memberships)
        profile._team_ids = list(memberships.get(profile.pk, ()))
    return profile._team_ids


def _memberships() -> MappingProxyType:
    teams: dict[int, list[int]] = defaultdict(list)
    links = AgentProfile.teams.through.objects.order_by("team_id")
    for profile_id, team_id in links.values_list("agentprofile_id", "team_id"):
        teams[profile_id].append(team_id)
    return MappingProxyType({profile_id: tuple(ids) for profile_id, ids in teams.items()})


def is_admin(user: AbstractUser) -> bool:
    profile = agent_profile(user)
    return profile is not None and profile.role == AgentProfile.Role.ADMIN


def is_lead(user: AbstractUser, *, team_id: int | None = None) -> bool:
    """A lead (of ``team_id`` when given) or an admin: approvals and dashboards."""
    profile = agent_profile(user)
    if profile is None or not profile.is_lead:
        return False
    if profile.role == AgentProfile.Role.ADMIN or team_id is None:
        return True
    return team_id in agent_team_ids(user)


def staff_scope(
    queryset: QuerySet, *, user: AbstractUser, team: str = "team", assignee: str | None = None
) -> QuerySet:
    """Rows of ``queryset`` this user may see: admins all; agents and leads the rows of
    their teams (the ``team`` field), and rows assigned to them (the ``assignee`` field,
    when the rows have one); users without an agent profile nothing."""
    profile = agent_profile(user)
    if profile is None:
        return queryset.none()
    if profile.role == AgentProfile.Role.ADMIN:
        return queryset
    visible = Q(**{f"{team}_id__in": agent_team_ids(user)})
    if assignee is not None:
        visible |= Q(**{assignee: user})
    return queryset.filter(visible)


def staff_scope_sql(
    *, user: AbstractUser, team: str, assignee: str | None = None
) -> tuple[str, dict[str, object]] | None:
    """``staff_scope`` as a SQL condition over the columns ``team`` and ``assignee`` (for
    example "t.team_id"), with its named parameters (``%(scope_teams)s``,
    ``%(scope_user)s``), for the reads made with ``core.rows``; None when the user may
    see nothing."""
    profile = agent_profile(user)
    if profile is None:
        return None
    if profile.role == AgentProfile.Role.ADMIN:
        return "TRUE", {}
    condition = f"{team} = ANY(%(scope_teams)s)"
    if assignee is not None:
        condition = f"({condition} OR {assignee} = %(scope_user)s)"
    return condition, {"scope_teams": agent_team_ids(user), "scope_user": user.pk}


def leads_of(*, team_id: int | None) -> QuerySet[AgentProfile]:
    """Active leads of a team, first-made first; admins when the team has none."""
    active = AgentProfile.objects.select_related("user").filter(user__is_active=True)
    leads = active.filter(role=AgentProfile.Role.LEAD, teams=team_id) if team_id else None
    if leads is not None and leads.exists():
        return leads.order_by("pk")
    return active.filter(role=AgentProfile.Role.ADMIN).order_by("pk")


def agent_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Only signed-in staff with an agent profile reach the agent workspace. A page reads
    several configuration lists (the agent's teams, agents, macros, SLA policies): the
    request looks at the configuration version once for all of them."""

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        with config_snapshot():
            if agent_profile(request.user) is None:
                raise PermissionDenied
            return view(request, *args, **kwargs)

    return wrapper


def lead_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Leads and admins only (approvals, recovery); others get 403."""

    @agent_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        if not is_lead(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def admin_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Admins only (configuration: API keys, webhooks); others get 403."""

    @agent_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        if not is_admin(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper
