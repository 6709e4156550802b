"""When surveys go out, to whom, in which language, and when they do not."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from customers.services import order_mark_delivered
from customers.tests.factories import OrderFactory
from messaging.models import OutboxMessage
from surveys import services
from surveys.models import SurveyInvitation, SurveyOptOut, SurveySettings
from surveys.tests.helpers import (
    customer_with_email,
    deliver,
    links_in,
    no_delay,
    path_of,
    send_csat,
    send_nps,
    solved_ticket,
    unsubscribe_link_in,
)
from tickets.models import Ticket

State = SurveyInvitation.State


def surveys_own(callbacks: list) -> list:
    """The after-commit callbacks but the dashboards' rollup refresh, which every
    committed event wakes."""
    return [c for c in callbacks if not getattr(c, "reports_refresh", False)]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "greeting", "question"),
    [
        ("en", "Hello Maria,", "How satisfied are you with the help you received?"),
        ("de", "Hallo Maria,", "Wie zufrieden sind Sie mit der Hilfe, die Sie erhalten haben?"),
        ("tr", "Merhaba Maria,", "Aldığınız destekten ne kadar memnunsunuz?"),
    ],
)
def test_csat_email_is_in_the_customers_language_with_one_link_per_score(
    language, greeting, question
):
    customer = customer_with_email(language, first_name="Maria")
    invitation, message = send_csat(solved_ticket(customer))

    assert invitation.state == State.SENT
    assert message.body.startswith(greeting)
    assert question in message.body
    assert len(links_in(message)) == 5
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    assert all(f'href="{link}"' in html for link in links_in(message))
    assert message.extra_headers["Auto-Submitted"] == "auto-generated"
    assert "List-Unsubscribe" in message.extra_headers
    assert all(link.startswith("http://testserver/s/") for link in links_in(message))


@pytest.mark.django_db
def test_nps_goes_out_after_delivery_with_eleven_links():
    invitation, message = send_nps("de")

    assert invitation.kind == "nps"
    assert len(links_in(message)) == 11
    assert "Ihre Bestellung" in message.subject


@pytest.mark.django_db
def test_the_plain_text_email_and_subject_keep_names_as_written_not_html_escaped():
    no_delay()
    customer = customer_with_email(first_name="O'Neil & Sons")
    order = OrderFactory(customer=customer, number="R&D-1'01", delivered_at=timezone.now())

    services.survey_send(invitation_id=services.survey_schedule_nps(order_id=order.pk).pk)

    row = OutboxMessage.objects.get(kind="survey_nps")
    assert row.subject == "Your order R&D-1'01: one quick question"
    assert "Hello O'Neil & Sons," in row.text
    assert "your order R&D-1'01 has arrived." in row.text
    assert "R&amp;D" in row.html  # the HTML part stays escaped


@pytest.mark.django_db
def test_delivering_an_order_schedules_one_nps_survey(django_capture_on_commit_callbacks):
    from surveys.tasks import survey_schedule_nps

    order = OrderFactory(customer=customer_with_email())
    with django_capture_on_commit_callbacks() as callbacks:
        order_mark_delivered(order=order)
    assert len(surveys_own(callbacks)) == 1

    survey_schedule_nps.run(order_id=order.pk)
    survey_schedule_nps.run(order_id=order.pk)

    order.refresh_from_db()
    assert order.status == "delivered"
    assert order.return_window_ends_at > order.delivered_at
    assert SurveyInvitation.objects.filter(order=order, kind="nps").count() == 1


@pytest.mark.django_db
def test_solving_a_ticket_queues_the_csat_scheduling(django_capture_on_commit_callbacks):
    from tickets.tests.factories import TicketFactory
    from tickets.workflow import ticket_update

    ticket = TicketFactory(customer=customer_with_email())
    with django_capture_on_commit_callbacks() as callbacks:
        ticket_update(ticket=ticket, by=None, status="solved")
    assert len(surveys_own(callbacks)) == 1


@pytest.mark.django_db
def test_solving_from_the_ticket_page_or_in_bulk_queues_the_csat_scheduling(
    django_capture_on_commit_callbacks,
):
    from tickets.tests.factories import TicketFactory
    from tickets.workflow import ticket_bulk_update, ticket_update

    one, two = (TicketFactory(customer=customer_with_email()) for _ in range(2))
    with django_capture_on_commit_callbacks() as callbacks:
        ticket_update(ticket=one, by=None, status=Ticket.Status.SOLVED)
    assert len(surveys_own(callbacks)) == 1
    with django_capture_on_commit_callbacks() as callbacks:
        ticket_bulk_update(tickets=[two], by=None, status=Ticket.Status.SOLVED)
    assert len(surveys_own(callbacks)) == 1


@pytest.mark.django_db
def test_the_csat_waits_for_the_configured_delay():
    config = SurveySettings.current()
    config.csat_delay = timedelta(hours=2)
    config.save()
    invitation = services.survey_schedule_csat(ticket_id=solved_ticket().pk)

    assert services.survey_due_ids() == []
    assert services.survey_due_ids(now=timezone.now() + timedelta(hours=2, seconds=1)) == [
        invitation.pk
    ]


@pytest.mark.django_db
def test_no_survey_when_the_ticket_was_reopened_meanwhile():
    no_delay()
    ticket = solved_ticket()
    invitation = services.survey_schedule_csat(ticket_id=ticket.pk)
    Ticket.objects.filter(pk=ticket.pk).update(status=Ticket.Status.OPEN)

    services.survey_send(invitation_id=invitation.pk)

    invitation.refresh_from_db()
    assert (invitation.state, invitation.skip_reason) == (State.SKIPPED, "ticket reopened")
    assert not OutboxMessage.objects.exists()


@pytest.mark.django_db
def test_a_customer_gets_at_most_one_survey_per_throttle_period():
    customer = customer_with_email()
    first, _ = send_csat(solved_ticket(customer))
    second = services.survey_schedule_csat(ticket_id=solved_ticket(customer).pk)

    services.survey_send(invitation_id=second.pk)

    second.refresh_from_db()
    assert (second.state, second.skip_reason) == (State.SKIPPED, "throttled")
    month_ago = timezone.now() - timedelta(days=31)
    SurveyInvitation.objects.filter(pk=first.pk).update(sent_at=month_ago)
    # The outbox remembers when it went too (the contact-pressure limit reads it there).
    OutboxMessage.objects.filter(kind="survey_csat").update(sent_at=month_ago,
                                                            created_at=month_ago)  # fmt: skip
    third = services.survey_schedule_csat(ticket_id=solved_ticket(customer).pk)
    assert deliver(third)[0].state == State.SENT


@pytest.mark.django_db
def test_the_unsubscribe_link_asks_first_then_stops_all_surveys(client):
    customer = customer_with_email()
    _invitation, message = send_csat(solved_ticket(customer))
    link = path_of(unsubscribe_link_in(message))

    assert client.get(link).status_code == 200
    assert client.head(link).status_code == 200
    assert not SurveyOptOut.objects.exists()
    assert "not receive any more surveys" in client.post(link).text

    SurveyInvitation.objects.update(sent_at=timezone.now() - timedelta(days=90))
    later = services.survey_schedule_csat(ticket_id=solved_ticket(customer).pk)
    services.survey_send(invitation_id=later.pk)
    later.refresh_from_db()
    assert later.skip_reason == "opted out"


@pytest.mark.django_db
def test_only_configured_channels_and_teams_are_surveyed():
    from tickets.tests.factories import TeamFactory

    config = no_delay()
    config.channels = ["chat"]
    config.save()
    assert services.survey_schedule_csat(ticket_id=solved_ticket().pk) is None

    config.channels = []
    config.save()
    surveyed = TeamFactory(slug="surveyed")
    config.teams.set([surveyed])
    assert services.survey_schedule_csat(ticket_id=solved_ticket().pk) is None
    assert services.survey_schedule_csat(ticket_id=solved_ticket(team=surveyed).pk) is not None


@pytest.mark.django_db
def test_sending_twice_sends_one_email():
    no_delay()
    invitation = services.survey_schedule_csat(ticket_id=solved_ticket().pk)

    services.survey_send(invitation_id=invitation.pk)
    services.survey_send(invitation_id=invitation.pk)

    assert OutboxMessage.objects.filter(kind="survey_csat").count() == 1


@pytest.mark.django_db
def test_the_question_wording_comes_from_the_settings_when_set():
    config = no_delay()
    config.csat_question_de = "Waren Sie zufrieden mit uns?"
    config.save()
    customer = customer_with_email("de")

    _, message = send_csat(solved_ticket(customer))

    assert "Waren Sie zufrieden mit uns?" in message.body


@pytest.mark.django_db
def test_no_survey_goes_to_a_staff_address():
    """A ticket opened by mail that claimed a staff address (a possible spoof) has one of
    us as its customer: nobody is asked to rate themselves."""
    from surveys.tests.helpers import customer_with_email, solved_ticket
    from tickets.tests.factories import TeamFactory, make_agent

    team = TeamFactory(slug="returns")
    make_agent(username="ali", teams=[team])
    no_delay()
    ticket = solved_ticket(customer=customer_with_email(email="Ali@shop.example"), team=team)
    invitation = services.survey_schedule_csat(ticket_id=ticket.pk)

    invitation = services.survey_send(invitation_id=invitation.pk)

    assert (invitation.state, invitation.skip_reason) == ("skipped", "staff address")
    assert not OutboxMessage.objects.exists()
