"""The email adapter: raw RFC 822 bytes in, anymail out.

Parsing, threading references and loop rules are in ``parse`` and ``message_ids``; this
module only puts them behind the adapter interface."""

from __future__ import annotations

import re

from anymail.exceptions import AnymailAPIError, AnymailError, AnymailRecipientsRefused
from django.conf import settings
from django.core.files.storage import default_storage
from django.core.mail import EmailMultiAlternatives

from messaging.adapters import ChannelAdapter
from messaging.channels.email.message_ids import message_id_make, message_id_ticket
from messaging.channels.email.parse import email_parse
from messaging.types import Capabilities, InboundMessage, OutboundMessage, header_value_clean


def _our_ids_in(raw: bytes) -> list[str]:
    """Our Message-IDs quoted anywhere in a bounce (the returned headers or message)."""
    domain = re.escape(settings.EMAIL_MESSAGE_ID_DOMAIN.encode())
    pattern = rb"<(t\d+\.[a-z0-9]{16}\.[a-f0-9]{20}@" + domain + rb")>"
    return [match.decode() for match in re.findall(pattern, raw, flags=re.IGNORECASE)][:20]


class EmailAdapter(ChannelAdapter):
    channel = "email"
    capabilities = Capabilities(subject=True, html=True, attachments=True)

    def parse(self, raw: bytes) -> InboundMessage:
        parsed = email_parse(raw)
        if parsed.is_bounce:
            parsed.references = parsed.references + _our_ids_in(raw)
        seen: list[int] = []
        for reference in parsed.references:
            ticket_id = message_id_ticket(reference)
            if ticket_id is not None and ticket_id not in seen:
                seen.append(ticket_id)
        parsed.conversation_ids = seen
        return parsed

    def build(self, message: OutboundMessage) -> EmailMultiAlternatives:
        headers = dict(message.headers)
        headers["Message-ID"] = message.reference
        if message.automatic:
            headers["Auto-Submitted"] = message.automatic
            headers["X-Auto-Response-Suppress"] = "All"  # Outlook/Exchange out-of-office
        if message.language:
            headers["Content-Language"] = message.language
        email = EmailMultiAlternatives(
            subject=header_value_clean(message.subject), body=message.text,
            from_email=settings.DEFAULT_FROM_EMAIL, to=[message.to],
            headers={header_value_clean(k): header_value_clean(v) for k, v in headers.items()},
        )  # fmt: skip
        if message.html:
            email.attach_alternative(message.html, "text/html")
        for stored in message.attachments:
            with default_storage.open(stored.path, "rb") as file:
                email.attach(stored.filename, file.read(), stored.content_type)
        return email

    def send(self, message: OutboundMessage) -> str:
        email = self.build(message)
        email.send()
        status = getattr(email, "anymail_status", None)
        provider_id = getattr(status, "message_id", None)
        return "" if provider_id is None else str(provider_id)

    def is_transient(self, error: Exception) -> bool:
        if isinstance(error, AnymailRecipientsRefused | ValueError | TypeError):
            return False  # refused recipient, or a message we cannot build (BadHeaderError)
        if isinstance(error, AnymailAPIError):
            status = getattr(error, "status_code", None)
            return status is None or status >= 500 or status == 429
        # Other anymail errors are configuration or invalid requests: retrying will not
        # help. Anything else (network errors, timeouts, the ESP down) is worth a try.
        return not isinstance(error, AnymailError)

    def reference_new(self, *, ticket_id: int | None) -> str:
        return message_id_make(ticket_id=ticket_id)

    def address_normalise(self, address: str) -> str:
        return address.strip().lower()
