"""Restores and migrations never run under a live server or task consumer, and never without a
backup (issue 10): every server and consumer holds the data folder's lock, whatever port it
uses; a restore keeps a copy of what it replaces; `orion db upgrade` and `orion init` back up
before migrating."""

from __future__ import annotations

import os

import pytest

from orion_server.backups import RESTORE_REASON, UPGRADE_REASON
from orion_server.config import get_settings
from orion_server.running_lock import InstanceRunning, exclusive, running
from tests.support.cli import Installation
from tests.support.databases import drop_database, fresh_database_url
from tests.support.servers import ServerProcess

pytestmark = pytest.mark.skipif(os.name != "posix", reason="flock")


@pytest.fixture
def ready(tmp_path):
    url = fresh_database_url(tmp_path)
    install = Installation(tmp_path / "data", url)
    result = install.run("init", "--admin-email", "a@example.lu", "--admin-password", "a-long-password")
    assert result.returncode == 0, result.stderr
    yield install
    drop_database(url)


def test_a_restore_is_refused_while_a_server_on_any_port_or_a_consumer_runs(ready, tmp_path):
    made = ready.run("db", "backup")
    assert made.returncode == 0, made.stderr
    backup = ready.run("db", "backups", "--json")
    import json

    name = json.loads(backup.stdout)[0]["name"]
    env = ready.env()
    server = ServerProcess(env, tmp_path)  # a free port, not 8000
    try:
        server.wait_ready(timeout=60)
        refused = ready.run("db", "restore", name, "--yes")
        assert refused.returncode == 1 and "stop it before restoring" in refused.stderr
        migrate = ready.run("db", "upgrade")
        assert migrate.returncode == 1 and "stop it before migrating" in migrate.stderr
    finally:
        server.stop()
    restored = ready.run("db", "restore", name, "--yes")
    assert restored.returncode == 0, restored.stderr
    assert "backed up first" in restored.stdout
    reasons = [row["reason"] for row in json.loads(ready.run("db", "backups", "--json").stdout)]
    assert RESTORE_REASON in reasons


def test_the_lock_is_shared_between_users_and_exclusive_for_a_restore(tmp_path):
    import subprocess
    import sys

    settings = get_settings().model_copy(update={"data_dir": tmp_path})
    holder = subprocess.Popen(
        [sys.executable, "-c", "import sys,time\nfrom orion_server.running_lock import hold_shared\n"
         "from orion_server.config import get_settings\n"
         f"hold_shared(get_settings().model_copy(update={{'data_dir': __import__('pathlib').Path({str(tmp_path)!r})}}))\n"
         "print('held', flush=True)\ntime.sleep(60)"],
        stdout=subprocess.PIPE, text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "held"
        assert running(settings)
        with pytest.raises(InstanceRunning), exclusive(settings, "restoring a backup"):
            pass
    finally:
        holder.kill()
        holder.wait()
    assert not running(settings)  # a killed process leaves no stale lock


def test_orion_db_upgrade_backs_up_before_migrating(ready):
    """Nothing pending: no backup. A migration pending: a pre-upgrade backup first."""
    import json

    assert "Backed up" not in ready.run("db", "upgrade").stdout
    down = ready.run("db", "downgrade", "orion_008")
    assert down.returncode == 0, down.stderr
    upgraded = ready.run("db", "upgrade")
    assert upgraded.returncode == 0, upgraded.stderr
    assert "Backed up to" in upgraded.stdout
    reasons = [row["reason"] for row in json.loads(ready.run("db", "backups", "--json").stdout)]
    assert reasons == [UPGRADE_REASON]
