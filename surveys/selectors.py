"""Reads of survey results for the ticket page, the customer's history and dashboards."""

from __future__ import annotations

from datetime import datetime

from django.contrib.auth.models import AbstractUser
from django.db.models import Count, Q, QuerySet

from core.models import Team
from core.rows import instances, json_row, json_rows, select_together
from customers.models import Customer, Order
from surveys.models import RecoveryCase, SurveyInvitation, SurveyResponse
from tickets.models import Ticket

Kind = SurveyInvitation.Kind


def survey_invitations_for_ticket(*, ticket: Ticket) -> list[SurveyInvitation]:
    return list(
        ticket.survey_invitations.select_related("response", "recovery_case").order_by("-pk")
    )


def _invitations(
    *, since: datetime, until: datetime, team: Team | None, agent: AbstractUser | None
) -> QuerySet[SurveyInvitation]:
    invitations = SurveyInvitation.objects.filter(
        state=SurveyInvitation.State.SENT, sent_at__gte=since, sent_at__lt=until
    )
    if team is not None:
        invitations = invitations.filter(team=team)
    if agent is not None:
        invitations = invitations.filter(agent=agent)
    return invitations


def survey_stats(
    *,
    since: datetime,
    until: datetime,
    team: Team | None = None,
    agent: AbstractUser | None = None,
) -> dict[str, float | int | None]:
    """CSAT % (share of 4–5 answers), NPS (promoters − detractors, in points), response
    rate, each over invitations sent in [since, until), optionally for a team or agent.
    Answers flagged as automated are left out. ``None`` where there is nothing to measure."""
    invitations = _invitations(since=since, until=until, team=team, agent=agent)
    answered = Q(response__isnull=False, response__looks_automated=False)
    totals = invitations.aggregate(
        sent=Count("pk"),
        answered=Count("pk", filter=answered),
        csat=Count("pk", filter=answered & Q(kind=Kind.CSAT)),
        csat_happy=Count("pk", filter=answered & Q(kind=Kind.CSAT, response__score__gte=4)),
        nps=Count("pk", filter=answered & Q(kind=Kind.NPS)),
        promoters=Count("pk", filter=answered & Q(kind=Kind.NPS, response__score__gte=9)),
        detractors=Count("pk", filter=answered & Q(kind=Kind.NPS, response__score__lte=6)),
    )

    def share(part: int, whole: int) -> float | None:
        return round(100 * part / whole, 1) if whole else None

    nps_score = None
    if totals["nps"]:
        nps_score = round(100 * (totals["promoters"] - totals["detractors"]) / totals["nps"], 1)
    return {
        "sent": totals["sent"],
        "answered": totals["answered"],
        "response_rate": share(totals["answered"], totals["sent"]),
        "csat_responses": totals["csat"],
        "csat_percent": share(totals["csat_happy"], totals["csat"]),
        "nps_responses": totals["nps"],
        "nps": nps_score,
    }


def survey_stats_by(
    *, since: datetime, until: datetime, field: str
) -> list[dict[str, float | int | None]]:
    """``survey_stats`` per team (``field="team"``) or per agent (``field="agent"``)."""
    if field not in ("team", "agent"):
        raise ValueError("field must be 'team' or 'agent'")
    keys = (
        SurveyInvitation.objects.filter(sent_at__gte=since, sent_at__lt=until)
        .exclude(**{f"{field}__isnull": True})
        .values_list(field, flat=True)
        .distinct()
    )
    rows = []
    for key in keys:
        stats = survey_stats(since=since, until=until, **{field: _key_object(field, key)})
        rows.append({field: key, **stats})
    return rows


def _key_object(field: str, key: int) -> object:
    from django.contrib.auth import get_user_model

    return Team(pk=key) if field == "team" else get_user_model()(pk=key)


def detractors_recovered(
    *, since: datetime, until: datetime, team: Team | None = None
) -> dict[str, float | int | None]:
    """Recovery cases opened in [since, until) and how many were recovered."""
    cases = RecoveryCase.objects.filter(created_at__gte=since, created_at__lt=until)
    if team is not None:
        cases = cases.filter(invitation__team=team)
    totals = cases.aggregate(
        detractors=Count("pk"),
        recovered=Count("pk", filter=Q(state=RecoveryCase.State.RECOVERED)),
    )
    rate = (
        round(100 * totals["recovered"] / totals["detractors"], 1) if totals["detractors"] else None
    )
    return {**totals, "recovered_percent": rate}


def survey_responses_for_export(**filters: object) -> QuerySet[SurveyResponse]:
    return SurveyResponse.objects.filter(**filters).select_related(
        "invitation", "invitation__customer", "invitation__team", "invitation__agent"
    )


def _invitations_and_cases(*, customer: Customer, limit: int) -> tuple[list, list]:
    """The customer's latest surveys (newest first, unscheduled ones, with answer
    and order) and their open recovery cases, in one statement."""
    key = "t.customer_id = %(customer)s"
    answers = SurveyResponse._meta.db_table
    answer = f"(SELECT row_to_json(a) FROM {answers} a WHERE a.invitation_id = t.id)"  # noqa: S608
    parts = [
        json_rows(SurveyInvitation, where=f"{key} AND t.state <> %(scheduled)s",
                  order_by="t.sent_at DESC, t.id DESC", limit=limit,
                  related={"response": answer, "order": json_row(Order, "t.order_id")}),
        json_rows(RecoveryCase, where=f"{key} AND t.state = %(open)s", order_by="t.id"),
    ]  # fmt: skip
    params = {"customer": customer.pk, "scheduled": SurveyInvitation.State.SCHEDULED.value,
              "open": RecoveryCase.State.OPEN.value}  # fmt: skip
    invitations, cases = select_together(parts, params)
    return (
        instances(SurveyInvitation, invitations, response=SurveyResponse, order=Order),
        instances(RecoveryCase, cases),
    )


def survey_customer_panel(
    customer: Customer, user: AbstractUser, *, ticket: Ticket | None = None
) -> dict[str, object] | None:
    """The customer history panel: recent surveys with their answers, and open recovery
    cases a lead can close. Two queries whatever the history's length."""
    from django.utils.translation import gettext

    from core.access import agent_profile

    invitations, cases = _invitations_and_cases(customer=customer, limit=10)
    if not invitations:
        return None  # a recovery case always belongs to a sent invitation
    profile = agent_profile(user)
    return {
        "template": "surveys/_customer_panel.html",
        "title": gettext("Surveys"),
        "context": {
            "invitations": invitations,
            "open_cases": cases,
            "can_recover": profile is not None and profile.is_lead,
        },
    }
