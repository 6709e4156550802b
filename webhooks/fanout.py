"""How webhooks follow the audit trail: an event that some endpoint may want queues its
fan-out once the transaction that recorded it has committed."""

from __future__ import annotations

from django.conf import settings

from core.config_cache import config_cached
from core.models import Event
from core.reactions import task_after_commit
from webhooks.events import event_types_for


def on_event_recorded(*, event: Event) -> None:
    if not event_types_for(event.kind, event.data if isinstance(event.data, dict) else {}):
        return
    from webhooks.models import WebhookEndpoint
    from webhooks.tasks import webhooks_fanout

    if config_cached("webhook_endpoints_exist", WebhookEndpoint.objects.exists):
        task_after_commit(webhooks_fanout, queue=settings.WEBHOOK_QUEUE, event_id=event.pk)
