"""Every write of the reports app: kudos, team goals, report preferences and the weekly
report."""

from __future__ import annotations

import logging
from datetime import date, datetime

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core.access import agent_profile, agent_team_ids, is_admin
from core.events import event_record
from core.models import Team
from reports.models import Kudos, TeamGoal, WeeklyReportDelivery, WeeklyReportPreference
from tickets.selectors import ticket_scope

logger = logging.getLogger(__name__)
KUDOS_MAX = 280


@transaction.atomic
def kudos_give(*, giver: AbstractUser, receiver: AbstractUser, ticket_id: int,
               message: str) -> Kudos:  # fmt: skip
    """Thank a colleague for their work on a ticket the giver can see. Thanking the same
    colleague twice on one ticket returns the first thanks."""
    message = " ".join(message.split())[:KUDOS_MAX]
    if not message:
        raise ValidationError(_("Say what you thank them for."))
    if receiver.pk == giver.pk:
        raise ValidationError(_("Kudos are for a colleague, not for yourself."))
    if agent_profile(receiver) is None or not receiver.is_active:
        raise ValidationError(_("Choose a colleague."))
    if not ticket_scope(user=giver).filter(pk=ticket_id).exists():
        raise ValidationError(_("There is no such ticket."))
    existing = Kudos.objects.filter(ticket_id=ticket_id, giver=giver, receiver=receiver).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            kudos = Kudos.objects.create(
                ticket_id=ticket_id, giver=giver, receiver=receiver, message=message
            )
    except IntegrityError:  # the same thanks sent twice at once
        return Kudos.objects.get(ticket_id=ticket_id, giver=giver, receiver=receiver)
    event_record(kind="reports.kudos_given", actor=giver, ticket_id=ticket_id,
                 data={"receiver": receiver.pk, "kudos": kudos.pk})  # fmt: skip
    return kudos


@transaction.atomic
def team_goal_set(*, by: AbstractUser, team: Team, metric: str, target: int, starts_on: date,
                  ends_on: date) -> TeamGoal:  # fmt: skip
    """A lead sets a goal for one of their teams."""
    if not (is_admin(by) or team.pk in agent_team_ids(by)):
        raise ValidationError(_("You can set goals for your own teams only."))
    goal = TeamGoal(team=team, metric=metric, target=target, starts_on=starts_on,
                    ends_on=ends_on, created_by=by)  # fmt: skip
    goal.full_clean()
    if ends_on < starts_on:
        raise ValidationError(_("A goal ends after it starts."))
    goal.save()
    data = {"goal": goal.pk, "team": team.pk, "metric": metric, "target": target}
    event_record(kind="reports.goal_set", actor=by, data=data)
    return goal


@transaction.atomic
def weekly_report_preference_set(*, user: AbstractUser, weekday: int,
                                 enabled: bool) -> WeeklyReportPreference:  # fmt: skip
    if weekday not in range(7):
        raise ValidationError(_("Choose a day of the week."))
    preference, _created = WeeklyReportPreference.objects.update_or_create(
        user=user, defaults={"weekday": weekday, "enabled": enabled}
    )
    return preference


@transaction.atomic
def weekly_report_send(*, user_id: int, today: date) -> WeeklyReportDelivery | None:
    """Email one lead the week before ``today`` against the week before that, in their
    language, once per week (the delivery row is the proof)."""
    from django.contrib.auth import get_user_model

    from messaging.outbox import OutboxRefusedError, outbox_enqueue
    from reports.weekly import weekly_report_context

    user = get_user_model().objects.select_related("agent_profile").get(pk=user_id)
    profile = agent_profile(user)
    if profile is None or not profile.is_lead or not user.email or not user.is_active:
        return None
    delivery, created = WeeklyReportDelivery.objects.get_or_create(user=user, week_ending=today)
    if not created:
        return delivery
    with translation.override(profile.language), timezone.override(profile.time_zone):
        context = weekly_report_context(user=user, today=today)
        subject = _("Your weekly report: %(first)s – %(last)s") % {
            "first": context["period"].first_day.strftime("%d.%m."),
            "last": context["period"].last_day.strftime("%d.%m.%Y"),
        }
        text = render_to_string("reports/weekly_report.txt", context)
    try:
        row = outbox_enqueue(
            to=user.email, subject=subject, text=text, kind="reports.weekly",
            language=profile.language, automatic="auto-generated",
        )  # fmt: skip
    except OutboxRefusedError as error:
        logger.warning("weekly report for %s not emailed: %s", user.pk, error)
        return delivery
    delivery.outbox_id = row.pk
    delivery.save(update_fields=["outbox_id"])
    event_record(kind="reports.weekly_sent", data={"user": user.pk, "week_ending": str(today),
                                                    "site": settings.SITE_URL})  # fmt: skip
    return delivery


def weekly_reports_due(*, now: datetime | None = None) -> list[tuple[int, date]]:
    """(lead id, their local today) for every lead whose report day it is (from 07:00 in
    their time zone) and who has not had this week's report."""
    import zoneinfo

    from core.models import AgentProfile

    now = now or timezone.now()
    due = []
    leads = (
        AgentProfile.objects.filter(
            role__in=[AgentProfile.Role.LEAD, AgentProfile.Role.ADMIN], user__is_active=True
        )
        .exclude(user__email="")
        .select_related("user__weekly_report")
    )
    for profile in leads:
        preference = getattr(profile.user, "weekly_report", None)
        weekday, enabled = (preference.weekday, preference.enabled) if preference else (0, True)
        local = now.astimezone(zoneinfo.ZoneInfo(profile.time_zone))
        if not enabled or local.weekday() != weekday or local.hour < 7:
            continue
        if WeeklyReportDelivery.objects.filter(
            user_id=profile.user_id, week_ending=local.date()
        ).exists():
            continue
        due.append((profile.user_id, local.date()))
    return due
