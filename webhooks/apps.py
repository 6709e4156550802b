from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WebhooksConfig(AppConfig):
    name = "webhooks"
    verbose_name = _("Webhooks")

    def ready(self) -> None:
        from core.config_cache import config_watch
        from core.events import event_kinds_declare, event_recorded
        from webhooks.events import EVENT_KINDS
        from webhooks.fanout import on_event_recorded
        from webhooks.models import WebhookEndpoint

        event_kinds_declare(EVENT_KINDS)
        # Whether any endpoint exists is asked for every audit event.
        config_watch(WebhookEndpoint)
        # Every audit event a webhook may carry queues its fan-out once it has committed;
        # the beat sweep catches up on any the broker missed.
        event_recorded.register(on_event_recorded)
