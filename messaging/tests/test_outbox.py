"""The outbox in one process: states, headers, failures, retries and the sweep."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.db import transaction
from django.utils import timezone

from customers.tests.factories import CustomerFactory
from messaging.models import OutboxMessage
from messaging.outbox import (
    outbox_dispatch,
    outbox_enqueue,
    outbox_retry,
    outbox_sweep,
    recipient_suppress,
)

pytestmark = pytest.mark.django_db
State = OutboxMessage.State


@pytest.fixture(autouse=True)
def _anymail_backend(settings):
    # Django's test setup swaps in locmem; the outbox reads the ESP id from anymail_status.
    settings.EMAIL_BACKEND = "anymail.backends.test.EmailBackend"


def enqueue(**overrides) -> OutboxMessage:
    fields = {"to": "kim@example.com", "subject": "Your ticket", "text": "Hello Kim"} | overrides
    return outbox_enqueue(**fields)


def test_dispatch_sends_once_with_our_message_id_and_records_the_esp_id():
    row = enqueue(html="<p>Hello Kim</p>")

    assert outbox_dispatch(outbox_id=row.pk) == "sent"

    row.refresh_from_db()
    assert row.state == State.SENT
    assert row.sent_at is not None
    assert row.provider_message_id == "0"
    [sent] = mail.outbox
    assert sent.extra_headers["Message-ID"] == row.message_id_header
    assert "Auto-Submitted" not in sent.extra_headers
    assert sent.alternatives[0][1] == "text/html"


def test_a_sent_row_is_never_sent_again():
    row = enqueue()
    outbox_dispatch(outbox_id=row.pk)

    assert outbox_dispatch(outbox_id=row.pk) == "skipped"
    OutboxMessage.objects.filter(pk=row.pk).update(updated_at=timezone.now() - timedelta(days=1))
    outbox_sweep()
    assert outbox_dispatch(outbox_id=row.pk) == "skipped"
    assert len(mail.outbox) == 1


@pytest.mark.parametrize("automatic", ["auto-replied", "auto-generated"])
def test_automatic_mail_carries_auto_submitted(automatic):
    row = enqueue(automatic=automatic, kind="ack")

    outbox_dispatch(outbox_id=row.pk)

    assert mail.outbox[0].extra_headers["Auto-Submitted"] == automatic


def test_an_unknown_automatic_value_is_refused():
    with pytest.raises(ValueError, match="automatic"):
        enqueue(automatic="yes")


def test_dispatch_is_scheduled_on_commit_and_a_rollback_leaves_nothing(
    django_capture_on_commit_callbacks,
):
    class RolledBackError(Exception):
        pass

    def write_then_fail() -> None:
        with transaction.atomic():
            enqueue(customer=CustomerFactory())
            raise RolledBackError

    with django_capture_on_commit_callbacks() as callbacks, pytest.raises(RolledBackError):
        write_then_fail()

    assert not OutboxMessage.objects.exists()
    assert callbacks == []


@pytest.mark.parametrize(
    "backend",
    [
        "messaging.tests.backends.TransientFailureBackend",
        "messaging.tests.backends.NetworkDownBackend",
    ],
)
def test_transient_failures_retry_with_exponential_backoff(settings, backend):
    settings.EMAIL_BACKEND = backend
    settings.OUTBOX_BACKOFF_SECONDS = 30
    row = enqueue()

    assert outbox_dispatch(outbox_id=row.pk) == "retrying"
    row.refresh_from_db()
    assert row.state == State.RETRYING
    first_delay = (row.next_attempt_at - timezone.now()).total_seconds()
    assert 25 < first_delay <= 30
    assert outbox_dispatch(outbox_id=row.pk) == "skipped"  # not due yet

    OutboxMessage.objects.filter(pk=row.pk).update(next_attempt_at=timezone.now())
    assert outbox_dispatch(outbox_id=row.pk) == "retrying"
    row.refresh_from_db()
    assert 55 < (row.next_attempt_at - timezone.now()).total_seconds() <= 60


def test_after_the_last_attempt_the_row_fails_and_an_agent_can_retry_it(settings):
    settings.EMAIL_BACKEND = "messaging.tests.backends.TransientFailureBackend"
    settings.OUTBOX_MAX_ATTEMPTS = 2
    row = enqueue()
    outbox_dispatch(outbox_id=row.pk)
    OutboxMessage.objects.filter(pk=row.pk).update(next_attempt_at=timezone.now())

    assert outbox_dispatch(outbox_id=row.pk) == "failed"
    row.refresh_from_db()
    assert row.state == State.FAILED
    assert "503" in row.last_error or "moment" in row.last_error

    settings.EMAIL_BACKEND = "anymail.backends.test.EmailBackend"
    outbox_retry(outbox=row, by=None)
    assert outbox_dispatch(outbox_id=row.pk) == "sent"
    assert len(mail.outbox) == 1


def test_a_refused_recipient_fails_at_once(settings):
    settings.EMAIL_BACKEND = "messaging.tests.backends.RefusedBackend"
    row = enqueue()

    assert outbox_dispatch(outbox_id=row.pk) == "failed"


def test_suppressed_addresses_are_not_sent_to_even_if_queued_before():
    row = enqueue(to="gone@example.com")
    recipient_suppress(address="Gone@Example.com", reason="bounced")

    assert outbox_dispatch(outbox_id=row.pk) == "skipped"
    row.refresh_from_db()
    assert row.state == State.SUPPRESSED
    assert mail.outbox == []


def test_the_sweep_revives_rows_a_dead_worker_left_in_sending(settings):
    row = enqueue()
    OutboxMessage.objects.filter(pk=row.pk).update(
        state=State.SENDING, claimed_at=timezone.now() - timedelta(hours=1), attempts=1
    )

    assert outbox_sweep() >= 1
    row.refresh_from_db()
    assert row.state == State.RETRYING
    assert outbox_dispatch(outbox_id=row.pk) == "sent"


def test_the_beat_schedule_runs_the_sweeps(settings):
    tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}

    assert {"messaging.tasks.outbox_sweep", "messaging.tasks.inbound_sweep",
            "messaging.tasks.inbound_imap_poll_all"} <= tasks  # fmt: skip


def test_a_failed_email_is_shown_on_the_ticket_and_an_agent_can_retry_it(client):
    from tickets.tests.factories import PASSWORD, TeamFactory, TicketFactory, make_agent

    team = TeamFactory()
    make_agent(username="agnes", teams=[team])
    outsider_team = TeamFactory()
    make_agent(username="otto", teams=[outsider_team])
    ticket = TicketFactory(team=team)
    row = enqueue(ticket_id=ticket.pk)
    OutboxMessage.objects.filter(pk=row.pk).update(state=State.FAILED, last_error="550 rejected")

    client.login(username="otto", password=PASSWORD)
    assert client.post(f"/tickets/{ticket.pk}/emails/{row.pk}/retry/").status_code == 404
    client.login(username="agnes", password=PASSWORD)
    page = client.get(f"/tickets/{ticket.pk}/").content.decode()
    assert "550 rejected" in page
    response = client.post(f"/tickets/{ticket.pk}/emails/{row.pk}/retry/")

    assert response.status_code == 302
    row.refresh_from_db()
    assert row.state == State.QUEUED


def test_line_breaks_in_headers_cannot_inject_new_headers():
    row = enqueue(headers={"In-Reply-To": "<a@b>\r\nBcc: victim@example.com"})

    outbox_dispatch(outbox_id=row.pk)

    [sent] = mail.outbox
    assert sent.extra_headers["In-Reply-To"] == "<a@b> Bcc: victim@example.com"
    assert sent.bcc == []
