"""Settings for a developer's machine. ``make run`` shows the product as users see it:
DEBUG off, gunicorn, collected static files; ``make dev`` turns DEBUG on (DEBUG=true)
for Django's autoreloading server and debug pages. Demo data is allowed, outgoing mail
stays in the development mailbox, and surveys follow within seconds."""

from __future__ import annotations

import os
from datetime import timedelta

os.environ.setdefault("SECRET_KEY", "local-development-only-not-secret")

from .base import *  # noqa: F403

ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]"]
# Every link in an email points at the server this machine runs (PORT=8711 make run).
PORT = env.int("PORT", default=8000)  # noqa: F405
SITE_URL = env("SITE_URL", default=f"http://127.0.0.1:{PORT}").rstrip("/")  # noqa: F405
# Demo data may only ever be loaded on a local setup.
DEMO_DATA_ALLOWED = True
# Outgoing mail is kept in the database and shown in the development mailbox.
EMAIL_BACKEND = env("EMAIL_BACKEND", default="anymail.backends.test.EmailBackend")  # noqa: F405
DEV_MAILBOX = True
# Beat sends due surveys every 10 seconds, so a solved demo ticket's survey (20 s after
# solving, see helpdesk.demodata) is in the mailbox well within a minute.
CELERY_BEAT_SCHEDULE["surveys-send-due"]["schedule"] = timedelta(  # noqa: F405
    seconds=env.float("SURVEY_SWEEP_SECONDS", default=10)  # noqa: F405
)
