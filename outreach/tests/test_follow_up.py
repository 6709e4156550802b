"""The "did it work?" check after a solve: per team delay, topics off, written as the
agent on the ticket, a reply reopens it, and never within the contact-pressure window of a
survey."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from core.models import Event
from customers.models import Consent
from customers.services import consent_record
from messaging.models import OutboxMessage
from messaging.outbox import outbox_dispatch
from messaging.pressure import pressure_window
from outreach import services
from outreach.models import Outreach
from surveys.models import SurveyInvitation
from tickets.models import Message, Ticket
from tickets.tests.email_helpers import compose, deliver
from tickets.workflow import ticket_tags_add, ticket_update

from .helpers import customer_with_email, solved_ticket, team_with_policy

pytestmark = pytest.mark.django_db


def _send_when_due(row: Outreach, *, after: timedelta = timedelta(seconds=1)) -> Outreach:
    with time_machine.travel(row.send_after + after, tick=False):
        return services.outreach_send(outreach_id=row.pk)


def test_scheduled_by_team_delay_and_sent_once_as_the_agent():
    team = team_with_policy(delay=timedelta(days=2))
    ticket = solved_ticket(team=team)
    row = services.follow_up_schedule(ticket_id=ticket.pk)
    assert row.state == Outreach.State.SCHEDULED
    assert row.send_after == ticket.solved_at + timedelta(days=2)
    assert row.author == ticket.assignee
    assert services.follow_up_schedule(ticket_id=ticket.pk) == row  # once per solve

    assert services.outreach_send(outreach_id=row.pk).state == Outreach.State.SCHEDULED  # not yet
    sent = _send_when_due(row)
    assert sent.state == Outreach.State.SENT
    message = Message.objects.get(pk=sent.message_id)
    assert message.author == ticket.assignee
    assert message.direction == Message.Direction.OUTBOUND
    assert "did it work?" in message.body_text
    assert ticket.subject in message.body_text
    assert "Ali" in message.body_text  # signed by the agent
    outbox = OutboxMessage.objects.get(pk=sent.outbox_id)
    assert outbox.ticket_id == ticket.pk
    # Twice, and again later: nothing more.
    _send_when_due(row)
    _send_when_due(row, after=timedelta(days=5))
    assert OutboxMessage.objects.filter(ticket_id=ticket.pk).count() == 1
    kinds = list(Event.objects.filter(customer_id=ticket.customer_id, kind__startswith="outreach.")
                 .values_list("kind", flat=True))  # fmt: skip
    assert kinds.count("outreach.sent") == 1
    assert "outreach.scheduled" in kinds
    ticket.refresh_from_db()
    assert ticket.status == Ticket.Status.SOLVED  # asking does not reopen it


def test_no_policy_disabled_policy_or_topic_off_means_no_follow_up():
    team = team_with_policy(skip_tags=["warranty"])
    tagged = solved_ticket(team=team)
    ticket_tags_add(tickets=[tagged], name="warranty", by=None)
    assert services.follow_up_schedule(ticket_id=tagged.pk) is None
    plain = solved_ticket(team=team, agent=tagged.assignee)
    assert services.follow_up_schedule(ticket_id=plain.pk) is not None
    team.follow_up_policy.enabled = False
    team.follow_up_policy.save()
    other = solved_ticket(team=team, agent=tagged.assignee)
    assert services.follow_up_schedule(ticket_id=other.pk) is None
    from tickets.tests.factories import TeamFactory

    no_policy = TeamFactory(slug="returns")
    assert (
        services.follow_up_schedule(ticket_id=solved_ticket(team=no_policy, username="eve").pk)
        is None
    )


def test_the_customers_reply_reopens_the_ticket():
    customer = customer_with_email(email="kim@example.com")
    ticket = solved_ticket(team=team_with_policy(), customer=customer)
    row = _send_when_due(services.follow_up_schedule(ticket_id=ticket.pk))
    outbox_dispatch(outbox_id=row.outbox_id)
    sent = mail.outbox[-1]
    assert sent.to == ["kim@example.com"]
    header = OutboxMessage.objects.get(pk=row.outbox_id).message_id_header
    deliver(compose(sender="kim@example.com", subject=f"Re: {sent.subject}",
                    body="Sadly it broke again.", in_reply_to=header))  # fmt: skip
    ticket.refresh_from_db()
    assert ticket.status == Ticket.Status.OPEN
    assert ticket.messages.filter(body_text__contains="broke again").exists()


def test_reopened_or_solved_again_before_due_is_skipped_with_the_reason():
    ticket = solved_ticket(team=team_with_policy())
    row = services.follow_up_schedule(ticket_id=ticket.pk)
    ticket_update(ticket=ticket, by=ticket.assignee, status=Ticket.Status.OPEN)
    assert _send_when_due(row).skip_reason == "reopened"
    ticket_update(ticket=ticket, by=ticket.assignee, status=Ticket.Status.SOLVED)
    ticket.refresh_from_db()
    second = services.follow_up_schedule(ticket_id=ticket.pk)
    assert second.pk != row.pk  # the new solve has its own
    assert OutboxMessage.objects.filter(ticket_id=ticket.pk).count() == 0
    assert Event.objects.filter(kind="outreach.skipped", data__reason="reopened").exists()


def test_withdrawn_service_consent_stops_it_and_the_timeline_says_why():
    ticket = solved_ticket(team=team_with_policy())
    row = services.follow_up_schedule(ticket_id=ticket.pk)
    consent_record(customer=ticket.customer, purpose=Consent.Purpose.SERVICE_EMAIL,
                   granted=False, source="test", by=None)  # fmt: skip
    assert _send_when_due(row).skip_reason == "consent"
    event = Event.objects.get(kind="outreach.skipped", customer_id=ticket.customer_id)
    from core.events import event_kind

    assert "withdrew consent" in str(event_kind(event.kind).label_for(event.data))
    assert OutboxMessage.objects.count() == 0


def test_marketing_consent_is_not_needed_for_the_follow_up():
    ticket = solved_ticket(team=team_with_policy())
    consent_record(customer=ticket.customer, purpose=Consent.Purpose.MARKETING,
                   granted=False, source="test", by=None)  # fmt: skip
    row = services.follow_up_schedule(ticket_id=ticket.pk)
    assert _send_when_due(row).state == Outreach.State.SENT


def test_a_survey_going_out_within_the_pressure_window_postpones_the_follow_up():
    ticket = solved_ticket(team=team_with_policy(delay=timedelta(hours=2)))
    row = services.follow_up_schedule(ticket_id=ticket.pk)
    csat = SurveyInvitation.objects.create(
        kind=SurveyInvitation.Kind.CSAT, customer=ticket.customer, ticket=ticket,
        send_after=row.send_after + timedelta(hours=3),
    )  # fmt: skip
    postponed = _send_when_due(row)
    assert postponed.state == Outreach.State.SCHEDULED
    assert postponed.send_after == csat.send_after + pressure_window()
    assert Event.objects.filter(kind="outreach.postponed",
                                data__reason="contacted_recently").exists()  # fmt: skip
    # The survey went out; a pressure window after it, the follow-up goes.
    SurveyInvitation.objects.filter(pk=csat.pk).update(
        state=SurveyInvitation.State.SENT, sent_at=csat.send_after
    )
    assert _send_when_due(postponed).state == Outreach.State.SENT


def test_a_survey_sent_this_morning_postpones_it_to_a_window_later():
    ticket = solved_ticket(team=team_with_policy(delay=timedelta(hours=6)))
    row = services.follow_up_schedule(ticket_id=ticket.pk)
    sent_at = row.send_after - timedelta(hours=4)
    SurveyInvitation.objects.create(
        kind=SurveyInvitation.Kind.CSAT, customer=ticket.customer, ticket=ticket,
        send_after=sent_at, sent_at=sent_at, state=SurveyInvitation.State.SENT,
    )  # fmt: skip
    assert _send_when_due(row).send_after == sent_at + pressure_window()
    assert OutboxMessage.objects.count() == 0


def test_in_the_customers_language():
    ticket = solved_ticket(team=team_with_policy(), customer=customer_with_email("tr"))
    row = _send_when_due(services.follow_up_schedule(ticket_id=ticket.pk))
    assert OutboxMessage.objects.get(pk=row.outbox_id).language == "tr"


def test_the_sweep_schedules_what_the_broker_lost_and_only_once():
    ticket = solved_ticket(team=team_with_policy())
    assert Outreach.objects.count() == 0  # the after-commit task never ran in this test
    assert services.follow_ups_schedule_missed() == 1
    assert services.follow_ups_schedule_missed() == 0
    assert Outreach.objects.get().ticket == ticket
    assert services.outreach_due_ids(now=timezone.now()) == []
