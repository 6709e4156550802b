"""``GET /healthz``: is the database, Redis and at least one Celery worker answering?"""

from __future__ import annotations

import logging

import redis
from django.conf import settings
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from kombu import Connection

from helpdesk.celery import app

logger = logging.getLogger(__name__)


def check_database() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except Exception:
        logger.exception("health: database check failed")
        return False


def check_redis(timeout: float) -> bool:
    try:
        client = redis.Redis.from_url(
            settings.REDIS_URL, socket_connect_timeout=timeout, socket_timeout=timeout
        )
        try:
            return bool(client.ping())
        finally:
            client.close()
    except redis.RedisError:
        logger.warning("health: redis check failed", exc_info=True)
        return False


def check_celery(timeout: float) -> bool:
    try:
        with Connection(
            settings.CELERY_BROKER_URL,
            connect_timeout=timeout,
            transport_options=settings.CELERY_BROKER_TRANSPORT_OPTIONS,
        ) as conn:
            conn.ensure_connection(max_retries=1, timeout=timeout)
            return bool(app.control.ping(timeout=timeout, connection=conn))
    except Exception:
        logger.warning("health: celery check failed", exc_info=True)
        return False


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    timeout = settings.HEALTH_CHECK_TIMEOUT
    redis_ok = check_redis(timeout)
    status = {
        "db": "ok" if check_database() else "down",
        "redis": "ok" if redis_ok else "down",
        # Workers are reached through Redis; with Redis down they cannot answer.
        "celery": "ok" if redis_ok and check_celery(timeout) else "down",
    }
    healthy = all(value == "ok" for value in status.values())
    return JsonResponse(status, status=200 if healthy else 503)
