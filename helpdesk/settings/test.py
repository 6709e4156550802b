"""Settings for the test suite: real PostgreSQL and Redis, test mail backend."""

from __future__ import annotations

import os

os.environ.setdefault("SECRET_KEY", "test-only-not-secret")

from .base import *  # noqa: F403

DEBUG = False
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
SITE_URL = "http://testserver"
DEMO_DATA_ALLOWED = True
# A worker started by a test may be given a recording backend (tickets.tests.backends).
EMAIL_BACKEND = env("TEST_EMAIL_BACKEND", default="anymail.backends.test.EmailBackend")  # noqa: F405
OUTBOX_QUEUE = env("OUTBOX_QUEUE", default="outbound")  # noqa: F405
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Tests use their own Redis database, so a development server sharing the same Redis
# never picks up a test's task (and the other way round); each pytest-xdist process has
# one of its own too, so one process's worker never takes another's task (whose rows are
# in the other process's test database).
_XDIST = os.environ.get("PYTEST_XDIST_WORKER", "gw0")[2:]
_REDIS_DB = 9 + (int(_XDIST) if _XDIST.isdigit() else 0)
REDIS_URL = env(  # noqa: F405
    "TEST_REDIS_URL",
    default=REDIS_URL.rsplit("/", 1)[0] + f"/{_REDIS_DB}",  # noqa: F405
)
CACHES["default"]["LOCATION"] = REDIS_URL  # noqa: F405
CELERY_BROKER_URL = CELERY_RESULT_BACKEND = REDIS_URL
CELERY_TASK_ALWAYS_EAGER = False
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True
# Webhook tests post to receivers on 127.0.0.1; production refuses loopback.
WEBHOOK_ALLOW_LOOPBACK = True
# Quiet hours follow the wall clock; the tests that are about them turn them on.
OUTREACH_QUIET_HOURS = env("OUTREACH_QUIET_HOURS", default="")  # noqa: F405
OUTREACH_QUIET_WEEKDAYS = []
