"""Serve the helpdesk locally: web server, Celery worker and Celery beat in one terminal.

Started by ``make run`` inside ``python -m helpdesk.embedded``, which provides the
database and Redis. Ctrl-C stops all three (and then the embedded servers).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

PYTHON = sys.executable


def _stop(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def main() -> int:
    # Ctrl-C and `kill` both stop everything, even when started from a background shell
    # (which would otherwise leave SIGINT ignored).
    signal.signal(signal.SIGINT, _stop)
    signal.signal(signal.SIGTERM, _stop)
    port = os.environ.get("PORT", "8000")
    commands = {
        "web": [PYTHON, "manage.py", "runserver", f"127.0.0.1:{port}"],
        "worker": [PYTHON, "-m", "celery", "-A", "helpdesk", "worker", "-l", "INFO",
                   "-Q", "default,inbound,outbound,reports", "--concurrency", "2"],
        "beat": [PYTHON, "-m", "celery", "-A", "helpdesk", "beat", "-l", "INFO",
                 "--schedule", "var/celerybeat-schedule"],
    }  # fmt: skip
    children = {name: subprocess.Popen(argv) for name, argv in commands.items()}  # noqa: S603
    print(
        f"\n  Helpdesk is running at http://127.0.0.1:{port}\n"
        "  Demo logins (password demo1234): admin, lead, agent, agent2\n"
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
    sys.exit(main())
