"""A server started by the console ends when the console is gone, even when it was killed."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time

import httpx
import pytest

from tests.support.cli import Installation
from tests.support.databases import drop_database, fresh_database_url
from tests.support.servers import free_port

pytestmark = pytest.mark.slow


@pytest.fixture
def installation(tmp_path):
    url = fresh_database_url(tmp_path)
    install = Installation(tmp_path / "data", url)
    result = install.run("init", "--admin-email", "admin@example.lu", "--admin-password", "a-long-password")
    assert result.returncode == 0, result.stderr
    yield install
    drop_database(url)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:  # a zombie (ended, not yet reaped by init) counts as gone
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().split(") ", 1)[1][0] != "Z"
    except FileNotFoundError:
        return False


def test_a_server_whose_console_is_killed_stops_by_itself(installation, tmp_path):
    """A stand-in console starts `orion serve` with ORION_PARENT_PID set as the console does,
    then dies by SIGKILL; the server (and its task consumer) end within a few seconds."""
    port = free_port()
    pid_file = tmp_path / "server.pid"
    console = textwrap.dedent(f"""
        import os, subprocess, sys, time
        env = dict(os.environ, ORION_PARENT_PID=str(os.getpid()))
        child = subprocess.Popen([sys.executable, "-m", "orion_server", "serve", "--port", "{port}"],
                                 env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        open({str(pid_file)!r}, "w").write(str(child.pid))
        time.sleep(600)
    """)
    stand_in = subprocess.Popen([sys.executable, "-c", console], env=installation.env())
    try:
        deadline = time.monotonic() + 40
        ready = False
        while time.monotonic() < deadline and not ready:
            try:
                ready = httpx.get(f"http://127.0.0.1:{port}/health/ready", timeout=1).status_code == 200
            except httpx.HTTPError:
                time.sleep(0.2)
        assert ready, "the server did not start"
        server_pid = int(pid_file.read_text())
        stand_in.send_signal(signal.SIGKILL)
        stand_in.wait()
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline and _alive(server_pid):
            time.sleep(0.2)
        assert not _alive(server_pid), "the server outlived the console that started it"
    finally:
        if stand_in.poll() is None:
            stand_in.kill()
        if pid_file.exists():
            try:
                os.kill(int(pid_file.read_text()), signal.SIGKILL)
            except ProcessLookupError:
                pass
