"""Channel adapters translate between a provider and two plain dataclasses.

They own no business logic: ``tickets.ingest.message_ingest`` decides what an
``InboundMessage`` means, and ``tickets.outbox`` sends ``OutboundMessage`` rows.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_FILENAME_JUNK = re.compile(r"[\x00-\x1f\x7f/\\]+")
_CONTENT_TYPE = re.compile(r"[\w.+-]+/[\w.+-]+", re.ASCII)


def filename_clean(name: str, *, fallback: str) -> str:
    """A file name fit to show and to send: no path, no control characters."""
    return _FILENAME_JUNK.sub("_", name).strip(" ._")[:200] or fallback


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


@dataclass
class InboundMessage:
    """What any channel hands to ``message_ingest``."""

    channel: str
    sender_address: str
    sender_name: str = ""
    subject: str = ""
    text: str = ""  # the visible reply, quoted history trimmed
    text_original: str = ""  # the whole text as received
    html: str = ""  # sanitised
    message_id: str = ""
    references: list[str] = field(default_factory=list)  # In-Reply-To first, then References
    recipients: list[str] = field(default_factory=list)
    attachments: list[FileData] = field(default_factory=list)
    # Why this message is machine-made (RFC 3834 and friends); empty for a person.
    automatic_reason: str = ""
    is_bounce: bool = False
    language: str = ""


@dataclass(frozen=True)
class OutboundMessage:
    """What the outbox hands to a channel's sender."""

    to: str
    subject: str
    text: str
    html: str = ""
    message_id: str = ""
    headers: dict[str, str] = field(default_factory=dict)
