# ruff: noqa: E501  (the views read better with a query per line)
"""Dashboards, per-team and per-agent pages, the scoreboard and the lists behind numbers.
Thin: parse the period and scope, read through selectors, render (or export CSV)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from core.access import agent_profile, agent_required, is_admin, is_lead, lead_required
from core.models import Team
from core.params import int_param
from messaging.models import Channel
from reports import scoreboard as board
from reports import services
from reports.csv import csv_response
from reports.dashboard import dashboard_build, table_find
from reports.forms import GoalForm, KudosForm, PreferenceForm
from reports.periods import (
    PERIODS,
    Period,
    Scope,
    period_parse,
    scope_for,
    scope_from_params,
    visible_team_ids,
)

User = get_user_model()


def _zone(request: HttpRequest) -> str:
    return agent_profile(request.user).time_zone


def _render(request: HttpRequest, *, period: Period, scope: Scope, title: str,
            extra: dict[str, Any] | None = None) -> HttpResponse:  # fmt: skip
    visible = visible_team_ids(request.user)
    teams = Team.objects.order_by("name")
    if visible is not None:
        teams = teams.filter(pk__in=visible)
    teams = list(teams)
    if scope.team_ids is not None and not set(scope.team_ids) <= {t.pk for t in teams}:
        raise Http404
    sections = dashboard_build(period=period, scope=scope)
    export = request.GET.get("export", "")
    if export:
        table = table_find(sections, export[:40])
        if table is None:
            raise Http404
        name = f"{table.key}-{period.first_day}-{period.last_day}.csv"
        return csv_response(filename=name, rows=table.csv_rows())
    params = request.GET.copy()
    params.pop("export", None)
    context = {
        "section": "reports", "title": title, "sections": sections, "period": period,
        "periods": [(k, v[0]) for k, v in PERIODS.items()], "scope": scope,
        "teams": teams, "channels": Channel.choices, "query": params.urlencode(),
        "agents": list(
            User.objects.filter(agent_profile__teams__in=[t.pk for t in teams]).distinct()
            .order_by("first_name", "username")
        ) if is_lead(request.user) else [],
        **(extra or {}),
    }  # fmt: skip
    return render(request, "reports/dashboard.html", context)


@require_safe
@lead_required
def dashboard(request: HttpRequest) -> HttpResponse:
    period = period_parse(request.GET, time_zone=_zone(request))
    scope = scope_from_params(user=request.user, params=request.GET)
    return _render(request, period=period, scope=scope, title=_("Dashboard"))


@require_safe
@lead_required
def team_page(request: HttpRequest, team_id: int) -> HttpResponse:
    team = get_object_or_404(Team, pk=team_id)
    if not is_lead(request.user, team_id=team.pk):
        raise Http404
    period = period_parse(request.GET, time_zone=_zone(request))
    scope = scope_for(user=request.user, team_id=team.pk, channel=request.GET.get("channel", ""))
    return _render(request, period=period, scope=scope, title=team.name,
                   extra={"page_team": team, "goals": board.goals_progress(teams=[team], period=period)})  # fmt: skip


@require_safe
@agent_required
def agent_page(request: HttpRequest, agent_id: int) -> HttpResponse:
    """One agent's numbers: for the agent, and for leads of the agent's teams (counted
    inside those teams)."""
    agent = get_object_or_404(User, pk=agent_id, agent_profile__isnull=False)
    if agent.pk != request.user.pk and not is_admin(request.user):
        shared = set(agent.agent_profile.teams.values_list("pk", flat=True))
        if not is_lead(request.user) or not shared & set(visible_team_ids(request.user) or []):
            raise Http404
    period = period_parse(request.GET, time_zone=_zone(request))
    if agent.pk == request.user.pk:
        scope = scope_for(user=request.user, channel=request.GET.get("channel", ""))
    else:
        scope = scope_for(
            user=request.user, agent_id=agent.pk, channel=request.GET.get("channel", "")
        )
    kudos = board.kudos_for(receiver=agent, limit=10)
    return _render(request, period=period, scope=scope, title=agent.get_full_name() or agent.username,
                   extra={"page_agent": agent, "kudos": kudos})  # fmt: skip


@require_safe
@agent_required
def scoreboard(request: HttpRequest) -> HttpResponse:
    period = period_parse(request.GET, time_zone=_zone(request))
    visible = visible_team_ids(request.user)
    team_id = int_param(request.GET.get("team"), minimum=1)
    teams = Team.objects.order_by("name")
    if visible is not None:
        teams = teams.filter(pk__in=visible)
    teams = list(teams)
    if team_id is not None:
        teams = [t for t in teams if t.pk == team_id]
        if not teams:
            raise Http404
    data = board.scoreboard_build(
        teams=teams, period=period, everything=visible is None and team_id is None
    )
    kudos_form = KudosForm(user=request.user)
    goal_form = GoalForm(teams=teams) if is_lead(request.user) else None
    return render(request, "reports/scoreboard.html", {
        "section": "scoreboard", "period": period, "periods": [(k, v[0]) for k, v in PERIODS.items()],
        "teams": teams, "board": data, "kudos_form": kudos_form, "goal_form": goal_form,
        "goals": board.goals_progress(teams=teams, period=period), "selected_team": team_id,
    })  # fmt: skip


@require_POST
@agent_required
def kudos_give_view(request: HttpRequest) -> HttpResponse:
    form = KudosForm(request.POST, user=request.user)
    if form.is_valid():
        try:
            services.kudos_give(giver=request.user, receiver=form.cleaned_data["receiver"],
                                ticket_id=form.cleaned_data["ticket"], message=form.cleaned_data["message"])  # fmt: skip
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Thank you for thanking a colleague."))
    else:
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    # Back to the ticket the thanks was given on, when it came from its page.
    back = request.POST.get("next", "")
    if (
        back
        and url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()})
        and back.startswith("/tickets/")
    ):
        return redirect(back)
    return redirect("reports:scoreboard")


@require_POST
@lead_required
def goal_set_view(request: HttpRequest) -> HttpResponse:
    visible = visible_team_ids(request.user)
    teams = Team.objects.all() if visible is None else Team.objects.filter(pk__in=visible)
    form = GoalForm(request.POST, teams=list(teams))
    if form.is_valid():
        try:
            services.team_goal_set(by=request.user, **form.cleaned_data)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The goal is set."))
    else:
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    return redirect("reports:scoreboard")


@lead_required
def preferences(request: HttpRequest) -> HttpResponse:
    current = getattr(request.user, "weekly_report", None)
    initial = {
        "weekday": current.weekday if current else 0,
        "enabled": current.enabled if current else True,
    }
    form = PreferenceForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.weekly_report_preference_set(user=request.user, **form.cleaned_data)
        messages.success(request, _("Your weekly report settings are saved."))
        return redirect("reports:preferences")
    return render(request, "reports/preferences.html", {"section": "reports", "form": form})


LISTS = ("surveys", "recoveries", "loyalty")


@require_safe
@agent_required
def record_list(request: HttpRequest, what: str) -> HttpResponse:
    """The survey answers, recovery cases or loyalty entries a dashboard number counts
    (an agent's own, for an agent)."""
    from loyalty.models import LedgerEntry
    from surveys.models import RecoveryCase, SurveyInvitation

    if what not in LISTS:
        raise Http404
    period = period_parse(request.GET, time_zone=_zone(request))
    scope = scope_from_params(user=request.user, params=request.GET)

    def scoped(rows: Any, team: str, agent: str) -> Any:
        if scope.team_ids is not None:
            rows = rows.filter(**{f"{team}__in": scope.team_ids})
        if scope.agent_id is not None:
            rows = rows.filter(**{agent: scope.agent_id})
        return rows

    if what == "surveys":
        rows = SurveyInvitation.objects.filter(
            state="sent", sent_at__gte=period.since, sent_at__lt=period.until
        )
        rows = scoped(rows, "team_id", "agent_id").select_related("response", "customer", "ticket")
        if (kind := request.GET.get("kind")) in SurveyInvitation.Kind.values:
            rows = rows.filter(kind=kind)
        band = request.GET.get("band", "")
        bands = {"promoter": Q(response__score__gte=9), "passive": Q(response__score__in=[7, 8]),
                 "detractor": Q(response__score__lte=6)}  # fmt: skip
        if band in bands:
            rows = rows.filter(bands[band], kind="nps", response__looks_automated=False)
        rows = rows.order_by("-sent_at", "-pk")
    elif what == "recoveries":
        rows = RecoveryCase.objects.filter(
            created_at__gte=period.since, created_at__lt=period.until
        )
        rows = scoped(rows, "invitation__team_id", "invitation__agent_id")
        rows = rows.select_related("invitation", "customer", "recovery_ticket").order_by(
            "-created_at", "-pk"
        )
    else:
        rows = LedgerEntry.objects.filter(created_at__gte=period.since, created_at__lt=period.until)
        rows = scoped(rows, "ticket__team_id", "actor_id").select_related(
            "account__customer", "ticket"
        )
        kinds = {"issued": Q(kind__in=["earn", "approve"], points__gt=0), "redeem": Q(kind="redeem"),
                 "expire": Q(kind="expire"), "goodwill": Q(source="goodwill", kind="earn")}  # fmt: skip
        if (kind := request.GET.get("kind")) in kinds:
            rows = rows.filter(kinds[kind])
        rows = rows.order_by("-created_at", "-pk")
    page = Paginator(rows, 50).get_page(int_param(request.GET.get("page")) or 1)
    params = request.GET.copy()
    params.pop("page", None)
    return render(request, "reports/list.html", {
        "section": "reports", "what": what, "page": page, "period": period, "query": params.urlencode(),
    })  # fmt: skip
