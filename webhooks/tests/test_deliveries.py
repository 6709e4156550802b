"""Deliveries to a receiver on 127.0.0.1 that checks every signature with the
standardwebhooks library: one per event, retries, giving up and disabling, replays,
secret rotation, and which audit events become which event types."""

from __future__ import annotations

import pytest
from django.test import override_settings

from core.events import event_record
from customers.tests.factories import CustomerFactory
from messaging.models import OutboxMessage
from tickets import services as ticket_services
from tickets.tests.factories import MessageFactory, TeamFactory, TicketFactory, make_agent
from tickets.workflow import ticket_update
from webhooks import services
from webhooks.models import WebhookAttempt, WebhookDelivery, WebhookEndpoint
from webhooks.tests.helpers import deliver_due
from webhooks.tests.receiver import receiver_running

pytestmark = pytest.mark.django_db

FAST = {"WEBHOOK_RETRY_SCHEDULE": [0, 0, 0], "WEBHOOK_RETRY_JITTER": 0.0, "WEBHOOK_TIMEOUT": 0.5}


def endpoint_for(receiver, *types):
    endpoint = services.endpoint_create(
        name="ERP", url=receiver.url, event_types=list(types) or ["ticket.created"], by=None
    )
    receiver.secret = endpoint.secret
    return endpoint


def open_ticket(**kwargs):
    return ticket_services.ticket_open(
        customer=CustomerFactory(),
        subject="Broken kettle",
        body_text="It leaks.",
        channel="web",
        team=TeamFactory(),
        **kwargs,
    )


def test_one_signed_delivery_per_event():
    with receiver_running() as receiver:
        endpoint_for(receiver, "ticket.created", "message.created")
        tickets = [open_ticket() for _ in range(3)]
        deliver_due()
        deliver_due()  # nothing new: a second sweep sends nothing again

    assert len(receiver.requests) == 3
    assert all(r.verified for r in receiver.requests)
    assert len({r.message_id for r in receiver.requests}) == 3
    assert sorted(r.body["data"]["ticket"] for r in receiver.requests) == [t.pk for t in tickets]
    body = receiver.requests[0].body
    assert body["type"] == "ticket.created"
    assert body["data"]["ticket_state"]["subject"] == "Broken kettle"
    assert WebhookDelivery.objects.filter(state="succeeded").count() == 3
    attempt = WebhookAttempt.objects.first()
    assert attempt.status_code == 200
    assert attempt.request_headers["webhook-id"].startswith("msg_")
    assert "webhook-signature" not in attempt.request_headers  # the log keeps no secret


@override_settings(**FAST)
def test_a_receiver_answering_500_is_retried_and_then_succeeds_once():
    with receiver_running(answers=[500, 200]) as receiver:
        endpoint = endpoint_for(receiver)
        open_ticket()
        deliver_due()

    assert [r.answered for r in receiver.requests] == [500, 200]
    assert len({r.message_id for r in receiver.requests}) == 1
    assert len(receiver.delivered) == 1
    delivery = WebhookDelivery.objects.get()
    assert (delivery.state, delivery.attempts, delivery.last_status_code) == ("succeeded", 2, 200)
    endpoint.refresh_from_db()
    assert endpoint.active
    assert endpoint.consecutive_failures == 0


@override_settings(**FAST)
def test_a_receiver_that_never_answers_is_given_up_and_the_endpoint_disabled():
    make_agent(username="boss", role="admin")
    with receiver_running(answers=["hang"], hang_seconds=2) as receiver:
        endpoint = endpoint_for(receiver)
        open_ticket()
        deliver_due()
        open_ticket()  # after the endpoint was disabled: kept, not sent
        deliver_due()

    delivery = WebhookDelivery.objects.get(state="failed")
    assert WebhookDelivery.objects.get(state="pending").attempts == 0
    assert (delivery.state, delivery.attempts) == ("failed", 4)  # once, then 3 retries
    assert len(receiver.requests) == 4
    assert all("timed out" in a.error for a in WebhookAttempt.objects.all())
    endpoint.refresh_from_db()
    assert not endpoint.active
    assert "4 attempts" in endpoint.disabled_reason
    email = OutboxMessage.objects.get(kind="webhook_disabled")
    assert email.to == "boss@shop.example"
    assert "ERP" in email.subject


@override_settings(**FAST)
def test_a_replay_from_the_log_delivers_the_same_webhook_id_again():
    with receiver_running() as receiver:
        endpoint_for(receiver)
        open_ticket()
        deliver_due()
        delivery = WebhookDelivery.objects.get()
        services.delivery_replay(delivery=delivery, by=None)
        services.delivery_attempt(delivery_id=delivery.pk, replay=True)

    assert len(receiver.requests) == 2
    assert receiver.requests[0].message_id == receiver.requests[1].message_id
    assert all(r.verified for r in receiver.requests)
    assert WebhookAttempt.objects.filter(replay=True).count() == 1
    assert WebhookDelivery.objects.get().state == "succeeded"


def test_a_rotated_secret_signs_beside_the_old_one_for_a_while():
    with receiver_running() as receiver:
        endpoint = endpoint_for(receiver)
        old = endpoint.secret
        endpoint = services.endpoint_rotate_secret(endpoint=endpoint, by=None)
        assert endpoint.secret != old
        receiver.secret = old  # a receiver that has not switched yet
        open_ticket()
        deliver_due()
        receiver.secret = endpoint.secret  # and one that has
        open_ticket()
        deliver_due()

    assert [r.verified for r in receiver.requests] == [True, True]


def test_a_wrong_secret_fails_verification_at_the_receiver():
    with receiver_running() as receiver:
        endpoint_for(receiver)
        receiver.secret = services.secret_new()
        open_ticket()
        services.deliveries_sweep()
        services.delivery_attempt(delivery_id=WebhookDelivery.objects.get().pk)

    assert receiver.requests[0].verified is False
    assert WebhookDelivery.objects.get().state == "retrying"


def test_event_types_follow_the_audit_events():
    agent = make_agent(username="ada").user
    with receiver_running() as receiver:
        endpoint_for(
            receiver,
            "ticket.updated",
            "ticket.solved",
            "message.created",
            "promise.broken",
            "sla.breached",
            "survey.detractor",
        )
        ticket = TicketFactory()
        MessageFactory(ticket=ticket)
        ticket_update(ticket=ticket, by=agent, status="solved")
        ticket_services.ticket_note_add(ticket=ticket, by=agent, text="internal only")
        event_record(kind="promise.broken", ticket=ticket, data={"promise": 1})
        event_record(kind="sla.breached", ticket=ticket, data={"target": "first_response"})
        event_record(kind="survey.recovery_opened", ticket=ticket, data={"case": 1})
        event_record(kind="customer.updated", customer=ticket.customer)  # not a webhook
        deliver_due()

    types = sorted(r.body["type"] for r in receiver.requests)
    assert types == [
        "promise.broken",
        "sla.breached",
        "survey.detractor",
        "ticket.solved",
        "ticket.updated",
    ]
    assert "internal only" not in str([r.body for r in receiver.requests])


def test_a_reply_is_delivered_as_message_created_with_its_text():
    agent = make_agent(username="ada").user
    with receiver_running() as receiver:
        endpoint_for(receiver, "message.created")
        ticket = TicketFactory()
        ticket_services.ticket_reply(ticket=ticket, by=agent, text="On its way!")
        deliver_due()

    (request,) = receiver.requests
    assert request.body["data"]["message"]["body_text"] == "On its way!"


def test_loyalty_points_and_coupons():
    from loyalty.services import points_redeem
    from loyalty.tests.factories import RewardFactory, make_member

    account = make_member(balance=500)
    with receiver_running() as receiver:
        endpoint_for(receiver, "loyalty.points_changed", "loyalty.coupon_issued")
        points_redeem(account=account, reward=RewardFactory(points_cost=100), idempotency_key="r1")
        deliver_due()

    assert sorted(r.body["type"] for r in receiver.requests) == [
        "loyalty.coupon_issued",
        "loyalty.points_changed",
    ]
    assert receiver.requests[0].body["data"]["details"]["points"] == -100


def test_events_before_an_endpoint_existed_are_not_sent_to_it():
    open_ticket()
    with receiver_running() as receiver:
        endpoint_for(receiver)
        deliver_due()
    assert receiver.requests == []


def test_a_disabled_endpoint_gets_nothing_until_enabled_then_everything_it_missed():
    with receiver_running() as receiver:
        endpoint = endpoint_for(receiver)
        services.endpoint_disable(endpoint=endpoint, reason="maintenance", by=None)
        missed = open_ticket()
        deliver_due()
        assert receiver.requests == []
        services.endpoint_enable(endpoint=endpoint, by=None)
        later = open_ticket()
        deliver_due()
    assert sorted(r.body["data"]["ticket"] for r in receiver.requests) == [missed.pk, later.pk]
    assert WebhookEndpoint.objects.get().active
    assert not OutboxMessage.objects.filter(kind="webhook_disabled").exists()  # by an admin


def test_fanout_is_idempotent():
    with receiver_running() as receiver:
        endpoint_for(receiver)
        ticket = open_ticket()
        from core.models import Event

        event = Event.objects.get(kind="ticket.created", ticket_id=ticket.pk)
        first = services.event_fanout(event_id=event.pk)
        assert len(first) == 1
        assert services.event_fanout(event_id=event.pk) == []
    assert WebhookDelivery.objects.count() == 1


def test_the_retry_schedule_spans_about_a_day_with_jitter():
    from django.conf import settings

    total = sum(settings.WEBHOOK_RETRY_SCHEDULE)
    assert 20 * 3600 <= total <= 28 * 3600
    delays = {round(services.retry_delay(attempts=2), 3) for _ in range(20)}
    assert len(delays) > 1  # jittered
    assert all(240 <= d <= 360 for d in delays)
    assert services.retry_delay(attempts=len(settings.WEBHOOK_RETRY_SCHEDULE) + 1) is None


def test_old_marks_and_old_finished_deliveries_are_purged():
    from datetime import timedelta

    from django.utils import timezone

    from webhooks.models import WebhookFanout

    with receiver_running() as receiver:
        endpoint_for(receiver)
        open_ticket()
        open_ticket()
        deliver_due()
    old, recent = WebhookDelivery.objects.order_by("pk")
    long_ago = timezone.now() - timedelta(days=40)
    WebhookDelivery.objects.filter(pk=old.pk).update(created_at=long_ago)
    WebhookFanout.objects.filter(event_id=old.event_id).update(created_at=long_ago)

    assert services.webhooks_purge() == {"fanout_marks": 1, "deliveries": 1}
    assert list(WebhookDelivery.objects.values_list("pk", flat=True)) == [recent.pk]
    assert services.webhooks_purge() == {"fanout_marks": 0, "deliveries": 0}
