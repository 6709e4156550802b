"""``make run`` end to end: ``python -m helpdesk.run`` starts gunicorn, a worker and beat
with DEBUG off, as users see the product; Ctrl-C (SIGTERM) stops all of them."""

from __future__ import annotations

import re
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import WORKER_QUEUES
from helpdesk.embedded import BASE_DIR
from tests.processes import free_port, http_get, services_env, wait_for


@pytest.fixture
def make_run(tmp_path):
    """``python -m helpdesk.run`` on a free port against the tests' database and Redis,
    with its own static files and beat schedule; stopped the way Ctrl-C stops it."""
    from helpdesk.celery import app

    with app.connection_for_write() as connection:  # tasks left by tests without a worker
        for queue in WORKER_QUEUES:
            connection.default_channel.queue_purge(queue)
    port = free_port()
    (tmp_path / "var").mkdir()
    env = services_env(
        DJANGO_SETTINGS_MODULE="helpdesk.settings.local", PORT=str(port),
        STATIC_ROOT=str(tmp_path / "static"), HELPDESK_VAR_DIR=str(tmp_path / "var"),
    )  # fmt: skip
    env.pop("DEBUG", None)
    log = tmp_path / "run.log"
    process = subprocess.Popen(
        [sys.executable, "-m", "helpdesk.run"], env=env, cwd=BASE_DIR,
        stdout=log.open("w"), stderr=subprocess.STDOUT,
    )  # fmt: skip
    process.base_url, process.log = f"http://127.0.0.1:{port}", log
    yield process
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=40)
        except subprocess.TimeoutExpired:
            process.kill()


def _log(path: Path) -> str:
    return path.read_text(errors="replace")[-3000:]


@pytest.mark.worker
@pytest.mark.django_db
def test_make_run_serves_the_product_with_its_own_error_pages(make_run):
    def healthy() -> tuple[int, str] | None:
        assert make_run.poll() is None, _log(make_run.log)
        try:
            answer = http_get(f"{make_run.base_url}/healthz", timeout=5)
        except OSError:
            return None  # not listening yet
        return answer if answer[0] == 200 else None

    status, body = wait_for(healthy, timeout=90, what="/healthz answering 200")
    assert '"celery": "ok"' in body
    status, page = http_get(f"{make_run.base_url}/no-such-page")

    assert status == 404
    assert "There is nothing at this address" in page  # the product's 404 page
    assert "DEBUG = True" not in page  # not Django's debug page
    stylesheet = re.search(r'href="(/static/css/app\.[0-9a-f]{12}\.css)"', page)
    assert stylesheet, "pages link the hashed files of collectstatic's manifest"
    assert http_get(make_run.base_url + stylesheet.group(1))[0] == 200
    assert "Starting gunicorn" in make_run.log.read_text()

    make_run.send_signal(signal.SIGTERM)

    assert make_run.wait(timeout=40) == 0
