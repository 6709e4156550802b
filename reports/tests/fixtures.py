# ruff: noqa: E501  (the table of known answers reads better unwrapped)
"""A hand-built week with known answers: a team open Monday to Friday 09:00–17:00 in
Berlin (no holidays), four tickets (one across a weekend), surveys and SLA clocks."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time
from zoneinfo import ZoneInfo

from django.http import QueryDict

from core.models import Team
from customers.tests.factories import CustomerFactory
from reports.periods import Period, period_parse
from surveys.models import RecoveryCase, SurveyInvitation, SurveyResponse
from tickets.models import BusinessCalendar, Message, OpeningHours, Promise, SlaClock, Ticket
from tickets.tests.factories import TeamFactory, TicketFactory

BERLIN = ZoneInfo("Europe/Berlin")


def at(day: int, hour: int) -> datetime:
    """A moment of November 2026 in Berlin (the 13th is a Friday)."""
    return datetime(2026, 11, day, hour, tzinfo=BERLIN)


def week_period() -> Period:
    params = QueryDict(mutable=True)
    params.update({"period": "custom", "from": "2026-11-13", "to": "2026-11-19"})
    return period_parse(params, time_zone="Europe/Berlin", today=datetime(2026, 11, 25).date())


def office_team(name: str) -> Team:
    team = TeamFactory(name=name, slug=name.lower(), time_zone="Europe/Berlin", country="DE")
    calendar = BusinessCalendar.objects.create(team=team, observe_holidays=False)
    OpeningHours.objects.bulk_create(
        OpeningHours(calendar=calendar, weekday=d, opens=time(9), closes=time(17)) for d in range(5)
    )
    return team


def ticket(team: Team, *, created: datetime, responded: datetime | None, solved: datetime | None,
           assignee=None, replies: int = 0, channel: str = "email") -> Ticket:  # fmt: skip
    row = TicketFactory(team=team, assignee=assignee, channel=channel)
    status = Ticket.Status.SOLVED if solved else Ticket.Status.OPEN
    Ticket.objects.filter(pk=row.pk).update(
        created_at=created, first_response_at=responded, solved_at=solved, status=status
    )
    for _n in range(replies):
        Message.objects.create(ticket=row, direction="out", visibility="public", channel=channel,
                               body_text="Hello", author=assignee)  # fmt: skip
    row.refresh_from_db()
    return row


def survey(team: Team, *, kind: str, sent: datetime, score: int | None, ticket_row=None,
           agent=None) -> SurveyInvitation:  # fmt: skip
    invitation = SurveyInvitation.objects.create(
        kind=kind, state=SurveyInvitation.State.SENT, customer=CustomerFactory(),
        ticket=ticket_row if kind == "csat" else None, team=team, agent=agent,
        send_after=sent, sent_at=sent,
    )  # fmt: skip
    if score is not None:
        SurveyResponse.objects.create(invitation=invitation, score=score)
    return invitation


@dataclass
class Week:
    team: Team
    tickets: list[Ticket]


def known_week(team: Team, *, agent=None) -> Week:
    """Calendar and business hours of each ticket, in hours:

    ticket  created      first response    solved          first (cal/bus)  resolution
    1       Fri 13 16:00 Mon 16 10:00      Mon 16 12:00     66 / 2          68 / 4
    2       Tue 17 09:00 Tue 17 10:00      Tue 17 13:00      1 / 1           4 / 4
    3       Wed 18 09:00 Wed 18 12:00      Thu 19 09:00      3 / 3          24 / 8
    4       Thu 19 10:00 Thu 19 14:00      (open)            4 / 4           –
    """
    tickets = [
        ticket(team, created=at(13, 16), responded=at(16, 10), solved=at(16, 12), assignee=agent, replies=2),
        ticket(team, created=at(17, 9), responded=at(17, 10), solved=at(17, 13), assignee=agent, replies=1),
        ticket(team, created=at(18, 9), responded=at(18, 12), solved=at(19, 9), assignee=agent, replies=3, channel="chat"),
        ticket(team, created=at(19, 10), responded=at(19, 14), solved=None, assignee=agent, replies=1),
    ]  # fmt: skip
    # CSAT: 5, 4, 2 and one unanswered: 2 of 3 happy, 3 of 4 answered.
    for score, row in zip((5, 4, 2, None), tickets, strict=True):
        survey(team, kind="csat", sent=at(17, 15), score=score, ticket_row=row, agent=agent)
    # NPS: 10 and 9 promote, 7 is passive, 3 detracts: (2 - 1) / 4 = 25.
    nps = [survey(team, kind="nps", sent=at(18, 11), score=s, agent=agent) for s in (10, 9, 7, 3)]
    # Two detractors followed up, one recovered.
    for invitation, state in (
        (nps[3], "recovered"),
        (survey(team, kind="nps", sent=at(12, 11), score=1), "open"),
    ):
        case = RecoveryCase.objects.create(invitation=invitation, customer=invitation.customer,
                                           recovery_ticket=tickets[3], state=state)  # fmt: skip
        RecoveryCase.objects.filter(pk=case.pk).update(created_at=at(18, 15))
    # SLA: two first-response clocks stopped in the week, one breached.
    for row, breached in ((tickets[1], None), (tickets[2], at(18, 11))):
        SlaClock.objects.create(ticket=row, target="first_response", started_at=row.created_at,
                                target_seconds=7200, due_at=at(18, 11), at_risk_at=at(18, 10),
                                stopped_at=row.first_response_at, breached_at=breached)  # fmt: skip
    # Promises due in the week: one kept, one broken (and one still open, not counted).
    for row, state, reason in ((tickets[1], "kept", ""), (tickets[2], "broken", "nothing_done"),
                               (tickets[3], "open", "")):  # fmt: skip
        Promise.objects.create(ticket=row, owner=agent or make_owner(), what="call back",
                               due_at=at(18, 12), state=state, broken_reason=reason,
                               source="manual", team=team, dedupe_key=f"p{row.pk}")  # fmt: skip
    return Week(team, tickets)


def make_owner():
    from django.contrib.auth import get_user_model

    from tickets.tests.factories import make_agent

    existing = get_user_model().objects.filter(username="promise-owner").first()
    return existing or make_agent(username="promise-owner").user
