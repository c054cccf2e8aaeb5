"""The huey instance: SQLite in the data folder by default, Redis when configured."""

from __future__ import annotations

import os
import socket
import subprocess
import sys

import pytest
from huey import SqliteHuey

from orion_server import task_queue
from orion_server.config import get_settings


def test_default_storage_is_sqlite_in_the_data_folder(monkeypatch, tmp_path):
    """Without ORION_TASKS_URL the queue lives in tasks.db in the data folder."""
    settings = get_settings()
    monkeypatch.setattr(settings, "tasks_immediate", False)
    monkeypatch.setattr(settings, "tasks_url", "")
    monkeypatch.setattr(settings, "data_dir", tmp_path)
    huey = task_queue._make_huey()
    assert isinstance(huey, SqliteHuey)
    assert (tmp_path / "tasks.db").exists()


def _redis_up() -> bool:
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=1).close()
        return True
    except OSError:
        return False


REDIS_ROUND_TRIP = """
import sys
from huey import RedisHuey
from orion_server.task_queue import huey
assert isinstance(huey.instance, RedisHuey), type(huey.instance)
assert "redis" in sys.modules
huey.flush()

@huey.task()
def add(a, b):
    return a + b

result = add(2, 3)
assert huey.pending_count() == 1
huey.execute(huey.dequeue())
print(result.get())
huey.flush()
"""


@pytest.mark.skipif(not _redis_up(), reason="no Redis on 127.0.0.1:6379")
def test_redis_url_selects_a_redis_queue_that_round_trips(tmp_path):
    """ORION_TASKS_URL=redis://... stores tasks in Redis (a process configured as an operator
    would: huey is imported with the Redis client only when the queue is in Redis)."""
    # the SQLite and PostgreSQL runs of make test go side by side: one Redis database each
    index = 14 if os.environ.get("ORION_TEST_DATABASE_URL") else 15
    env = {k: v for k, v in os.environ.items() if not k.startswith("ORION_")}
    env.update(ORION_DATA_DIR=str(tmp_path), ORION_TASKS_URL=f"redis://127.0.0.1:6379/{index}")
    done = subprocess.run([sys.executable, "-c", REDIS_ROUND_TRIP], env=env, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.split()[-1] == "5"
