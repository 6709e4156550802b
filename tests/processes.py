"""Real Celery processes for tests: started against the test database and the tests'
Redis, and waited for until they answer."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import pytest

from helpdesk.db import database_url_for

T = TypeVar("T")


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

    deadline = time.monotonic() + 120  # a loaded 2-core machine starts it slowly
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"celery worker exited early:\n{log.read_text()[-3000:]}")
        if app.control.ping(destination=[hostname], timeout=0.5):
            return
    process.kill()
    pytest.fail(f"celery worker did not answer within 120s:\n{log.read_text()[-3000:]}")


def celery_stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()


def services_env(**extra_env: str) -> dict[str, str]:
    """The environment of a child process that uses the tests' database and Redis (and
    so starts no embedded server), with ``extra_env`` on top."""
    from django.conf import settings
    from django.db import connection

    return {
        **os.environ,
        "DATABASE_URL": database_url_for(connection.settings_dict),
        "REDIS_URL": settings.REDIS_URL,
        **extra_env,
    }


def settings_of(module: str, names: list[str], **extra_env: str) -> dict[str, object]:
    """Settings ``names`` as a fresh process with settings ``module`` reads them (module
    settings are read once per process, so a test cannot change the environment under
    them in its own)."""
    env = services_env(DJANGO_SETTINGS_MODULE=module, **extra_env)
    for name in ("PORT", "SITE_URL", "DEBUG", "SURVEY_SWEEP_SECONDS"):
        if name not in extra_env:
            env.pop(name, None)
    script = (
        "import json, django; from django.conf import settings; django.setup(); "
        f"print(json.dumps({{n: getattr(settings, n) for n in {names!r}}}, default=str))"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=60,
        check=True,
    )  # fmt: skip
    return json.loads(result.stdout.strip().splitlines()[-1])


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def http_get(url: str, *, timeout: float = 5.0) -> tuple[int, str]:
    """Status and body of a GET; error statuses are answers too."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:  # noqa: S310 - loopback
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def wait_for(condition: Callable[[], T | None], *, timeout: float, what: str) -> T:
    """The first truthy value of ``condition()`` within ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = condition()
        if result:
            return result
        time.sleep(0.25)
    pytest.fail(f"{what} did not happen within {timeout:.0f} s")
