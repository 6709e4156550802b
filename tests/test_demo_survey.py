"""Out of the box, a newcomer who solves a demo ticket under ``make run`` finds the CSAT
survey in the development mailbox within a minute: the demo's survey settings, the
local beat schedule and a real worker, end to end."""

from __future__ import annotations

import time
from datetime import timedelta
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import timezone, translation

from messaging.models import OutboxMessage
from surveys.models import SurveyInvitation
from tests.processes import celery_start, celery_stop, wait_for
from tickets.models import Ticket
from tickets.workflow import ticket_update


def _recently_surveyed_open_ticket() -> Ticket:
    """An open demo ticket of a customer who got a survey lately: a throttle would hold
    this one back."""
    month = timezone.now() - timedelta(days=30)
    recent = SurveyInvitation.objects.filter(state="sent", sent_at__gte=month)
    tickets = Ticket.objects.filter(status__in=["open", "pending", "on_hold"],
                                    customer__survey_opt_out__isnull=True,
                                    recovery_cases__isnull=True)  # fmt: skip
    return tickets.filter(customer__in=recent.values("customer")).first() or tickets.first()


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_solved_demo_ticket_sends_its_survey_to_the_mailbox_within_a_minute(
    celery_worker_process, tmp_path, client, settings, monkeypatch
):
    call_command("seed_demo", tickets=150, stdout=StringIO())
    ticket = _recently_surveyed_open_ticket()
    agent = get_user_model().objects.get(username="agent")
    monkeypatch.delenv("SURVEY_SWEEP_SECONDS", raising=False)
    # Beat with the local settings' schedule, as `make run` starts it.
    beat = celery_start(
        ["beat", "--schedule", str(tmp_path / "beat-schedule")], log=tmp_path / "beat.log",
        DJANGO_SETTINGS_MODULE="helpdesk.settings.local",
    )  # fmt: skip
    try:
        time.sleep(2)  # beat reads its schedule
        solved = time.monotonic()
        ticket_update(ticket=ticket, by=agent, status="solved")

        sent = wait_for(
            lambda: OutboxMessage.objects.filter(
                kind="survey_csat", ticket_id=ticket.pk, state="sent"
            ).first(),
            timeout=60, what="the survey email being sent",
        )  # fmt: skip
        elapsed = time.monotonic() - solved
    finally:
        celery_stop(beat)

    assert elapsed < 60
    settings.DEV_MAILBOX = True
    client.force_login(agent)
    # The request activates the agent's language (Turkish) in this thread; put it back.
    with translation.override(settings.LANGUAGE_CODE):
        mailbox = client.get("/dev/mailbox/").content.decode()
    assert sent.subject in mailbox
    assert sent.to in mailbox
