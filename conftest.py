"""Fixtures shared by every app's tests: a real Celery worker and a headless browser."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.processes import celery_start, celery_stop, celery_wait_ready

# Playwright's sync API runs an event loop in the test thread; the ORM calls made by the
# test itself between browser steps are still plain synchronous calls.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-quic", "--no-first-run", "--disable-sync",
]  # fmt: skip


WORKER_QUEUES = ["default", "inbound", "outbound", "reports", "webhooks"]


@pytest.fixture(scope="session")
def _celery_worker(django_db_setup, django_db_blocker) -> Iterator[tuple[subprocess.Popen, str]]:
    """One real ``celery worker`` process for the session, idle between tests: it consumes
    the product's queues only while a test that asked for it runs, so tasks queued by other
    tests never run against the wrong data."""
    log = Path(f"var/test-worker-{os.getpid()}.log")  # one per test process (xdist)
    hostname = f"test-worker-{os.getpid()}@{socket.gethostname()}"
    process = celery_start(
        ["worker", "--pool", "solo", "-Q", f"idle-{os.getpid()}", "-n", hostname], log=log
    )
    celery_wait_ready(process, hostname=hostname, log=log)
    yield process, hostname
    celery_stop(process)


@pytest.fixture
def celery_worker_process(_celery_worker) -> Iterator[subprocess.Popen]:
    """A real Celery worker process consuming the product's queues during this test.

    Tests that use it must commit their data (``transaction=True``) for the worker to see it.
    """
    from helpdesk.celery import app

    process, hostname = _celery_worker
    with app.connection_for_write() as connection:
        for queue in WORKER_QUEUES:  # leftovers of tests that ran without a worker
            connection.default_channel.queue_purge(queue)
    for queue in WORKER_QUEUES:
        app.control.add_consumer(queue, destination=[hostname], reply=True, timeout=10)
    yield process
    # Stop consuming, and make sure it did: a busy machine can miss the reply, and a
    # worker still consuming would take the next tests' tasks into their flush.
    inspect = app.control.inspect(destination=[hostname], timeout=1)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        for queue in WORKER_QUEUES:
            app.control.cancel_consumer(queue, destination=[hostname])
        consumed = (inspect.active_queues() or {}).get(hostname)
        if consumed is not None and not {q["name"] for q in consumed} & set(WORKER_QUEUES):
            break
        time.sleep(0.2)
    # Let every task it took finish before teardown: the one running and those it had
    # already reserved, which it still runs after its queues are cancelled. A task left
    # running into the next test's flush deadlocks with its TRUNCATE.
    # No reply (a busy machine) is not an answer: ask again.
    while time.monotonic() < deadline:
        taken = [(ask() or {}).get(hostname) for ask in (inspect.active, inspect.reserved)]
        if taken == [[], []]:
            break
        time.sleep(0.2)


@pytest.fixture
def celery_beat_process(celery_worker_process, tmp_path) -> Iterator[subprocess.Popen]:
    """A real ``celery beat`` with the beat schedule from settings; the survey sweep runs
    every second instead of every minute so tests need not wait."""
    process = celery_start(
        ["beat", "--schedule", str(tmp_path / "beat-schedule"), "--max-interval", "1"],
        log=Path(f"var/test-beat-{os.getpid()}.log"),
        SURVEY_SWEEP_SECONDS="1",
        SLA_SWEEP_SECONDS="1",
        REPORTS_SWEEP_SECONDS="1",
        WEEKLY_REPORT_SWEEP_SECONDS="1",
        OUTREACH_SWEEP_SECONDS="1",
        MAINTENANCE_SWEEP_SECONDS="1",
        OUTREACH_DELAY_SWEEP_SECONDS="1",
        OUTREACH_WIN_BACK_SWEEP_SECONDS="1",
    )
    yield process
    celery_stop(process)


@pytest.fixture(scope="session")
def browser():
    """Headless Debian Chromium driven by Playwright. Missing Chromium fails in CI."""
    if not (Path(CHROMIUM).exists() or shutil.which("chromium")):
        if os.environ.get("CI") == "true":
            pytest.fail(f"{CHROMIUM} is missing; `make test` installs it (apt package chromium)")
        pytest.skip(f"{CHROMIUM} is not installed")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


# Answers the product gives on purpose to a refused input; the browser logs them too.
EXPECTED_STATUSES = ("status of 409", "status of 422")


@pytest.fixture
def page(browser, live_server):
    """A browser tab on the test server. Any error in its console (a script error, a CSP
    violation, a missing file) fails the test that opened it."""
    context = browser.new_context(base_url=live_server.url, locale="en-US")
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.console_errors = []
    page.on("console", lambda message: message.type == "error" and not any(
        status in message.text for status in EXPECTED_STATUSES
    ) and page.console_errors.append(f"{page.url}: {message.text}"))  # fmt: skip
    page.on("pageerror", lambda error: page.console_errors.append(f"{page.url}: {error}"))
    yield page
    context.close()
    assert not page.console_errors, "errors in the browser console:\n" + "\n".join(
        page.console_errors
    )


@pytest.fixture
def boss(client):
    """An administrator signed in to the admin site with the test client."""
    from tickets.tests.factories import make_agent

    user = make_agent(username="boss", role="admin").user
    client.force_login(user)
    return user


@pytest.fixture
def api_client_for():
    """A factory of DRF test clients, each with a fresh API key of the given scopes
    (default: every scope) and team limits."""
    from rest_framework.test import APIClient

    from core.api.keys import api_key_create

    made = []

    def make(*, scopes=None, teams=(), name=None, **options):
        api_key, key = api_key_create(
            name=name or f"key-{len(made) + 1}", scopes=scopes, teams=teams, **options
        )
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Api-Key {key}")
        client.api_key, client.key = api_key, key
        made.append(client)
        return client

    return make


@pytest.fixture(autouse=True)
def _configuration_read_afresh():
    """Each test reads the configuration (policies, calendars, routing, staff addresses)
    from its own database: another test's rows were rolled back or flushed without a
    signal, so this process's copies of them are dropped."""
    from core.config_cache import config_clear

    config_clear()
    yield
    config_clear()
