"""Posting recorded ESP webhooks through anymail's real views, signed as the ESP signs."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json

from django.test import Client

from messaging.inbound import inbound_process
from messaging.models import InboundPayload
from tickets.tests.email_helpers import FIXTURES

SECRET = "hook:s3cret"
MAILGUN_SIGNING_KEY = "key-test-mailgun-signing"
AUTH = {"HTTP_AUTHORIZATION": "Basic " + base64.b64encode(SECRET.encode()).decode()}
BAD_AUTH = {"HTTP_AUTHORIZATION": "Basic " + base64.b64encode(b"hook:wrong").decode()}
ANYMAIL_SETTINGS = {"WEBHOOK_SECRET": SECRET, "MAILGUN_WEBHOOK_SIGNING_KEY": MAILGUN_SIGNING_KEY}


def payload(name: str) -> dict:
    return json.loads((FIXTURES / "webhooks" / name).read_text())


def mailgun_signed(data: dict, *, token: str, timestamp: str = "1795425243") -> dict:
    """A Mailgun inbound post under another token (anymail's event id), signed the way
    Mailgun signs: HMAC-SHA256 of timestamp + token with the webhook signing key."""
    signature = hmac.new(
        MAILGUN_SIGNING_KEY.encode(), f"{timestamp}{token}".encode(), hashlib.sha256
    ).hexdigest()
    return data | {"token": token, "timestamp": timestamp, "signature": signature}


def process_all() -> None:
    for pk in InboundPayload.objects.filter(state="received").values_list("pk", flat=True):
        inbound_process(inbound_id=pk)


def post_mailgun(client: Client, data: dict, **extra):
    return client.post("/anymail/mailgun/inbound_mime/", data, **extra)


def post_postmark(client: Client, data: dict, **extra):
    return client.post("/anymail/postmark/inbound/", json.dumps(data),
                       content_type="application/json", **extra)  # fmt: skip


def post_sendgrid(client: Client, data: dict, **extra):
    return client.post("/anymail/sendgrid/inbound/", data, **extra)
