"""The weekly report's content: the lead's scope, last week against the week before."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.urls import reverse

from core.access import agent_profile
from reports.dashboard import dashboard_build
from reports.periods import scope_for, week_ending


def weekly_report_context(*, user: AbstractUser, today: date) -> dict[str, Any]:
    profile = agent_profile(user)
    period = week_ending(today, time_zone=profile.time_zone)
    scope = scope_for(user=user)
    sections = dashboard_build(period=period, scope=scope)
    site = settings.SITE_URL.rstrip("/")
    for section in sections:
        for kpi in section.kpis:
            if kpi.url and kpi.url.startswith("/"):
                kpi.url = site + kpi.url
    query = "&".join(f"{k}={v}" for k, v in period.as_params().items())
    return {
        "user": user,
        "period": period,
        "sections": [s for s in sections if any(k.available for k in s.kpis)],
        "dashboard_url": f"{site}{reverse('reports:dashboard')}?{query}",
        "preferences_url": f"{site}{reverse('reports:preferences')}",
    }
