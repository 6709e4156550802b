"""The load generators behind ``manage.py bench --load``, against a small HTTP server on
the loopback interface: both report what they sent, and count failed answers."""

from __future__ import annotations

import shutil
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from helpdesk import loadtest


class _Page(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    seen_cookies: set[str] = set()

    def do_GET(self) -> None:
        _Page.seen_cookies.add(self.headers.get("Cookie", ""))
        status = {"/broken": 500, "/login": 302}.get(self.path, 200)
        body = b"ok"
        self.send_response(status)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def server():
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Page)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


@pytest.mark.parametrize("tool", ["locust", "wrk"])
def test_a_load_run_reports_requests_latency_and_failures(server, tool, monkeypatch):
    if tool == "wrk" and not shutil.which("wrk"):
        pytest.skip("wrk is not installed (the bundled locust is used then)")
    monkeypatch.setattr(loadtest, "load_tool", lambda: tool)
    _Page.seen_cookies.clear()
    run = loadtest.load_run(url=f"{server}/page", cookie="sessionid=abc", seconds=1,
                            connections=2)  # fmt: skip
    assert run["tool"] == tool
    assert run["requests"] > 10
    assert run["requests_per_second"] > 10
    assert run["errors"] == 0
    assert 0 < run["p50_ms"] <= run["p95_ms"]
    assert _Page.seen_cookies == {"sessionid=abc"}
    broken = loadtest.load_run(url=f"{server}/broken", cookie="x=1", seconds=1, connections=1)
    assert broken["errors"] == broken["requests"] > 0
    moved = loadtest.load_run(url=f"{server}/login", cookie="x=1", seconds=1, connections=1)
    assert moved["errors"] == moved["requests"] > 0
