"""What every API view of the shop's systems shares: who is calling, which teams they
see, who their writes are recorded as, and ids that are checked before any query."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import QuerySet
from django.http import Http404
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.views import APIView

from core.access import agent_profile, agent_team_ids
from core.api.keys import IsStaffOrApiKey, api_key_user, key_team_ids
from core.api.throttling import ApiKeyRateThrottle
from core.models import AgentProfile, ApiKey

MAX_ID = 2**63 - 1


class ApiView(APIView):
    """An API view; ``api_resource`` names the scope a key needs (read for GET, write
    for the rest)."""

    api_resource: str | None = None
    permission_classes = [IsStaffOrApiKey]
    throttle_classes = [ApiKeyRateThrottle]

    def initial(self, request: Request, *args, **kwargs) -> None:
        super().initial(request, *args, **kwargs)
        # PostgreSQL cannot hold a NUL in text: one in the path or the query is refused
        # here, before any lookup (the body's strings are checked by the serializers).
        values = [*kwargs.values(), *request.query_params.keys()]
        values += [v for _key, items in request.query_params.lists() for v in items]
        if any("\x00" in str(value) for value in values):
            raise ValidationError({"detail": ["NUL characters are not allowed."]})


def id_or_404(value: int | str) -> int:
    """A row id from the path; one out of range answers 404 instead of a database error."""
    try:
        value = int(value)
    except (TypeError, ValueError) as error:
        raise Http404("No such object.") from error
    if not 0 < value <= MAX_ID:
        raise Http404("No such object.")
    return value


def request_actor(request: Request) -> AbstractBaseUser:
    """Who a write is recorded as: the staff member, or the key's own user."""
    if isinstance(request.auth, ApiKey):
        return api_key_user(api_key=request.auth)
    return request.user


def request_team_ids(request: Request) -> list[int] | None:
    """The teams the caller's tickets are limited to; None for all teams. A key without
    team limits and an admin see every team; other staff see their teams."""
    if isinstance(request.auth, ApiKey):
        return key_team_ids(request.auth)
    profile = agent_profile(request.user)
    if profile is not None and profile.role == AgentProfile.Role.ADMIN:
        return None
    return agent_team_ids(request.user)


def team_scoped(
    queryset: QuerySet, request: Request, *, team: str = "team", assignee: str | None = None
) -> QuerySet:
    """``queryset`` limited to the caller's teams (rows without a team are visible only
    to callers without a team limit; staff also see rows assigned to them)."""
    team_ids = request_team_ids(request)
    if team_ids is None:
        return queryset
    from django.db.models import Q

    visible = Q(**{f"{team}_id__in": team_ids})
    if assignee is not None and not isinstance(request.auth, ApiKey):
        visible |= Q(**{assignee: request.user})
    return queryset.filter(visible)
