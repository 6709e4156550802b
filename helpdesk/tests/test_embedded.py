from __future__ import annotations

import os
import subprocess
import sys

import pytest

from helpdesk import embedded


@pytest.fixture
def var_dir(tmp_path, monkeypatch):
    monkeypatch.setattr(embedded, "VAR_DIR", tmp_path)
    monkeypatch.setattr(embedded, "LOCK_FILE", tmp_path / "embedded.lock")
    return tmp_path


def test_a_second_owner_gets_a_clear_message_while_the_first_holds_var(var_dir):
    holder = subprocess.Popen(
        [sys.executable, "-c",
         "import fcntl, sys, time; f = open(sys.argv[1], 'a+'); fcntl.flock(f, fcntl.LOCK_EX);"
         "f.write('4242'); f.flush(); print('locked', flush=True); time.sleep(30)",
         str(var_dir / "embedded.lock")],
        stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert holder.stdout.readline().strip() == "locked"
        with (
            pytest.raises(embedded.EmbeddedServicesBusyError) as excinfo,
            embedded.owned_services(database=False, redis=False),
        ):
            pass
        message = str(excinfo.value)
        assert "in use by another process (pid 4242)" in message
        assert "DATABASE_URL" in message
    finally:
        holder.kill()
        holder.wait()


def test_the_lock_is_released_when_the_owner_exits(var_dir):
    with embedded.owned_services(database=False, redis=False):
        assert (var_dir / "embedded.lock").read_text() != ""
    with embedded.owned_services(database=False, redis=False):
        pass


def test_the_command_runner_passes_through_when_urls_are_set(monkeypatch, var_dir):
    monkeypatch.setenv("DATABASE_URL", "postgres://nobody@127.0.0.1:1/x")
    monkeypatch.setenv("REDIS_URL", "redis://127.0.0.1:1/0")

    code = embedded.main(["--", sys.executable, "-c", "import sys; sys.exit(7)"])

    assert code == 7
    assert not (var_dir / "embedded.lock").exists()


def test_kill_reaches_the_command_and_waits_for_it(tmp_path):
    """`kill` on the runner stops the command it runs (which shuts down cleanly) before
    the runner exits: nothing is left serving without its database."""
    marker = tmp_path / "stopped"
    command = (
        "import signal, sys, time\n"
        "def stop(*args):\n"
        f"    time.sleep(0.3); open({str(marker)!r}, 'w').write('clean'); sys.exit(0)\n"
        "signal.signal(signal.SIGTERM, stop)\n"
        "print('ready', flush=True)\n"
        "time.sleep(30)\n"
    )
    runner = subprocess.Popen(
        [sys.executable, "-m", "helpdesk.embedded", "--", sys.executable, "-c", command],
        stdout=subprocess.PIPE, text=True,
        env={**os.environ, "DATABASE_URL": "postgres://x@127.0.0.1:1/x",
             "REDIS_URL": "redis://127.0.0.1:1/0"},
    )  # fmt: skip
    assert runner.stdout.readline().strip() == "ready"

    runner.terminate()

    assert runner.wait(timeout=10) == 0
    assert marker.read_text() == "clean"
