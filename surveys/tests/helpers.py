"""Building blocks for survey tests: a solved ticket, a sent invitation, its email."""

from __future__ import annotations

import re
from datetime import timedelta

from anymail.message import AnymailMessage
from django.core import mail

from customers.tests.factories import ContactIdentityFactory, CustomerFactory, OrderFactory
from messaging.models import OutboxMessage
from messaging.outbox import outbox_dispatch
from surveys import services
from surveys.models import SurveyInvitation, SurveySettings
from tickets.models import Ticket
from tickets.tests.factories import TicketFactory

LINK = re.compile(r"https?://[^\s\"<>]+/s/[0-9a-f-]{36}/[^\s\"<>]+")
BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/140.0 Safari/537.36"


def no_delay() -> SurveySettings:
    config = SurveySettings.current()
    config.csat_delay = timedelta(0)
    config.nps_delay = timedelta(0)
    config.save()
    return config


def customer_with_email(language: str = "en", email: str = "", **kwargs):
    customer = CustomerFactory(language=language, **kwargs)
    ContactIdentityFactory(customer=customer, **({"address": email} if email else {}))
    return customer


def solved_ticket(customer=None, **kwargs) -> Ticket:
    from django.utils import timezone

    ticket = TicketFactory(customer=customer or customer_with_email(), **kwargs)
    Ticket.objects.filter(pk=ticket.pk).update(
        status=Ticket.Status.SOLVED, solved_at=timezone.now() - timedelta(seconds=1)
    )
    ticket.refresh_from_db()
    return ticket


def send_csat(ticket: Ticket) -> tuple[SurveyInvitation, AnymailMessage]:
    """Schedule and send a CSAT invitation and deliver its email through the outbox."""
    no_delay()
    invitation = services.survey_schedule_csat(ticket_id=ticket.pk)
    return deliver(invitation)


def send_nps(language: str = "en") -> tuple[SurveyInvitation, AnymailMessage]:
    from django.utils import timezone

    no_delay()
    order = OrderFactory(customer=customer_with_email(language), delivered_at=timezone.now())
    invitation = services.survey_schedule_nps(order_id=order.pk)
    return deliver(invitation)


def deliver(invitation: SurveyInvitation) -> tuple[SurveyInvitation, AnymailMessage]:
    services.survey_send(invitation_id=invitation.pk)
    row = OutboxMessage.objects.filter(kind=f"survey_{invitation.kind}").latest("pk")
    outbox_dispatch(outbox_id=row.pk)
    invitation.refresh_from_db()
    return invitation, mail.outbox[-1]


def links_in(message: AnymailMessage) -> list[str]:
    """The score links of the plain-text part, in order (unsubscribe link excluded)."""
    return [link for link in LINK.findall(message.body) if not link.endswith("/unsubscribe/")]


def unsubscribe_link_in(message: AnymailMessage) -> str:
    return next(link for link in LINK.findall(message.body) if link.endswith("/unsubscribe/"))


def path_of(link: str) -> str:
    return "/" + link.split("/", 3)[3]


def answer_as_customer(invitation: SurveyInvitation, score: int, comment: str | None = None):
    """Answer as the customer's own browser would, minutes after the email went out, so
    the answer does not look automated."""
    from django.utils import timezone

    minutes_ago = timezone.now() - timedelta(minutes=5)
    SurveyInvitation.objects.filter(pk=invitation.pk, sent_at__gt=minutes_ago).update(
        sent_at=minutes_ago
    )
    response = services.survey_answer(
        invitation=invitation, score=score, comment=comment, user_agent=BROWSER
    )
    react_all()
    return response


def react_all() -> int:
    """Run the reactions the answers so far left pending, as the worker does after commit
    (a test's transaction never commits); returns how many reacted."""
    from surveys.models import SurveyResponse

    pending = SurveyResponse.objects.filter(reactions_pending_since__isnull=False)
    return sum(services.survey_react(response_id=pk) for pk in pending.values_list("pk", flat=True))
