from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MessagingConfig(AppConfig):
    name = "messaging"
    verbose_name = _("Messaging")

    def ready(self) -> None:
        from core.events import EventKind, event_kinds_declare
        from messaging.adapters import adapter_register
        from messaging.channels.email import receive  # noqa: F401  (anymail receivers)
        from messaging.channels.email.adapter import EmailAdapter
        from messaging.channels.webform.adapter import WebFormAdapter

        adapter_register(EmailAdapter())
        adapter_register(WebFormAdapter())
        event_kinds_declare(
            [
                EventKind(
                    "outbox.queued",
                    variants={"ack": _("sent the automatic acknowledgement")},
                ),
                EventKind("outbox.sent"),
                EventKind("outbox.retrying"),
                EventKind("outbox.failed", _("could not deliver a message")),
                EventKind(
                    "outbox.suppressed",
                    _("did not send a message: the recipient bounced or complained before"),
                ),
                EventKind(
                    "outbox.retry_requested",
                    _("asked for an undelivered message to be sent again"),
                ),
                EventKind("outbox.recipient_suppressed"),
                EventKind("inbound.received"),
                EventKind("inbound.quarantined"),
                EventKind("inbound.retry_requested"),
            ]
        )
