"""The data folder is private to the account running Orion (issue 10): the database, the task
queue, logs, backups and media hold customers' data and credentials."""

from __future__ import annotations

import os
import stat

import pytest

from orion_server.config import get_settings, protect_data_dir

pytestmark = pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")


def _mode(path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_files_left_readable_by_an_older_version_are_closed(tmp_path):
    data = tmp_path / "data"
    (data / "backups").mkdir(parents=True)
    (data / "logs").mkdir()
    for name in ("orion.db", "tasks.db", "backups/orion-2026.db", "logs/logs.db"):
        (data / name).write_text("x")
        (data / name).chmod(0o644)
    (data / "backups").chmod(0o755)
    old_umask = os.umask(0o022)
    try:
        protect_data_dir(get_settings().model_copy(update={"data_dir": data}))
        assert _mode(data) == 0o700 and _mode(data / "backups") == 0o700
        for name in ("orion.db", "tasks.db", "backups/orion-2026.db", "logs/logs.db"):
            assert _mode(data / name) == 0o600, name
        (data / "media.png").write_bytes(b"new")  # created afterwards: private from the start
        assert _mode(data / "media.png") == 0o600
    finally:
        os.umask(old_umask)


def test_a_real_server_data_folder_is_private(tmp_path):
    """`orion init` run as a fresh process: every file it makes is the owner's only."""
    from tests.support.cli import Installation
    from tests.support.databases import drop_database, fresh_database_url

    url = fresh_database_url(tmp_path)
    install = Installation(tmp_path / "data", url)
    try:
        result = install.run("init", "--admin-email", "a@example.lu", "--admin-password", "a-long-password")
        assert result.returncode == 0, result.stderr
        loose = [str(p) for p in (tmp_path / "data").rglob("*") if _mode(p) & 0o077]
        assert loose == []
    finally:
        drop_database(url)
