"""Production settings: every secret comes from the environment, no defaults."""

from __future__ import annotations

import os

from django.core.exceptions import ImproperlyConfigured

# Production never starts embedded servers and never falls back to a default secret.
for _name in ("SECRET_KEY", "DATABASE_URL", "REDIS_URL"):
    if not os.environ.get(_name):
        raise ImproperlyConfigured(f"{_name} must be set in the environment for production.")

from .base import *  # noqa: E402, F403
from .base import env  # noqa: E402

DEBUG = False
DEMO_DATA_ALLOWED = False
# Never in production: it shows every email to every agent (helpdesk.checks refuses it).
DEV_MAILBOX = False
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS")
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
EMAIL_BACKEND = env("EMAIL_BACKEND")

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
