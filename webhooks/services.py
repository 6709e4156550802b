"""Every write to webhooks: endpoints (register, change, rotate the secret, disable and
enable), the fan-out of committed audit events into deliveries, and each attempt to
send one (retried with exponential backoff and jitter, then given up)."""

from __future__ import annotations

import base64
import json
import random
import secrets as random_secrets
import uuid
from collections.abc import Sequence
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import Exists, F, OuterRef
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core.access import leads_of
from core.events import event_record
from core.models import AgentProfile, Event
from core.reactions import task_after_commit
from messaging.outbox import OutboxRefusedError, outbox_enqueue
from webhooks.events import EVENT_TYPES, event_types_for, payload_for
from webhooks.models import WebhookAttempt, WebhookDelivery, WebhookEndpoint, WebhookFanout
from webhooks.sending import Outcome, post_signed, target_resolve


class EndpointError(ValueError):
    """An endpoint that cannot be saved as asked; ``str(error)`` says why."""


def secret_new() -> str:
    return "whsec_" + base64.b64encode(random_secrets.token_bytes(32)).decode()


def _clean(*, name: str, url: str, event_types: Sequence[str]) -> tuple[str, str, list[str]]:
    name = " ".join(name.split())
    if not name:
        raise EndpointError(_("Give the endpoint a name."))
    unknown = set(event_types) - set(EVENT_TYPES)
    if unknown or not event_types:
        raise EndpointError(_("Choose at least one of the listed event types."))
    try:
        target_resolve(url)
    except ValueError as error:
        raise EndpointError(str(error)) from error
    return name, url, [t for t in EVENT_TYPES if t in event_types]


@transaction.atomic
def endpoint_create(
    *, name: str, url: str, event_types: Sequence[str], by: AbstractBaseUser | None
) -> WebhookEndpoint:
    """Register a receiver. Its URL must resolve to public addresses only (production)."""
    name, url, event_types = _clean(name=name, url=url, event_types=event_types)
    endpoint = WebhookEndpoint.objects.create(
        name=name, url=url, event_types=event_types, secret=secret_new(), created_by=by
    )
    event_record(
        kind="webhook.endpoint_created",
        actor=by,
        data={"endpoint": endpoint.pk, "url": url, "event_types": event_types},
    )
    return endpoint


@transaction.atomic
def endpoint_update(
    *,
    endpoint: WebhookEndpoint,
    name: str,
    url: str,
    event_types: Sequence[str],
    by: AbstractBaseUser | None,
) -> WebhookEndpoint:
    name, url, event_types = _clean(name=name, url=url, event_types=event_types)
    endpoint = WebhookEndpoint.objects.select_for_update().get(pk=endpoint.pk)
    before = {"name": endpoint.name, "url": endpoint.url, "event_types": endpoint.event_types}
    after = {"name": name, "url": url, "event_types": event_types}
    if before == after:
        return endpoint
    endpoint.name, endpoint.url, endpoint.event_types = name, url, event_types
    endpoint.save(update_fields=["name", "url", "event_types"])
    event_record(
        kind="webhook.endpoint_updated",
        actor=by,
        data={"endpoint": endpoint.pk, "from": before, "to": after},
    )
    return endpoint


@transaction.atomic
def endpoint_rotate_secret(
    *, endpoint: WebhookEndpoint, by: AbstractBaseUser | None, now: datetime | None = None
) -> WebhookEndpoint:
    """A new secret; the old one keeps signing too (a second signature) for
    ``WEBHOOK_SECRET_OVERLAP_HOURS``, so the receiver can switch without a gap."""
    now = now or timezone.now()
    endpoint = WebhookEndpoint.objects.select_for_update().get(pk=endpoint.pk)
    endpoint.previous_secret = endpoint.secret
    endpoint.previous_secret_expires_at = now + timedelta(
        hours=settings.WEBHOOK_SECRET_OVERLAP_HOURS
    )
    endpoint.secret = secret_new()
    endpoint.save(update_fields=["secret", "previous_secret", "previous_secret_expires_at"])
    event_record(kind="webhook.secret_rotated", actor=by, data={"endpoint": endpoint.pk})
    return endpoint


def signing_secrets(endpoint: WebhookEndpoint, *, now: datetime | None = None) -> list[str]:
    now = now or timezone.now()
    keys = [endpoint.secret]
    if (
        endpoint.previous_secret
        and endpoint.previous_secret_expires_at
        and (endpoint.previous_secret_expires_at > now)
    ):
        keys.append(endpoint.previous_secret)
    return keys


@transaction.atomic
def endpoint_enable(*, endpoint: WebhookEndpoint, by: AbstractBaseUser | None) -> WebhookEndpoint:
    endpoint = WebhookEndpoint.objects.select_for_update().get(pk=endpoint.pk)
    if endpoint.active:
        return endpoint
    endpoint.active, endpoint.disabled_at, endpoint.disabled_reason = True, None, ""
    endpoint.consecutive_failures = 0
    endpoint.save(
        update_fields=["active", "disabled_at", "disabled_reason", "consecutive_failures"]
    )
    event_record(kind="webhook.endpoint_enabled", actor=by, data={"endpoint": endpoint.pk})
    return endpoint


@transaction.atomic
def endpoint_disable(
    *, endpoint: WebhookEndpoint, reason: str, by: AbstractBaseUser | None
) -> WebhookEndpoint:
    """Stop delivering to an endpoint: its deliveries wait until it is enabled again.
    Disabled by the system (``by`` None, after a delivery was given up), every admin is
    told by email through the outbox."""
    endpoint = WebhookEndpoint.objects.select_for_update().get(pk=endpoint.pk)
    if not endpoint.active:
        return endpoint
    endpoint.active, endpoint.disabled_at = False, timezone.now()
    endpoint.disabled_reason = reason[:300]
    endpoint.save(update_fields=["active", "disabled_at", "disabled_reason"])
    event_record(
        kind="webhook.endpoint_disabled",
        actor=by,
        data={"endpoint": endpoint.pk, "reason": endpoint.disabled_reason},
    )
    if by is None:
        _admins_tell_disabled(endpoint=endpoint)
    return endpoint


def _admins_tell_disabled(*, endpoint: WebhookEndpoint) -> None:
    from django.urls import reverse

    link = settings.SITE_URL + reverse("webhooks:detail", args=[endpoint.pk])
    admins = (
        AgentProfile.objects.select_related("user")
        .filter(role=AgentProfile.Role.ADMIN, user__is_active=True)
        .exclude(user__email="")
    )
    if not admins.exists():
        admins = leads_of(team_id=None).exclude(user__email="")
    for profile in admins:
        with translation.override(profile.language):
            subject = _("Webhook endpoint %(name)s was disabled") % {"name": endpoint.name}
            text = _(
                "Deliveries to %(url)s kept failing and were given up, so the endpoint "
                "%(name)s was disabled: %(reason)s\n\nCheck the receiver, then enable the "
                "endpoint again and replay what it missed from the delivery log:\n%(link)s\n"
            ) % {
                "url": endpoint.url,
                "name": endpoint.name,
                "reason": endpoint.disabled_reason,
                "link": link,
            }
        try:
            outbox_enqueue(
                to=profile.user.email,
                subject=subject,
                text=text,
                kind="webhook_disabled",
                automatic="auto-generated",
                language=profile.language,
            )
        except OutboxRefusedError:  # an address no adapter takes; the others still hear
            continue


# --- Fan-out: committed audit events become deliveries -----------------------------------


def _snapshot(event: Event) -> dict:
    """What receivers need beside the event: the ticket (and message) as they are now."""
    from tickets.models import Message, Ticket

    snapshot: dict = {}
    if event.ticket_id:
        ticket = (
            Ticket.objects.filter(pk=event.ticket_id)
            .values(
                "id",
                "subject",
                "status",
                "priority",
                "channel",
                "customer_id",
                "team_id",
                "assignee_id",
            )
            .first()
        )
        if ticket is not None:
            snapshot["ticket_state"] = ticket
    message_id = event.data.get("message") if isinstance(event.data, dict) else None
    if event.kind in ("ticket.replied", "message.received") and isinstance(message_id, int):
        message = (
            Message.objects.filter(pk=message_id, visibility=Message.Visibility.PUBLIC)
            .values("id", "direction", "channel", "body_text", "created_at")
            .first()
        )
        if message is not None:
            message["created_at"] = message["created_at"].isoformat()
            snapshot["message"] = message
    return snapshot


@transaction.atomic
def event_fanout(*, event_id: int) -> list[int]:
    """Turn one committed audit event into a delivery per endpoint that wants it (once:
    a second call finds the event fanned out and does nothing). Endpoints registered
    after the event do not get it. Returns the new deliveries' ids."""
    event = Event.objects.filter(pk=event_id).first()
    if event is None:
        return []
    # The mark is taken in this transaction: a concurrent fan-out of the same event waits
    # for it, then finds it and does nothing.
    _mark, created = WebhookFanout.objects.get_or_create(event_id=event.pk)
    if not created:
        return []
    types = event_types_for(event.kind, event.data if isinstance(event.data, dict) else {})
    if not types:
        return []
    # A disabled endpoint gets its deliveries too: they wait, and leave once it is
    # enabled again, so a receiver's outage loses nothing.
    endpoints = list(
        WebhookEndpoint.objects.filter(event_types__overlap=types, created_at__lte=event.created_at)
    )
    if not endpoints:
        return []
    snapshot = _snapshot(event)
    now = timezone.now()
    rows = [
        WebhookDelivery(
            endpoint=endpoint,
            event_id=event.pk,
            event_type=event_type,
            message_id=f"msg_{uuid.uuid4().hex}",
            payload=payload_for(event=event, event_type=event_type, snapshot=snapshot),
            event_at=event.created_at,
            next_attempt_at=now,
        )
        for endpoint in endpoints
        for event_type in types
        if event_type in endpoint.event_types
    ]
    ids = [row.pk for row in WebhookDelivery.objects.bulk_create(rows)]
    from webhooks.tasks import webhook_deliver

    for delivery_id in ids:
        task_after_commit(webhook_deliver, queue=settings.WEBHOOK_QUEUE, delivery_id=delivery_id)
    return ids


# --- Sending ------------------------------------------------------------------------------


def retry_delay(*, attempts: int) -> float | None:
    """Seconds before the next attempt after ``attempts`` failed ones, jittered; None
    once the schedule is used up (the delivery is given up)."""
    schedule = settings.WEBHOOK_RETRY_SCHEDULE
    if attempts > len(schedule):
        return None
    base = float(schedule[attempts - 1])
    jitter = settings.WEBHOOK_RETRY_JITTER
    return max(0.0, base * random.uniform(1 - jitter, 1 + jitter))


def _claim(*, delivery_id: int, replay: bool, now: datetime) -> WebhookDelivery | None:
    with transaction.atomic():
        # Only the delivery's row is locked (not its endpoint's, which every delivery to
        # that endpoint shares): two workers never skip each other's deliveries.
        query = WebhookDelivery.objects.select_for_update(
            skip_locked=True, of=("self",)
        ).select_related("endpoint")
        if replay:
            delivery = (
                query.filter(pk=delivery_id).exclude(state=WebhookDelivery.State.SENDING).first()
            )
        else:
            delivery = query.filter(
                pk=delivery_id,
                state__in=[WebhookDelivery.State.PENDING, WebhookDelivery.State.RETRYING],
                next_attempt_at__lte=now,
            ).first()
        if delivery is None:
            return None
        if not replay and not delivery.endpoint.active:
            return None  # waits until the endpoint is enabled again
        delivery.previous_state = delivery.state
        delivery.state = WebhookDelivery.State.SENDING
        delivery.sending_since = now
        if not replay:
            delivery.attempts += 1
        delivery.save(update_fields=["state", "sending_since", "attempts"])
        return delivery


def delivery_body(delivery: WebhookDelivery) -> str:
    return json.dumps(delivery.payload, separators=(",", ":"), sort_keys=True, default=str)


def delivery_attempt(*, delivery_id: int, replay: bool = False) -> WebhookAttempt | None:
    """Send a due delivery once (a replay: any delivery, again, with the same
    ``webhook-id``). The row is claimed first, so two workers never send it at once;
    a failure schedules the next attempt or, once the schedule is used up, gives the
    delivery up and disables its endpoint. Returns the attempt, or None when there was
    nothing to send."""
    now = timezone.now()
    delivery = _claim(delivery_id=delivery_id, replay=replay, now=now)
    if delivery is None:
        return None
    endpoint = delivery.endpoint
    outcome: Outcome = post_signed(
        url=endpoint.url,
        secrets=signing_secrets(endpoint, now=now),
        message_id=delivery.message_id,
        timestamp=now,
        body=delivery_body(delivery),
    )
    return _record(delivery=delivery, outcome=outcome, replay=replay, started_at=now)


@transaction.atomic
def _record(
    *, delivery: WebhookDelivery, outcome: Outcome, replay: bool, started_at: datetime
) -> WebhookAttempt:
    previous_state = delivery.previous_state
    delivery = WebhookDelivery.objects.select_for_update().get(pk=delivery.pk)
    endpoint = WebhookEndpoint.objects.get(pk=delivery.endpoint_id)
    endpoints = WebhookEndpoint.objects.filter(pk=endpoint.pk)
    attempt = WebhookAttempt.objects.create(
        delivery=delivery,
        replay=replay,
        started_at=started_at,
        duration_ms=outcome.duration_ms,
        request_headers=outcome.request_headers,
        request_body=delivery_body(delivery),
        status_code=outcome.status_code,
        response_body=outcome.body,
        error=outcome.error,
    )
    delivery.last_status_code = outcome.status_code
    delivery.last_error = outcome.error or ("" if outcome.ok else f"HTTP {outcome.status_code}")
    delivery.sending_since = None
    give_up = False
    if outcome.ok:
        delivery.state = WebhookDelivery.State.SUCCEEDED
        delivery.delivered_at = timezone.now()
        delivery.next_attempt_at = None
        # A counter update without a row lock: deliveries to one endpoint run in parallel.
        endpoints.filter(consecutive_failures__gt=0).update(consecutive_failures=0)
    else:
        endpoints.update(consecutive_failures=F("consecutive_failures") + 1)
        delay = None if replay else retry_delay(attempts=delivery.attempts)
        if replay:
            delivery.state = previous_state
        elif delay is None:
            delivery.state = WebhookDelivery.State.FAILED
            delivery.next_attempt_at = None
            give_up = True
        else:
            delivery.state = WebhookDelivery.State.RETRYING
            delivery.next_attempt_at = timezone.now() + timedelta(seconds=delay)
            from webhooks.tasks import webhook_deliver

            task_after_commit(
                webhook_deliver,
                countdown=delay,
                queue=settings.WEBHOOK_QUEUE,
                delivery_id=delivery.pk,
            )
    delivery.save()
    if give_up:
        endpoint_disable(
            endpoint=endpoint,
            by=None,
            reason=f"{delivery.attempts} attempts over the retry schedule failed; "
            f"the last: {delivery.last_error}",
        )
    return attempt


@transaction.atomic
def delivery_replay(*, delivery: WebhookDelivery, by: AbstractBaseUser | None) -> WebhookDelivery:
    """Send a delivery again (same ``webhook-id``, a fresh timestamp and signature), from
    the log, whatever became of it."""
    event_record(
        kind="webhook.delivery_replayed",
        actor=by,
        data={"delivery": delivery.pk, "endpoint": delivery.endpoint_id},
    )
    from webhooks.tasks import webhook_deliver

    task_after_commit(
        webhook_deliver, queue=settings.WEBHOOK_QUEUE, delivery_id=delivery.pk, replay=True
    )
    return delivery


def deliveries_sweep(*, now: datetime | None = None, batch: int = 1000) -> dict[str, int]:
    """The beat's catch-up: fan out committed events no task fanned out (a broker outage,
    a dead worker), hand a sending row whose worker died back to the retries, and queue
    every delivery that is due. Idempotent."""
    from webhooks.events import SWEPT_KINDS
    from webhooks.tasks import webhook_deliver

    now = now or timezone.now()
    counts = {"fanned_out": 0, "stale": 0, "queued": 0}
    oldest_endpoint = WebhookEndpoint.objects.order_by("created_at").first()
    if oldest_endpoint is not None:
        since = now - timedelta(hours=settings.WEBHOOK_CATCH_UP_HOURS)
        since = max(since, oldest_endpoint.created_at)
        missed = (
            Event.objects.filter(kind__in=SWEPT_KINDS, created_at__gte=since)
            .exclude(Exists(WebhookFanout.objects.filter(event_id=OuterRef("pk"))))
            .order_by("pk")
            .values_list("pk", flat=True)[:batch]
        )
        for event_id in list(missed):
            event_fanout(event_id=event_id)
            counts["fanned_out"] += 1
    stale = now - timedelta(seconds=settings.WEBHOOK_SENDING_STALE_SECONDS)
    counts["stale"] = WebhookDelivery.objects.filter(
        state=WebhookDelivery.State.SENDING, sending_since__lt=stale
    ).update(state=WebhookDelivery.State.RETRYING, next_attempt_at=now, sending_since=None)
    due = (
        WebhookDelivery.objects.filter(
            state__in=[WebhookDelivery.State.PENDING, WebhookDelivery.State.RETRYING],
            next_attempt_at__lte=now,
        )
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:batch]
    )
    from core.reactions import task_publish

    for delivery_id in list(due):
        if task_publish(webhook_deliver, queue=settings.WEBHOOK_QUEUE, delivery_id=delivery_id):
            counts["queued"] += 1
    return counts


def webhooks_purge(*, now: datetime | None = None) -> dict[str, int]:
    """Forget what no sweep or admin needs any more (a daily beat task; idempotent):
    fan-out marks older than the catch-up window (the sweep never looks back further),
    and delivered or given-up deliveries, with their log, older than
    ``WEBHOOK_LOG_DAYS``."""
    now = now or timezone.now()
    marks_before = now - timedelta(hours=settings.WEBHOOK_CATCH_UP_HOURS + 1)
    log_before = now - timedelta(days=settings.WEBHOOK_LOG_DAYS)
    marks, _rows = WebhookFanout.objects.filter(created_at__lt=marks_before).delete()
    old = WebhookDelivery.objects.filter(
        state__in=[WebhookDelivery.State.SUCCEEDED, WebhookDelivery.State.FAILED],
        created_at__lt=log_before,
    )
    deliveries = old.count()
    old.delete()
    return {"fanout_marks": marks, "deliveries": deliveries}
