"""Proactive care on the real path: a real worker runs the reactions and the beat sweeps
(every second), with the clock moved by writing the history in the past."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
import time_machine
from django.db.models import F
from django.utils import timezone

from core.models import Event
from messaging.models import OutboxMessage
from messaging.pressure import pressure_window
from outreach.models import Outreach
from surveys.models import SurveyInvitation

from .helpers import solved_ticket, team_with_policy


def wait_for(condition, timeout: float = 45.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if result := condition():
            return result
        time.sleep(0.25)
    raise AssertionError("condition not met in time")


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_follow_up_after_solve_goes_out_once_through_beat_and_worker(celery_beat_process):
    team = team_with_policy(delay=timedelta(days=2))
    with time_machine.travel(timezone.now() - timedelta(days=2, minutes=1), tick=False):
        ticket = solved_ticket(team=team)  # solved two days ago: the follow-up is due
    # The CSAT survey for the same solve went out first (its delay is shorter), so the
    # follow-up waits out the contact-pressure window rather than reach them twice in it.
    assert wait_for(lambda: Event.objects.filter(kind="outreach.postponed",
                                                 ticket_id=ticket.pk).exists())  # fmt: skip
    survey = SurveyInvitation.objects.get(ticket=ticket, state="sent")
    # A window after the survey went out (the outbox's moment of sending, a hair after
    # the invitation's own).
    waits = Outreach.objects.get(ticket=ticket).send_after - (survey.sent_at + pressure_window())
    assert timedelta(0) <= waits < timedelta(seconds=30)
    # A window later (the survey's outbox row too: the outbox is where pressure is read).
    window = pressure_window()
    SurveyInvitation.objects.filter(pk=survey.pk).update(sent_at=F("sent_at") - window)
    OutboxMessage.objects.filter(kind__startswith="survey_").update(
        sent_at=F("sent_at") - window, created_at=F("created_at") - window
    )
    Outreach.objects.filter(ticket=ticket).update(send_after=F("send_after") - window)
    row = wait_for(lambda: Outreach.objects.filter(ticket=ticket, state="sent").first())
    assert row.kind == Outreach.Kind.FOLLOW_UP
    assert wait_for(lambda: OutboxMessage.objects.filter(pk=row.outbox_id, state="sent").exists())
    time.sleep(3)  # three more sweeps send nothing again
    assert Outreach.objects.filter(ticket=ticket).count() == 1
    assert OutboxMessage.objects.filter(ticket_id=ticket.pk, kind="reply").count() == 1


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_thank_you_note_goes_out_once_through_the_worker(celery_beat_process, client):
    from tickets.tests.factories import PASSWORD, TeamFactory, make_agent

    from .helpers import customer_with_email

    make_agent(username="ali", teams=[TeamFactory(slug="care")])
    customer = customer_with_email()
    client.login(username="ali", password=PASSWORD)
    client.post(f"/outreach/thank-you/{customer.pk}/")
    client.post(f"/outreach/thank-you/{customer.pk}/")  # a double click
    row = wait_for(lambda: Outreach.objects.filter(customer=customer, state="sent").first())
    assert wait_for(lambda: OutboxMessage.objects.filter(pk=row.outbox_id, state="sent").exists())
    time.sleep(2)
    assert OutboxMessage.objects.filter(customer=customer).count() == 1


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_incident_notice_and_resolution_go_out_once_each_through_the_worker(
    celery_beat_process,
):
    from core.models import AgentProfile
    from customers.tests.factories import OrderFactory, OrderItemFactory, ProductFactory
    from outreach.incidents import incident_declare, incident_notify, incident_resolve
    from tickets.tests.factories import TeamFactory, make_agent

    from .helpers import customer_with_email

    lead = make_agent(username="lena", role=AgentProfile.Role.LEAD,
                      teams=[TeamFactory(slug="care")]).user  # fmt: skip
    kettle = ProductFactory()
    for language in ("en", "de", "tr"):
        OrderItemFactory(order=OrderFactory(customer=customer_with_email(language)),
                         product=kettle)  # fmt: skip
    incident = incident_declare(by=lead, title="Kettle lids", message="m", products=[kettle])
    assert incident_notify(incident=incident, by=lead) == 3

    def sent(kind: str) -> list[str]:
        rows = OutboxMessage.objects.filter(kind=kind, state="sent")
        return sorted(rows.values_list("language", flat=True))

    assert wait_for(lambda: sent("outreach_incident") == ["de", "en", "tr"])
    assert incident_resolve(incident=incident, by=lead, resolution="New lids.") == 3
    assert wait_for(lambda: sent("outreach_incident_resolved") == ["de", "en", "tr"])
    time.sleep(2)
    assert OutboxMessage.objects.count() == 6


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_back_in_stock_notice_goes_out_once_through_the_worker(celery_beat_process):
    from customers.services import product_stock_set
    from customers.tests.factories import ProductFactory
    from outreach.stock import stock_request_create

    from .helpers import customer_with_email

    product = ProductFactory(stock_quantity=0)
    customer = customer_with_email()
    stock_request_create(customer=customer, product=product, source="api")
    product_stock_set(product=product, quantity=2, by=None)  # the hook's task, on the worker
    assert wait_for(lambda: OutboxMessage.objects.filter(kind="outreach_back_in_stock",
                                                         state="sent").exists())  # fmt: skip
    product_stock_set(product=product, quantity=0, by=None)
    product_stock_set(product=product, quantity=9, by=None)
    time.sleep(3)
    assert OutboxMessage.objects.filter(customer=customer).count() == 1


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_shipment_delay_is_told_once_through_beat_and_worker(celery_beat_process):
    """A parcel expected yesterday (the clock moved back while it was recorded): the beat
    sweep finds it late, the worker sends the notice once; a later report of the same
    delay adds nothing, and a new estimate is one more notice."""
    from customers.services import shipment_delay_report, shipment_upsert
    from customers.tests.factories import OrderFactory

    from .helpers import customer_with_email

    with time_machine.travel(timezone.now() - timedelta(days=3), tick=False):
        order = OrderFactory(customer=customer_with_email("tr"))
        shipment, _new = shipment_upsert(
            order=order, reference="P-1", by=None, status="in_transit",
            estimated_delivery_at=timezone.now() + timedelta(days=2),  # yesterday, now
        )  # fmt: skip

    def notices():
        return OutboxMessage.objects.filter(kind="outreach_shipment_delay", state="sent")

    assert wait_for(lambda: notices().count() == 1)
    row = Outreach.objects.get(kind="shipment_delay")
    assert row.details["estimate"] is None
    assert row.details["promised_by"]
    assert notices().get().language == "tr"
    shipment_delay_report(shipment=shipment, estimated_delivery_at=None, by=None)  # the same
    time.sleep(3)  # three more sweeps
    assert notices().count() == 1
    shipment_delay_report(shipment=shipment, by=None,
                          estimated_delivery_at=timezone.now() + timedelta(days=2))  # fmt: skip
    assert wait_for(lambda: notices().count() == 2)
    time.sleep(3)
    assert Outreach.objects.filter(kind="shipment_delay").count() == 2
    assert notices().count() == 2


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_win_back_note_goes_out_once_through_beat_and_worker(celery_beat_process):
    """A customer whose last order was 200 days ago (written with the clock moved back):
    the beat's win-back sweep schedules the note, the outreach sweep sends it, once."""
    from customers.tests.factories import OrderFactory, OrderItemFactory, ProductFactory

    from .helpers import customer_with_email

    kettle = ProductFactory(name="Kettle", care_tips="Descale it once a month.")
    with time_machine.travel(timezone.now() - timedelta(days=200), tick=False):
        customer = customer_with_email("de")
        OrderItemFactory(order=OrderFactory(customer=customer, placed_at=timezone.now()),
                         product=kettle)  # fmt: skip
    row = wait_for(lambda: Outreach.objects.filter(kind="win_back", state="sent").first())
    assert wait_for(lambda: OutboxMessage.objects.filter(pk=row.outbox_id, state="sent").exists())
    assert "Descale it once a month." in row.text
    time.sleep(3)  # more sweeps of both kinds: nothing again
    assert Outreach.objects.filter(kind="win_back").count() == 1
    assert OutboxMessage.objects.filter(customer=customer).count() == 1
