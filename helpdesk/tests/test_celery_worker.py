from __future__ import annotations

import pytest

from helpdesk.tasks import echo, heartbeat


@pytest.mark.worker
def test_a_task_runs_in_a_real_worker_process(celery_worker_process):
    result = echo.delay("round trip")

    assert result.get(timeout=30) == "round trip"
    assert celery_worker_process.poll() is None


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_the_heartbeat_task_from_the_beat_schedule_runs_in_the_worker(
    celery_worker_process, settings
):
    from django.core.cache import cache

    entry = settings.CELERY_BEAT_SCHEDULE["heartbeat"]
    assert entry["task"] == heartbeat.name

    stamp = heartbeat.apply_async().get(timeout=30)

    assert cache.get("celery:last_heartbeat") == stamp
