"""Email backends that inject failure or record sends across processes (pretix's habit)."""

from __future__ import annotations

import os
import time

from anymail.backends.test import EmailBackend as AnymailTestBackend
from anymail.exceptions import AnymailAPIError, AnymailRecipientsRefused


class TransientFailureBackend(AnymailTestBackend):
    def send_messages(self, email_messages):
        raise AnymailAPIError("ESP is having a moment", status_code=503)


class NetworkDownBackend(AnymailTestBackend):
    def send_messages(self, email_messages):
        raise ConnectionError("connection refused")


class RefusedBackend(AnymailTestBackend):
    def send_messages(self, email_messages):
        raise AnymailRecipientsRefused("recipient refused")


class RecordingBackend(AnymailTestBackend):
    """Sends slowly and appends each Message-ID to a file once the 'ESP' accepted it, so
    a test in another process can count sends even after this worker is killed."""

    def send_messages(self, email_messages):
        time.sleep(float(os.environ.get("OUTBOX_TEST_SEND_DELAY", "0.2")))
        sent = super().send_messages(email_messages)
        with open(os.environ["OUTBOX_TEST_RECORD"], "a") as record:
            for message in email_messages:
                record.write(message.extra_headers["Message-ID"] + "\n")
            record.flush()
            os.fsync(record.fileno())
        return sent
