"""Helpers for the email channel tests: fixtures on disk and a synchronous pipeline."""

from __future__ import annotations

from pathlib import Path

from messaging.inbound import inbound_process, inbound_store
from messaging.models import InboundPayload

FIXTURES = Path(__file__).resolve().parents[2] / "messaging" / "tests" / "fixtures"


def eml(name: str, **substitutions: str) -> bytes:
    raw = (FIXTURES / "eml" / name).read_bytes()
    for key, value in substitutions.items():
        raw = raw.replace(("{" + key + "}").encode(), value.encode())
    return raw


def deliver(raw: bytes, *, source: str = InboundPayload.Source.PIPE) -> InboundPayload:
    """Store and process one raw email the way the worker would, in this thread."""
    row, _created = inbound_store(raw=raw, source=source, origin="test")
    inbound_process(inbound_id=row.pk)
    row.refresh_from_db()
    return row


def compose(
    *, sender: str, subject: str = "Hello", body: str = "Hi there", message_id: str = "",
    in_reply_to: str = "", extra_headers: str = "",
) -> bytes:  # fmt: skip
    headers = [f"From: {sender}", "To: support@shop.example", f"Subject: {subject}"]
    if message_id:
        headers.append(f"Message-ID: {message_id}")
    if in_reply_to:
        headers += [f"In-Reply-To: {in_reply_to}", f"References: {in_reply_to}"]
    if extra_headers:
        headers.append(extra_headers.strip())
    headers += ["MIME-Version: 1.0", "Content-Type: text/plain; charset=utf-8"]
    return ("\r\n".join(headers) + "\r\n\r\n" + body + "\r\n").encode()
