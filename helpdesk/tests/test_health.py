from __future__ import annotations

import pytest
from django.test import override_settings

UNREACHABLE_REDIS = "redis://127.0.0.1:1/0"


@pytest.mark.worker
@pytest.mark.django_db
def test_healthz_is_ok_with_database_redis_and_a_worker(client, celery_worker_process):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"db": "ok", "redis": "ok", "celery": "ok"}


@pytest.mark.django_db
def test_healthz_reports_503_naming_redis_when_redis_is_unreachable(client):
    with override_settings(
        REDIS_URL=UNREACHABLE_REDIS, CELERY_BROKER_URL=UNREACHABLE_REDIS, HEALTH_CHECK_TIMEOUT=0.5
    ):
        response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json() == {"db": "ok", "redis": "down", "celery": "down"}


@pytest.mark.django_db
def test_healthz_reports_503_when_no_worker_answers(client, settings):
    # A Redis that answers, but a database no worker listens on.
    settings.CELERY_BROKER_URL = settings.REDIS_URL.rsplit("/", 1)[0] + "/8"
    settings.HEALTH_CHECK_TIMEOUT = 0.5

    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json()["celery"] == "down"
    assert response.json()["redis"] == "ok"
