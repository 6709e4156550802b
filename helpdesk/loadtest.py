"""Load tests through the production server, on this machine's loopback interface.

``production_server`` starts gunicorn exactly as ``make run`` does (helpdesk/run.py:
four single-threaded processes) with production settings on a free local port;
``load_run`` drives one page with ``wrk`` when it is installed, else with the bundled
``locust`` (headless), and reports requests per second and the client's latency.
Both generators run on the same cores as the server, as the budgets assume.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from django.conf import settings
from django.db import connection

from helpdesk.db import database_url_for
from helpdesk.embedded import BASE_DIR

# wrk prints its summary through this script: one JSON line, with the 95th percentile
# (its own report stops at 50/75/90/99), and every answer but a 200 counted as failed (a
# redirect to the login page is fast and must not pass for a page).
WRK_SCRIPT = """
wrk.headers["Cookie"] = os.getenv("LOAD_COOKIE")
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args) wrong = 0 end
function response(status, headers, body) if status ~= 200 then wrong = wrong + 1 end end
function done(summary, latency, requests)
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write
    + summary.errors.timeout
  for _, thread in ipairs(threads) do errors = errors + thread:get("wrong") end
  io.write(string.format(
    '\\n{"requests": %d, "seconds": %f, "p50_ms": %f, "p95_ms": %f, "errors": %d}\\n',
    summary.requests, summary.duration / 1e6, latency:percentile(50) / 1000,
    latency:percentile(95) / 1000, errors))
end
"""
LOCUSTFILE = Path(__file__).with_name("locustfile.py")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def production_environment() -> dict[str, str]:
    """Production settings pointed at this process's database and Redis, on plain HTTP."""
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "helpdesk.settings.production",
        "SECRET_KEY": settings.SECRET_KEY,
        "ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": database_url_for(connection.settings_dict),
        "REDIS_URL": settings.REDIS_URL,
        "EMAIL_BACKEND": "anymail.backends.test.EmailBackend",
        "SECURE_SSL_REDIRECT": "false",
        "LOG_LEVEL": "WARNING",
    }


@contextlib.contextmanager
def production_server(*, workers: int | None = None, threads: int | None = None) -> Iterator[str]:
    """gunicorn as ``make run`` starts it (or with other ``workers`` and ``threads``);
    yields its base URL and stops it afterwards."""
    from helpdesk.run import commands

    env = production_environment()
    # Production serves hashed static files; build them once like a deployment does.
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        env=env, check=True, cwd=BASE_DIR,
    )  # fmt: skip
    port = free_port()
    web = [*commands(port=str(port), dev=False)["web"], "--log-level", "warning"]
    for option, value in (("--workers", workers), ("--threads", threads)):
        if value:
            web[web.index(option) + 1] = str(value)
    server = subprocess.Popen(web, env=env, cwd=BASE_DIR)  # noqa: S603
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), 0.2).close()
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise RuntimeError("gunicorn did not start") from None
                time.sleep(0.1)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()


def load_tool() -> str:
    return "wrk" if shutil.which("wrk") else "locust"


def load_run(*, url: str, cookie: str, seconds: int, connections: int) -> dict:
    """GET ``url`` over ``connections`` keep-alive connections for ``seconds``: requests
    per second, p50/p95 latency as the client saw it, and failed requests."""
    if load_tool() == "wrk":
        return _wrk(url=url, cookie=cookie, seconds=seconds, connections=connections)
    return _locust(url=url, cookie=cookie, seconds=seconds, connections=connections)


def _wrk(*, url: str, cookie: str, seconds: int, connections: int) -> dict:
    with tempfile.NamedTemporaryFile("w", suffix=".lua") as script:
        script.write(WRK_SCRIPT)
        script.flush()
        done = subprocess.run(  # noqa: S603
            ["wrk", "--threads", "1", "--connections", str(connections),  # noqa: S607
             "--duration", f"{seconds}s", "--timeout", "10s", "--script", script.name, url],
            env={**os.environ, "LOAD_COOKIE": cookie}, capture_output=True, text=True,
            check=True,
        )  # fmt: skip
    summary = json.loads(done.stdout.strip().splitlines()[-1])
    return _result("wrk", summary)


def _locust(*, url: str, cookie: str, seconds: int, connections: int) -> dict:
    base, _, path = url.partition("://")[2].partition("/")
    done = subprocess.run(  # noqa: S603
        [sys.executable, "-m", "locust", "--locustfile", str(LOCUSTFILE), "--headless",
         "--users", str(connections), "--spawn-rate", str(connections),
         "--run-time", f"{seconds}s", "--host", f"http://{base}", "--json",
         "--loglevel", "WARNING", "--exit-code-on-error", "0"],
        env={**os.environ, "LOAD_COOKIE": cookie, "LOAD_PATH": f"/{path}"},
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    # One entry per page: counts, and response times in milliseconds (rounded the way
    # locust buckets them) with how many answers took each.
    (stats,) = json.loads(done.stdout)
    times = sorted((float(ms), count) for ms, count in stats["response_times"].items())
    summary = {
        "requests": stats["num_requests"],
        "seconds": max(stats["last_request_timestamp"] - stats["start_time"], 1e-3),
        "p50_ms": _percentile(times, 0.50),
        "p95_ms": _percentile(times, 0.95),
        "errors": stats["num_failures"],
    }
    return _result("locust", summary)


def _percentile(times: list[tuple[float, int]], share: float) -> float:
    total = sum(count for _ms, count in times)
    seen = 0
    for ms, count in times:
        seen += count
        if seen >= share * total:
            return ms
    return 0.0


def _result(tool: str, summary: dict) -> dict:
    return {
        "tool": tool,
        "requests": summary["requests"],
        "requests_per_second": round(summary["requests"] / summary["seconds"], 1),
        "p50_ms": round(summary["p50_ms"], 1),
        "p95_ms": round(summary["p95_ms"], 1),
        "errors": summary["errors"],
    }
