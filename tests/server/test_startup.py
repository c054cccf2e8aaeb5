"""A server worker starts without work it does not need before its first request: after a
kill -9 the shop is back within seconds (issue 10 times it: tests/server/test_campaign.py)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from orion_server.logs import query_logs
from tests.support.cli import Installation
from tests.support.databases import drop_database, fresh_database_url
from tests.support.servers import free_port

PROBE = """
import json, sys, time
started = time.perf_counter()
import orion_server.asgi
from orion_server.auth import passwords
print(json.dumps({"loaded": sorted(m for m in ("stripe", "httpx") if m in sys.modules),
                  "hashed": passwords.dummy_hash.cache_info().currsize}))
"""


def test_a_server_worker_loads_no_payment_library_and_hashes_no_password_at_start(tmp_path):
    """The payment providers' libraries are loaded when a payment needs them, and the
    constant-time sign-in's dummy hash when the first unknown account signs in."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("ORION_")}
    env.update(ORION_DATA_DIR=str(tmp_path), ORION_ENV="production",
               ORION_DATABASE_URL=f"sqlite:///{tmp_path / 'orion.db'}")
    result = subprocess.run([sys.executable, "-c", PROBE], env=env, capture_output=True, text=True, timeout=120)

    assert result.returncode == 0, result.stderr[-2000:]
    assert json.loads(result.stdout.strip().splitlines()[-1]) == {"loaded": [], "hashed": 0}


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
    return found


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads the process table from /proc")
def test_the_server_forks_its_workers_from_the_app_it_built(tmp_path):
    """``orion serve --workers 2`` builds the app once and forks the workers from it (spawned,
    each imported Orion and built the app again, on the same cores); each forked worker writes
    its own records to the log file and logs.db."""
    installation = Installation(tmp_path / "data", fresh_database_url(tmp_path))
    init = installation.run("init", "--admin-email", "admin@example.lu", "--admin-password", "Startup-pass-2026")
    assert init.returncode == 0, init.stdout + init.stderr
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "orion_server", "serve", "--port", str(port), "--workers", "2", "--no-worker"],
        env=installation.env(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        deadline = time.monotonic() + 60
        while True:
            assert server.poll() is None, "the server exited"
            try:
                if httpx.get(f"http://127.0.0.1:{port}/health/ready", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            assert time.monotonic() < deadline, "not ready within 60 s"
            time.sleep(0.05)
        workers = _children(server.pid)
        commands = {pid: Path(f"/proc/{pid}/cmdline").read_bytes() for pid in workers}
        parent_command = Path(f"/proc/{server.pid}/cmdline").read_bytes()
        assert len(workers) == 2, commands
        # a spawned worker runs "python -c 'from multiprocessing.spawn import spawn_main...'"
        assert all(command == parent_command for command in commands.values()), commands
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
        drop_database(installation.database_url)
    started = [json.loads(line) for line in (tmp_path / "data" / "logs" / "orion.log").read_text().splitlines()
               if "Application startup complete" in line]
    assert {row["pid"] for row in started} == set(workers)
    logged = query_logs(tmp_path / "data" / "logs" / "logs.db", text="Application startup complete")
    assert {row["pid"] for row in logged} == set(workers)


def test_what_start_up_builds_is_frozen_and_collection_resumes_even_after_a_failure():
    """Collection is off while Orion starts (it scanned the 350,000 objects being built, again
    and again); afterwards they are frozen, out of every later collection, and collection is on
    again, also when the start failed."""
    import gc

    from orion_server.server import _long_lived_objects

    frozen_before = gc.get_freeze_count()
    try:
        with pytest.raises(RuntimeError), _long_lived_objects():
            assert not gc.isenabled()
            built = [{"route": n} for n in range(1000)]
            raise RuntimeError("the port is taken")
        assert gc.isenabled()
        assert gc.get_freeze_count() >= frozen_before + len(built)
    finally:
        gc.unfreeze()
        gc.enable()


ARENAS = """
import ctypes, os, sys, tempfile, threading
from orion_server.server import fewer_malloc_arenas
fewer_malloc_arenas()
libc = ctypes.CDLL("libc.so.6")
barrier = threading.Barrier(16)
kept = []
def work():
    barrier.wait()
    for _ in range(2000):
        kept.append(bytearray(256))
threads = [threading.Thread(target=work) for _ in range(16)]
for thread in threads: thread.start()
for thread in threads: thread.join()
libc.fopen.restype = ctypes.c_void_p
path = os.path.join(tempfile.mkdtemp(), "malloc.xml")
handle = libc.fopen(path.encode(), b"w")
libc.malloc_info(0, ctypes.c_void_p(handle))
libc.fclose(ctypes.c_void_p(handle))
print(open(path).read().count("<heap nr="))
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's heaps")
def test_the_threads_of_a_server_share_two_heaps():
    """Sixteen threads allocating at once make no more than two glibc heaps (arenas)."""
    env = {key: value for key, value in os.environ.items() if key != "MALLOC_ARENA_MAX"}
    done = subprocess.run([sys.executable, "-c", ARENAS], env=env, capture_output=True, text=True, check=True)
    assert 1 <= int(done.stdout.strip()) <= 2


def test_a_server_on_sqlite_loads_no_postgresql_driver_and_no_redis_client(tmp_path):
    """huey would import psycopg for a task storage Orion never uses, and the Redis client for
    a queue this server does not have; a worker on SQLite has the app built without either,
    and both still import for whoever asks afterwards."""
    script = (
        "import sys\n"
        "import orion_server.asgi\n"
        "print('psycopg' in sys.modules, 'redis' in sys.modules)\n"
        "import psycopg, redis\n"
        "print(psycopg.__name__, redis.__name__)\n"
    )
    env = {**os.environ, "ORION_DATA_DIR": str(tmp_path), "ORION_DATABASE_URL": f"sqlite:///{tmp_path / 'o.db'}"}
    env.pop("ORION_TEST_DATABASE_URL", None)
    done = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["False", "False", "psycopg", "redis"]


def test_a_task_consumer_without_metrics_stops_cleanly(monkeypatch):
    """``orion worker`` ends without an error when its consumer stops (it raised
    UnboundLocalError on every stop while no metrics token was set)."""
    import huey.consumer

    from orion_server import server
    from orion_server.config import get_settings

    settings = get_settings()
    monkeypatch.setattr(settings, "metrics_token", "")
    monkeypatch.setattr(huey.consumer.Consumer, "run", lambda self: None)  # stops at once
    monkeypatch.setattr(server, "hold_shared", lambda settings: None)
    monkeypatch.setattr(server, "_stop_with_parent", lambda what: None)
    monkeypatch.setattr("orion_server.logs.setup_logging", lambda *a, **k: None)
    server.run_worker(workers=1)


def test_a_child_whose_parent_ended_before_it_was_ready_stops(monkeypatch):
    """A task consumer (or a console's server) that comes up after the process that started it
    already ended stops at once: it had been left running, with nobody to stop it."""
    from orion_server import server

    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()
    monkeypatch.setenv(server.PARENT_PID_ENV, str(gone.pid))
    with pytest.raises(SystemExit) as stopped:
        server._stop_with_parent("task consumer")
    assert stopped.value.code == 0
    # a value inherited from elsewhere, naming a live process that is not the parent: ignored
    monkeypatch.setenv(server.PARENT_PID_ENV, str(os.getpid()))
    assert server._stop_with_parent("task consumer") is None
