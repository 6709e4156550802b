"""The web-form adapter: a contact-form post, stored as a JSON payload, in; answers by
email to the address the customer typed (the form has no way back of its own).

The payload (written by ``payload_make``, read by ``parse``)::

    {"v": 1, "name": str, "email": str, "topic": str, "subject": str, "message": str,
     "order_number": str, "language": "en|de|tr", "recipients": [str],
     "attachments": [{"filename": str, "content_type": str, "content_b64": str}]}

Replies and the acknowledgement go out through the email adapter with our own
Message-IDs, so a customer who answers the acknowledgement lands in the same ticket."""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Sequence

from django.conf import settings

from messaging.adapters import ParseError
from messaging.channels.email.adapter import EmailAdapter
from messaging.models import Channel
from messaging.types import (
    FileData,
    InboundMessage,
    content_type_clean,
    filename_clean,
    header_value_clean,
)

VERSION = 1


def payload_make(
    *, name: str, email: str, topic: str, subject: str, message: str, order_number: str,
    language: str, recipients: Sequence[str] = (), attachments: Sequence[FileData] = (),
) -> bytes:  # fmt: skip
    """The raw bytes stored for one contact-form post."""
    return json.dumps(
        {
            "v": VERSION,
            "name": name,
            "email": email,
            "topic": topic,
            "subject": subject,
            "message": message,
            "order_number": order_number,
            "language": language,
            "recipients": list(recipients),
            "attachments": [
                {
                    "filename": item.filename,
                    "content_type": item.content_type,
                    "content_b64": base64.b64encode(item.content).decode("ascii"),
                }
                for item in attachments
            ],
        },
        ensure_ascii=False,
        sort_keys=True,
    ).encode()


def _text(data: dict, key: str, *, limit: int, required: bool = False) -> str:
    value = data.get(key, "")
    if not isinstance(value, str):
        raise ParseError(f"{key} is not text")
    value = value.replace("\x00", "").strip()
    if required and not value:
        raise ParseError(f"{key} is missing")
    return value[:limit]


class WebFormAdapter(EmailAdapter):
    channel = Channel.WEB

    def parse(self, raw: bytes) -> InboundMessage:
        try:
            data = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as error:
            raise ParseError(f"not a contact-form payload: {error}") from error
        if not isinstance(data, dict) or data.get("v") != VERSION:
            raise ParseError("not a contact-form payload of a known version")
        email = _text(data, "email", limit=320, required=True).lower()
        if "@" not in email:
            raise ParseError("the email address is not one")
        message = _text(data, "message", limit=50_000, required=True)
        order_number = _text(data, "order_number", limit=64)
        language = _text(data, "language", limit=8)
        if language not in {code for code, _name in settings.LANGUAGES}:
            language = ""
        files = []
        items = data.get("attachments") or []
        if not isinstance(items, list):
            raise ParseError("attachments is not a list")
        for index, item in enumerate(items, start=1):
            try:
                content = base64.b64decode(item["content_b64"], validate=True)
                name = filename_clean(str(item["filename"]), fallback=f"attachment-{index}")
                files.append(FileData(name, content_type_clean(str(item["content_type"])), content))
            except (KeyError, TypeError, binascii.Error) as error:
                raise ParseError(f"attachment {index} cannot be read: {error}") from error
        text = message
        if order_number:
            text = f"{message}\n\n[{order_number}]"
        recipients = [str(r)[:320] for r in data.get("recipients") or [] if isinstance(r, str)]
        return InboundMessage(
            channel=Channel.WEB, sender_address=email, identity_kind="email",
            sender_name=header_value_clean(_text(data, "name", limit=200)),
            subject=header_value_clean(_text(data, "subject", limit=255)),
            text=text, text_original=text, recipients=recipients, attachments=files,
            language=language,
        )  # fmt: skip
