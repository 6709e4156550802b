"""The plain values that cross between channel adapters and the rest of the product:
``InboundMessage`` (what a parsed payload says), ``OutboundMessage`` (what the outbox
hands an adapter to send), ``FileData`` and ``Capabilities``.

They carry no business logic: the app that registers the inbound hook decides what an
``InboundMessage`` means, and ``messaging.outbox`` turns outbox rows into
``OutboundMessage`` values.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import timedelta

_FILENAME_JUNK = re.compile(r"[\x00-\x1f\x7f/\\]+")
_CONTENT_TYPE = re.compile(r"[\w.+-]+/[\w.+-]+", re.ASCII)


def filename_clean(name: str, *, fallback: str) -> str:
    """A file name fit to show and to send: no path, no control characters."""
    return _FILENAME_JUNK.sub("_", name).strip(" ._")[:200] or fallback


def header_value_clean(value: object) -> str:
    """One line of text, fit for a header or a subject: every run of whitespace, CR and
    LF included (a bare CR too), becomes one space, so no value can inject a header."""
    return " ".join(str(value).split())


def content_type_clean(value: str) -> str:
    """A plain ``type/subtype``; anything else is just bytes."""
    value = value.split(";")[0].strip().lower()
    return value if _CONTENT_TYPE.fullmatch(value) else "application/octet-stream"


@dataclass(frozen=True)
class FileData:
    """A file as it travels: attached to an inbound message, or uploaded by an agent."""

    filename: str
    content_type: str
    content: bytes


@dataclass(frozen=True)
class StoredFile:
    """A file already in storage (an agent's upload) that goes out with a message."""

    filename: str
    content_type: str
    path: str


@dataclass(frozen=True)
class Capabilities:
    """What a channel can carry. The outbox reads it: text longer than ``max_length`` is
    refused, not cut; files on a channel without ``attachments`` are refused; a subject
    or HTML the channel cannot show is left out. ``reply_window`` declares how long after
    the customer's last message a free-form reply may go (WhatsApp's 24 hours)."""

    subject: bool = False
    html: bool = False
    attachments: bool = False
    max_length: int | None = None
    reply_window: timedelta | None = None


@dataclass
class InboundMessage:
    """What any channel hands to the inbound hook (``message_ingest``)."""

    channel: str
    sender_address: str
    # The kind of contact identity the sender address is (customers' ContactIdentity).
    identity_kind: str = "email"
    sender_name: str = ""
    subject: str = ""
    text: str = ""  # the visible reply, quoted history trimmed
    text_original: str = ""  # the whole text as received
    html: str = ""  # sanitised
    message_id: str = ""
    references: list[str] = field(default_factory=list)  # In-Reply-To first, then References
    # The conversations (ticket ids) this message answers, as the adapter could prove
    # them (email: our own HMAC-signed Message-IDs), most direct first.
    conversation_ids: list[int] = field(default_factory=list)
    recipients: list[str] = field(default_factory=list)
    attachments: list[FileData] = field(default_factory=list)
    # Why this message is machine-made (RFC 3834 and friends); empty for a person.
    automatic_reason: str = ""
    is_bounce: bool = False
    language: str = ""


@dataclass(frozen=True)
class OutboundMessage:
    """What the outbox hands to a channel's adapter to send."""

    to: str
    text: str
    subject: str = ""
    html: str = ""
    reference: str = ""  # our id of this message (an email's Message-ID)
    headers: dict[str, str] = field(default_factory=dict)
    attachments: tuple[StoredFile, ...] = ()
    automatic: str = ""  # "", "auto-replied" or "auto-generated" (RFC 3834)
    language: str = ""
