"""Message-IDs we issue carry an HMAC, so a reply naming one proves which ticket it means.

Format: ``<t{ticket}.{token}.{mac}@{domain}>``. The token makes each id unique; the MAC
(keyed from SECRET_KEY with its own salt) makes them unforgeable. A sender can copy one
of *their own* ids into References, which is why ingest also checks the sender is a
participant of that ticket.
"""

from __future__ import annotations

import hmac
import re
import secrets

from django.conf import settings
from django.utils.crypto import salted_hmac

# The salt keeps its first name: Message-IDs already sent must still verify.
_SALT = "tickets.channels.email.message_ids"
_OURS = re.compile(r"^t(\d+)\.([a-z0-9]{16})\.([a-f0-9]{20})@(.+)$")
_ANGLE = re.compile(r"<([^<>\s]{1,400})>")


def _mac(ticket_id: int, token: str) -> str:
    return salted_hmac(_SALT, f"{ticket_id}.{token}", algorithm="sha256").hexdigest()[:20]


def message_id_make(*, ticket_id: int | None) -> str:
    """A fresh Message-ID (with angle brackets) for mail about ``ticket_id`` (0 = none)."""
    ticket = ticket_id or 0
    token = secrets.token_hex(8)
    return f"<t{ticket}.{token}.{_mac(ticket, token)}@{settings.EMAIL_MESSAGE_ID_DOMAIN}>"


def message_id_ticket(message_id: str) -> int | None:
    """The ticket id a Message-ID of ours names, or None if it is not ours (or forged)."""
    match = _OURS.match(message_id.strip().strip("<>").lower())
    if match is None:
        return None
    ticket, token, mac, domain = match.groups()
    if domain != settings.EMAIL_MESSAGE_ID_DOMAIN.lower():
        return None
    if not hmac.compare_digest(mac, _mac(int(ticket), token)):
        return None
    return int(ticket) or None


def message_ids_in(header_value: str) -> list[str]:
    """Every ``<id>`` in an In-Reply-To or References header, in order."""
    return _ANGLE.findall(header_value or "")[:100]
