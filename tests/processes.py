"""Real Celery processes for tests: started against the test database and the tests'
Redis, and waited for until they answer."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from helpdesk.db import database_url_for


def celery_start(arguments: list[str], *, log: Path, **extra_env: str) -> subprocess.Popen:
    """Start ``celery -A helpdesk ARGUMENTS`` with the test settings; extra_env on top."""
    from django.conf import settings
    from django.db import connection

    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "helpdesk.settings.test",
        "DATABASE_URL": database_url_for(connection.settings_dict),
        "REDIS_URL": settings.REDIS_URL,
        **extra_env,
    }
    log.parent.mkdir(parents=True, exist_ok=True)
    return subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "helpdesk", *arguments, "-l", "INFO"],
        env=env, stdout=log.open("w"), stderr=subprocess.STDOUT,
    )  # fmt: skip


def celery_wait_ready(process: subprocess.Popen, *, hostname: str, log: Path) -> None:
    """Wait until the worker named ``hostname`` answers a ping; fail with its log if not."""
    from helpdesk.celery import app

    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"celery worker exited early:\n{log.read_text()[-3000:]}")
        if app.control.ping(destination=[hostname], timeout=0.5):
            return
    process.kill()
    pytest.fail(f"celery worker did not answer within 60s:\n{log.read_text()[-3000:]}")


def celery_stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
