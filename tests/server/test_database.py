"""SQLite's transaction rules and the revision-keyed cache."""

from __future__ import annotations

import sqlite3
import sys
import time

import pytest
from sqlalchemy import text
from sqlalchemy.exc import OperationalError

from orion_server.database import begin_write, make_engine


@pytest.fixture
def sqlite_engine(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'lock.db'}")
    with engine.begin() as connection:
        connection.execute(text("CREATE TABLE stock (id INTEGER PRIMARY KEY, qty INTEGER)"))
        connection.execute(text("INSERT INTO stock VALUES (1, 10)"))
    yield engine
    engine.dispose()


def test_sqlite_connections_use_wal_foreign_keys_a_busy_timeout_and_full_sync(sqlite_engine):
    """Every connection is set up with WAL, foreign keys on and a busy timeout."""
    with sqlite_engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 5000
        assert connection.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL: commits survive power loss
        assert connection.exec_driver_sql("PRAGMA cache_size").scalar() == -1024  # 1 MB per connection


def test_sqlite_reads_happen_inside_a_real_transaction(sqlite_engine):
    """A read opens a transaction (BEGIN is sent), so it sees one snapshot."""
    with sqlite_engine.connect() as connection:
        connection.execute(text("SELECT qty FROM stock"))
        assert connection.connection.dbapi_connection.in_transaction


def test_a_write_session_holds_the_write_lock_from_its_first_statement(sqlite_engine):
    """begin_write takes the lock up front: a second writer cannot start meanwhile."""
    from sqlalchemy.orm import Session

    first = Session(sqlite_engine)
    begin_write(first)
    first.execute(text("SELECT qty FROM stock"))
    other = sqlite3.connect(str(sqlite_engine.url.database), timeout=0.1, isolation_level=None)
    try:
        with pytest.raises(sqlite3.OperationalError, match="locked"):
            other.execute("BEGIN IMMEDIATE")
    finally:
        other.close()
        first.rollback()
        first.close()


def test_a_light_write_commits_without_waiting_for_the_disk_and_the_next_is_durable_again(sqlite_engine):
    """``begin_write(durable=False)`` (carts) commits with synchronous NORMAL; the connection's
    next transaction, a write or a read, is back to FULL."""
    from sqlalchemy.orm import Session

    def level(session: Session) -> int:
        return session.connection().exec_driver_sql("PRAGMA synchronous").scalar()

    session = Session(sqlite_engine)
    begin_write(session, durable=False)
    assert level(session) == 1  # NORMAL
    session.execute(text("UPDATE stock SET qty = qty - 1"))
    session.commit()
    begin_write(session)
    assert level(session) == 2  # FULL
    session.execute(text("UPDATE stock SET qty = qty - 1"))
    session.commit()
    begin_write(session, durable=False)
    session.commit()
    assert level(session) == 2  # a read after a light write
    session.rollback()
    session.close()
    with sqlite_engine.connect() as connection:
        assert connection.execute(text("SELECT qty FROM stock")).scalar() == 8


def test_revision_cache_reloads_after_a_change_in_another_session(db_session, main_platform):
    """A cached value is reloaded once the revision moves, even when changed elsewhere."""
    from orion_server.database import db
    from orion_server.revision import RevisionCache, bump_revision

    cache = RevisionCache(poll_seconds=0.05)
    calls = []
    value = cache.get(db_session, "k", lambda s: calls.append(1) or len(calls))
    assert cache.get(db_session, "k", lambda s: 99) == value == 1
    other = db.session()
    bump_revision(other)
    other.commit()
    other.close()
    time.sleep(0.06)
    db_session.rollback()
    assert cache.get(db_session, "k", lambda s: calls.append(1) or len(calls)) == 2


def test_operational_errors_surface_for_missing_tables(sqlite_engine):
    """A query on a missing table raises OperationalError (the CLI turns it into one line)."""
    with sqlite_engine.connect() as connection, pytest.raises(OperationalError):
        connection.execute(text("SELECT * FROM nowhere"))


def test_begin_write_after_a_read_restarts_the_transaction_as_a_writer(sqlite_engine):
    """A session that has only read becomes a writer holding the lock (request sessions read first)."""
    from sqlalchemy.orm import Session

    session = Session(sqlite_engine)
    session.execute(text("SELECT qty FROM stock"))
    begin_write(session)
    other = sqlite3.connect(str(sqlite_engine.url.database), timeout=0.1, isolation_level=None)
    try:
        with pytest.raises(sqlite3.OperationalError, match="locked"):
            other.execute("BEGIN IMMEDIATE")
    finally:
        other.close()
        session.rollback()
        session.close()


def _hold_writer_file(tmp_path):
    """Another process's writer holding the turn: an exclusive flock on ``lock.db-writer``
    through an open file of its own."""
    import fcntl
    import os

    fd = os.open(str(tmp_path / "lock.db-writer"), os.O_RDWR | os.O_CREAT)
    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    return fd


@pytest.mark.skipif(sys.platform == "win32", reason="flock")
def test_a_writer_waits_for_another_processes_turn_and_starts_as_it_ends(sqlite_engine, tmp_path):
    """No writer reaches SQLite while another process holds the turn, and the waiting one
    starts within moments of its end (not after a busy handler's sleep)."""
    import fcntl
    import os
    import threading

    fd = _hold_writer_file(tmp_path)
    started: list[float] = []

    def write() -> None:
        with sqlite_engine.connect().execution_options(orion_write=True) as connection, connection.begin():
            started.append(time.monotonic())
            connection.execute(text("UPDATE stock SET qty = qty - 1 WHERE id = 1"))

    writer = threading.Thread(target=write)
    writer.start()
    time.sleep(0.4)
    assert started == [], "the writer began while another process had the turn"
    released = time.monotonic()
    fcntl.flock(fd, fcntl.LOCK_UN)
    os.close(fd)
    writer.join(5)
    assert started and started[0] - released < 0.25
    with sqlite_engine.connect() as connection:
        assert connection.execute(text("SELECT qty FROM stock")).scalar() == 9
    with sqlite_engine.connect().execution_options(orion_write=True) as connection, connection.begin():
        pass  # the turn was handed back: the next writer needs no wait
    fd = _hold_writer_file(tmp_path)  # and no process holds it now
    os.close(fd)


@pytest.mark.skipif(sys.platform == "win32", reason="flock")
def test_a_writer_gives_up_after_the_busy_timeout_when_the_turn_never_comes(tmp_path, monkeypatch):
    import os

    import orion_server.database as database

    monkeypatch.setattr(database, "SQLITE_BUSY_TIMEOUT_MS", 300)
    engine = make_engine(f"sqlite:///{tmp_path / 'lock.db'}")
    fd = _hold_writer_file(tmp_path)
    try:
        began = time.monotonic()
        with pytest.raises(sqlite3.OperationalError, match="another process kept the turn"):
            with engine.connect().execution_options(orion_write=True) as connection, connection.begin():
                pass
        assert 0.25 < time.monotonic() - began < 3
        os.close(fd)
        fd = -1
        with engine.connect().execution_options(orion_write=True) as connection, connection.begin():
            connection.execute(text("CREATE TABLE t (x INTEGER)"))  # the turn came once it was free
    finally:
        if fd >= 0:
            os.close(fd)
        engine.dispose()
