"""Settings for a developer's machine (`make run`): debug on, demo data allowed."""

from __future__ import annotations

import os

os.environ.setdefault("SECRET_KEY", "local-development-only-not-secret")
os.environ.setdefault("DEBUG", "true")

from .base import *  # noqa: F403

ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]"]
# Demo data may only ever be loaded on a local setup.
DEMO_DATA_ALLOWED = True
# Outgoing mail is kept in the database and shown in the development mailbox.
EMAIL_BACKEND = env("EMAIL_BACKEND", default="anymail.backends.test.EmailBackend")  # noqa: F405
DEV_MAILBOX = True
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True
