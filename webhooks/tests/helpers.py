"""Run what the worker runs, in the test's own thread: fan out committed events (the
sweep, as after a broker outage) and send every due delivery."""

from __future__ import annotations

from django.utils import timezone

from webhooks.models import WebhookDelivery
from webhooks.services import deliveries_sweep, delivery_attempt


def deliver_due(*, rounds: int = 10) -> int:
    """Fan out and send until nothing is due (retries included); returns attempts made."""
    attempts = 0
    for _ in range(rounds):
        deliveries_sweep()
        due = list(
            WebhookDelivery.objects.filter(
                state__in=["pending", "retrying"],
                next_attempt_at__lte=timezone.now(),
                endpoint__active=True,
            ).values_list("pk", flat=True)
        )
        if not due:
            return attempts
        for delivery_id in due:
            attempts += delivery_attempt(delivery_id=delivery_id) is not None
    return attempts
