"""Serve the helpdesk locally: web server, Celery worker and Celery beat in one terminal.

``make run`` (``python -m helpdesk.run``) shows the product as users see it: gunicorn,
DEBUG off, the hashed static files of ``collectstatic`` served by whitenoise, the
product's own error pages. ``make dev`` (``--dev``) runs Django's autoreloading server
with DEBUG on instead. Both start inside ``python -m helpdesk.embedded``, which provides
the database and Redis. Ctrl-C stops all three (and then the embedded servers).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from helpdesk.embedded import BASE_DIR, VAR_DIR

PYTHON = sys.executable
QUEUES = "default,inbound,outbound,reports,webhooks"


def _stop(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def commands(*, port: str, dev: bool) -> dict[str, list[str]]:
    """What runs: the web server on 127.0.0.1:``port``, one worker for every queue, beat."""
    if dev:
        web = [PYTHON, "manage.py", "runserver", f"127.0.0.1:{port}"]
    else:
        # Four processes of one thread each, on two cores. Threads of one process take
        # turns at the interpreter after every database round trip (a ticket page makes
        # thirteen), so a page waits behind its neighbours' Python; processes do not.
        # Measured under load at a million tickets: 10-15% more pages per second than
        # two processes of four threads, and a p95 of 120 ms instead of 180-440 on the
        # inbox. A slow request (a health check waiting on a worker) holds one of four.
        web = [PYTHON, "-m", "gunicorn", "helpdesk.wsgi:application",
               "--bind", f"127.0.0.1:{port}", "--workers", "4", "--threads", "1",
               "--graceful-timeout", "5", "--no-control-socket"]  # fmt: skip
    return {
        "web": web,
        "worker": [PYTHON, "-m", "celery", "-A", "helpdesk", "worker", "-l", "INFO",
                   "-Q", QUEUES, "--concurrency", "2"],
        "beat": [PYTHON, "-m", "celery", "-A", "helpdesk", "beat", "-l", "INFO",
                 "--schedule", str(VAR_DIR / "celerybeat-schedule")],
    }  # fmt: skip


def environment(*, dev: bool) -> dict[str, str]:
    """The children's environment: local settings (gunicorn's WSGI module would pick
    production ones), and DEBUG as the mode asks, whatever the shell says."""
    env = dict(os.environ)
    env.setdefault("DJANGO_SETTINGS_MODULE", "helpdesk.settings.local")
    env["DEBUG"] = "true" if dev else "false"
    return env


def static_collect(env: dict[str, str]) -> None:
    """With DEBUG off, pages link the hashed file names of ``collectstatic``'s manifest;
    collect them when there is none yet (``make run`` refreshes it when files change)."""
    root = Path(env.get("STATIC_ROOT") or BASE_DIR / "staticfiles")
    if not (root / "staticfiles.json").exists():
        subprocess.run(  # noqa: S603 - our own command
            [PYTHON, "manage.py", "collectstatic", "--noinput", "-v0"], env=env, check=True,
            cwd=BASE_DIR,
        )  # fmt: skip


def main(argv: list[str]) -> int:
    # Ctrl-C and `kill` both stop everything, even when started from a background shell
    # (which would otherwise leave SIGINT ignored).
    signal.signal(signal.SIGINT, _stop)
    signal.signal(signal.SIGTERM, _stop)
    dev = "--dev" in argv
    port = os.environ.get("PORT", "8000")
    env = environment(dev=dev)
    if not dev:
        static_collect(env)
    children = {
        name: subprocess.Popen(argv, env=env, cwd=BASE_DIR)  # noqa: S603
        for name, argv in commands(port=port, dev=dev).items()
    }
    mode = "development mode: DEBUG on, reloading on changes" if dev else "as users see it"
    print(
        f"\n  Helpdesk is running at http://127.0.0.1:{port} ({mode})\n"
        "  Demo logins (password demo1234): admin, lead, agent, agent2, jonas, elif, sam\n"
        f"  Emails it sends: http://127.0.0.1:{port}/dev/mailbox/\n"
        "  Press Ctrl-C to stop everything.\n",
        flush=True,
    )
    exit_code = 0
    try:
        while all(child.poll() is None for child in children.values()):
            time.sleep(0.5)
        exit_code = 1
        for name, child in children.items():
            if child.returncode is not None:
                print(f"{name} exited with {child.returncode}; stopping the rest.", file=sys.stderr)
    except KeyboardInterrupt:
        pass
    finally:
        for child in children.values():
            if child.poll() is None:
                child.send_signal(signal.SIGTERM)
        for child in children.values():
            try:
                child.wait(timeout=15)
            except subprocess.TimeoutExpired:
                child.kill()
    return exit_code


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
