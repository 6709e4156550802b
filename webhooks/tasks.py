"""Webhook tasks: fan an event out, send a delivery, and the beat sweep. Each takes ids,
calls one service and is idempotent (a delivery is claimed before it is sent)."""

from __future__ import annotations

from celery import shared_task

from webhooks import services


@shared_task(acks_late=True)
def webhooks_fanout(*, event_id: int) -> int:
    return len(services.event_fanout(event_id=event_id))


@shared_task(acks_late=True)
def webhook_deliver(*, delivery_id: int, replay: bool = False) -> int | None:
    attempt = services.delivery_attempt(delivery_id=delivery_id, replay=replay)
    return None if attempt is None else attempt.status_code


@shared_task
def webhooks_sweep() -> dict[str, int]:
    return services.deliveries_sweep()


@shared_task
def webhooks_purge() -> dict[str, int]:
    return services.webhooks_purge()
