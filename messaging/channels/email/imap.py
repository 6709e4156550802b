"""IMAP polling: one lock per mailbox, credentials from the environment only, and a
message is flagged (or moved) only after its raw bytes are stored."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qs, unquote, urlparse

import redis
from django.conf import settings
from imapclient import IMAPClient

from messaging.inbound import inbound_store
from messaging.models import InboundPayload

logger = logging.getLogger(__name__)

STORED_FLAG = b"$HelpdeskStored"
BATCH = 25


def _connect(url: str) -> tuple[Any, str, str | None]:
    parts = urlparse(url)
    ssl = parts.scheme == "imaps"
    client = IMAPClient(parts.hostname, port=parts.port or (993 if ssl else 143), ssl=ssl,
                        timeout=30)  # fmt: skip
    client.login(unquote(parts.username or ""), unquote(parts.password or ""))
    folder = unquote(parts.path.lstrip("/")) or "INBOX"
    move_to = parse_qs(parts.query).get("move_to", [None])[0]
    return client, folder, move_to


def imap_poll(*, mailbox: str, connect: Callable[[str], tuple[Any, str, str | None]] = _connect
              ) -> int:  # fmt: skip
    """Store every new message of one mailbox; returns how many were new to us."""
    url = settings.IMAP_MAILBOXES[mailbox]
    lock = redis.Redis.from_url(settings.REDIS_URL).lock(
        f"helpdesk:imap:{mailbox}", timeout=600, blocking=False
    )
    if not lock.acquire():
        logger.info("imap %s: another poll holds the lock", mailbox)
        return 0
    stored = 0
    try:
        client, folder, move_to = connect(url)
        try:
            client.select_folder(folder)
            uids = client.search(["NOT", "DELETED", "NOT", "KEYWORD", STORED_FLAG.decode()])
            for start in range(0, len(uids), BATCH):
                batch = uids[start : start + BATCH]
                for uid, data in client.fetch(batch, ["BODY.PEEK[]"]).items():
                    raw = data.get(b"BODY[]") or b""
                    _row, created = inbound_store(
                        raw=raw, source=InboundPayload.Source.IMAP, origin=mailbox
                    )
                    stored += int(created)
                    # Only now, with the raw bytes committed, may the mailbox forget it.
                    if move_to:
                        client.move([uid], move_to)
                    else:
                        client.add_flags([uid], [STORED_FLAG, b"\\Seen"])
        finally:
            try:
                client.logout()
            except Exception:
                logger.debug("imap %s: logout failed", mailbox)
    finally:
        lock.release()
    return stored
