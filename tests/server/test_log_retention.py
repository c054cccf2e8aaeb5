"""logs.db and the JSON log files keep to their retention (``logs_max_days``, ``logs_max_mb``):
the oldest records and rotated files go first, by age and by size, through the periodic task
the consumer runs, so bogus traffic cannot fill the disk."""

from __future__ import annotations

import logging
import os
import sqlite3
from datetime import UTC, datetime, timedelta

import pytest
from huey.api import PeriodicTask

from orion_server import log_tasks
from orion_server.config import get_settings
from orion_server.logs import (
    LOG_DB,
    LOG_FILE,
    TABLE,
    enforce_retention,
    open_log_database,
    query_logs,
    setup_logging,
    shutdown_logging,
    trim_log_database,
    trim_log_files,
)

NOW = datetime(2026, 12, 7, 12, 0, tzinfo=UTC)


def _fill(path, count: int, *, start: datetime, step: timedelta, size: int = 100) -> None:
    database = open_log_database(path)
    database[TABLE].insert_all(
        {"ts": (start + step * n).isoformat(timespec="milliseconds"), "level": "INFO", "levelno": 20,
         "logger": "bogus.traffic", "source": "bogus", "process": "server", "pid": 1,
         "message": f"request {n} " + "x" * size, "exception": None}
        for n in range(count)
    )
    database.close()


def _ids(path) -> list[int]:
    with sqlite3.connect(path) as connection:
        return [row[0] for row in connection.execute(f"SELECT id FROM {TABLE} ORDER BY id")]


def test_records_older_than_the_retention_are_deleted(tmp_path):
    path = tmp_path / LOG_DB
    _fill(path, 40, start=NOW - timedelta(days=40), step=timedelta(days=1))  # one a day, the last yesterday
    too_old, over = trim_log_database(path, max_age=timedelta(days=30), max_bytes=100 * 1024 * 1024, now=NOW)
    assert (too_old, over) == (10, 0)
    rows = query_logs(path, limit=100)
    assert len(rows) == 30 and rows[0]["message"].startswith("request 10 ")
    assert min(datetime.fromisoformat(r["ts"]) for r in rows) >= NOW - timedelta(days=30)


def test_the_oldest_records_go_until_the_database_fits_its_size_and_the_disk_gets_it_back(tmp_path):
    path = tmp_path / LOG_DB
    _fill(path, 12_000, start=NOW - timedelta(hours=2), step=timedelta(milliseconds=500), size=900)
    big = path.stat().st_size
    assert big > 10 * 1024 * 1024
    limit = 2 * 1024 * 1024
    too_old, over = trim_log_database(path, max_age=timedelta(days=30), max_bytes=limit, now=NOW)
    assert too_old == 0 and over > 9000
    ids = _ids(path)
    assert ids[-1] == 12_000 and ids == list(range(ids[0], 12_001))  # the newest stay, without a gap
    assert path.stat().st_size <= limit  # the file itself shrank (incremental auto-vacuum)
    assert not (tmp_path / f"{LOG_DB}-wal").exists() or (tmp_path / f"{LOG_DB}-wal").stat().st_size < limit


def test_a_logs_db_of_an_earlier_version_gains_the_new_columns_and_shrinks_once_trimmed(tmp_path):
    path = tmp_path / LOG_DB
    with sqlite3.connect(path) as connection:  # the table as it was, without auto-vacuum
        connection.execute(f"CREATE TABLE {TABLE} (id INTEGER PRIMARY KEY, ts TEXT, level TEXT, levelno INTEGER, "
                           "logger TEXT, source TEXT, process TEXT, pid INTEGER, message TEXT, exception TEXT)")
    _fill(path, 4000, start=NOW - timedelta(hours=1), step=timedelta(milliseconds=500), size=900)
    trim_log_database(path, max_age=timedelta(days=30), max_bytes=1024 * 1024, now=NOW)
    assert path.stat().st_size <= 1024 * 1024
    with sqlite3.connect(path) as connection:
        assert connection.execute("PRAGMA auto_vacuum").fetchone()[0] == 2  # incremental from now on
        columns = {row[1] for row in connection.execute(f"PRAGMA table_info({TABLE})")}
    assert {"platform", "store"} <= columns


def _rotated(folder, name: str, size: int, age: timedelta) -> None:
    path = folder / name
    path.write_bytes(b"{}\n" * (size // 3))
    moment = (NOW - age).timestamp()
    os.utime(path, (moment, moment))


def test_rotated_log_files_go_by_age_then_oldest_first_by_size(tmp_path):
    (tmp_path / LOG_FILE).write_bytes(b"{}\n" * 1000)  # being written: always stays
    _rotated(tmp_path, f"{LOG_FILE}.1", 300_000, timedelta(hours=1))
    _rotated(tmp_path, f"{LOG_FILE}.2", 300_000, timedelta(days=2))
    _rotated(tmp_path, f"{LOG_FILE}.3", 300_000, timedelta(days=5))
    _rotated(tmp_path, f"{LOG_FILE}.4", 300_000, timedelta(days=45))
    removed = trim_log_files(tmp_path, max_age=timedelta(days=30), max_bytes=700_000, now=NOW)
    assert removed == [f"{LOG_FILE}.4", f"{LOG_FILE}.3"]  # too old; then the oldest while over the size
    assert sorted(p.name for p in tmp_path.iterdir()) == [LOG_FILE, f"{LOG_FILE}.1", f"{LOG_FILE}.2"]


def test_the_consumers_periodic_task_keeps_the_data_folder_logs_within_the_settings(monkeypatch):
    settings = get_settings()
    monkeypatch.setattr(settings, "logs_max_days", 7)
    monkeypatch.setattr(settings, "logs_max_mb", 1)
    folder = settings.logs_dir
    path = folder / LOG_DB
    for leftover in folder.glob(f"{LOG_DB}*"):
        leftover.unlink()
    now = datetime.now(UTC)
    _fill(path, 10, start=now - timedelta(days=20), step=timedelta(hours=1))
    _fill(path, 3000, start=now - timedelta(hours=1), step=timedelta(milliseconds=500), size=900)
    try:
        task = log_tasks.trim_logs.task_class()
        assert isinstance(task, PeriodicTask)
        assert task.validate_datetime(datetime(2026, 12, 7, 12, 10)) and not task.validate_datetime(
            datetime(2026, 12, 7, 12, 11))
        log_tasks.trim_logs.call_local()
        rows = query_logs(path, limit=10_000)
        assert rows and all(datetime.fromisoformat(r["ts"]) >= now - timedelta(days=7) for r in rows)
        assert path.stat().st_size <= 1024 * 1024
    finally:
        for leftover in folder.glob(f"{LOG_DB}*"):
            leftover.unlink()


@pytest.fixture
def logging_to(tmp_path):
    setup_logging("test", level="INFO", logs_dir=tmp_path)
    yield tmp_path
    shutdown_logging()


def test_retention_leaves_a_logs_db_being_written_usable(logging_to):
    log = logging.getLogger("orion_server.test")
    log.info("before the trim")
    shutdown_logging()
    setup_logging("test", level="INFO", logs_dir=logging_to)
    report = enforce_retention(logging_to, max_days=1, max_mb=1, now=datetime.now(UTC) + timedelta(days=2))
    assert report.records_too_old >= 1
    log.info("after the trim")
    shutdown_logging()
    assert [r["message"] for r in query_logs(logging_to / LOG_DB)] == ["after the trim"]
