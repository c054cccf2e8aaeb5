"""The database: one ``Base``, the engine, sessions and SQLite's transaction rules."""

from __future__ import annotations

import os
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import DateTime, MetaData, create_engine, event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, sessionmaker
from sqlalchemy.types import TypeDecorator

try:
    import fcntl
except ImportError:  # Windows
    fcntl = None  # type: ignore[assignment]

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

SQLITE_CACHE_KIB = 1024
SQLITE_BUSY_TIMEOUT_MS = 10_000
WRITE_OPTION = "orion_write"
LIGHT_OPTION = "orion_light_write"


class Base(DeclarativeBase):
    """The one declarative base of every Orion model, framework and modules alike."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def utcnow() -> datetime:
    """The current time in UTC, timezone-aware."""
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """A timestamp stored as UTC and always read back timezone-aware (SQLite keeps no zone)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; Orion stores times in UTC")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class TimestampMixin:
    """created_at / updated_at columns in UTC."""

    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, nullable=False)
    updated_at: Mapped[datetime] = mapped_column(
        UTCDateTime(), default=utcnow, onupdate=utcnow, nullable=False
    )


def _configure_sqlite(engine: Engine) -> None:
    """WAL, foreign keys, a busy timeout, durable commits and transactions that really begin.

    The sqlite3 driver's legacy mode sends no BEGIN before reads and DDL, so we put it in
    autocommit mode and emit BEGIN ourselves; a session marked for writing begins with
    BEGIN IMMEDIATE and so holds the write lock from its first statement.
    """

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA foreign_keys = ON")
        # FULL: a commit is on disk before it is answered. NORMAL with WAL may lose the last
        # committed orders and payments on power loss, which a shop cannot explain to anyone.
        # A light write (``begin_write(durable=False)``) switches to NORMAL for its commit only.
        cursor.execute("PRAGMA synchronous = FULL")
        # Each connection's own page cache (2 MB by default) adds up over a worker's pooled and
        # overflow connections: 1 MB each keeps a worker's memory in bounds, and the pages it no
        # longer keeps are a read from the operating system's file cache away.
        cursor.execute(f"PRAGMA cache_size = -{SQLITE_CACHE_KIB}")
        cursor.close()

    # Writers of one process queue on a lock of the process before asking SQLite for its write
    # lock: SQLite's busy handler polls with growing sleeps and is not fair, so with dozens of
    # request threads one of them could lose every race for longer than the busy timeout
    # ("database is locked") while the others took turns. The process lock hands the turn over
    # without polling; SQLite's lock is then shared by a few processes only.
    write_turn = threading.Lock()
    wait = SQLITE_BUSY_TIMEOUT_MS / 1000
    file_turn = _FileTurn.beside(engine.url.database)

    def _release(info: dict[str, Any]) -> None:
        if info.pop(_HOLDS_FILE_TURN, False):
            file_turn.release()  # type: ignore[union-attr]
        if info.pop(_HOLDS_TURN, False):
            write_turn.release()

    def _synchronous(conn: Any, level: str) -> None:
        # SQLite refuses to change it inside a transaction: it is set before BEGIN, and only
        # when the connection's last transaction used the other level
        if conn.info.get(_SYNCHRONOUS, "FULL") != level:
            conn.exec_driver_sql(f"PRAGMA synchronous = {level}")
            conn.info[_SYNCHRONOUS] = level

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        options = conn.get_execution_options()
        if not options.get(WRITE_OPTION):
            _synchronous(conn, "FULL")
            conn.exec_driver_sql("BEGIN")
            return
        _synchronous(conn, "NORMAL" if options.get(LIGHT_OPTION) else "FULL")
        if not write_turn.acquire(timeout=wait):
            raise sqlite3.OperationalError("database is locked (no turn to write within the busy timeout)")
        conn.info[_HOLDS_TURN] = True
        try:
            if file_turn is not None:
                if not file_turn.acquire(wait):
                    raise sqlite3.OperationalError("database is locked (another process kept the turn to write)")
                conn.info[_HOLDS_FILE_TURN] = True
            conn.exec_driver_sql("BEGIN IMMEDIATE")
        except BaseException:
            _release(conn.info)
            raise

    # SQLAlchemy announces a commit (or rollback) before it sends it: handing the turn over
    # then let the next writer's BEGIN IMMEDIATE meet a transaction still open, and SQLite's busy
    # handler put it to sleep (1 ms, then 2, 5, 10...) for a commit that takes 0.2 ms. A writer
    # ends its transaction itself and then hands over; the driver's own commit or rollback that
    # follows finds no transaction and does nothing.
    @event.listens_for(engine, "commit")
    def _on_commit(conn: Any) -> None:
        _end_then_release(conn, "COMMIT")

    @event.listens_for(engine, "rollback")
    def _on_rollback(conn: Any) -> None:
        _end_then_release(conn, "ROLLBACK")

    def _end_then_release(conn: Any, statement: str) -> None:
        if not conn.info.get(_HOLDS_TURN):
            return
        try:
            driver = conn.connection.driver_connection
            if driver is not None and driver.in_transaction:
                driver.execute(statement)
        finally:
            _release(conn.info)

    @event.listens_for(engine, "checkin")
    def _on_checkin(_dbapi_connection: Any, record: Any) -> None:
        _release(record.info)  # a transaction ended without commit or rollback (an error)


_HOLDS_TURN = "orion_write_turn"
_SYNCHRONOUS = "orion_synchronous"
_HOLDS_FILE_TURN = "orion_write_file_turn"


class _FileTurn:
    """The writers' turn among the processes using one SQLite file: an exclusive ``flock`` on a
    file beside it (``orion.db-writer``), taken by a process's writer after its in-process turn.

    Between two server workers SQLite's own lock was the only turn, and its busy handler waits
    by sleeping (1, 2, 5 ... up to 100 ms at a time): a worker whose threads handed the lock to
    one another kept the other worker's writer asleep through every handover, up to seconds
    (cart adds at 32 connections: p99 4.5 s). The kernel wakes a writer waiting on the file the
    moment the lock is free; a writer still gives up after the busy timeout, and a process that
    dies loses its lock. Other programs writing the file (the sqlite3 shell) still meet SQLite's
    lock. Not on Windows (no ``flock``)."""

    def __init__(self, path: str) -> None:
        self.path = path
        self._fd: int | None = None
        self._pid = 0

    @classmethod
    def beside(cls, database: str | None) -> _FileTurn | None:
        if fcntl is None or not database or database == ":memory:" or database.startswith("file:"):
            return None
        return cls(f"{database}-writer")

    def _handle(self) -> int:
        if self._pid != os.getpid():  # a forked worker opens its own: the lock belongs to the open file
            self._fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
            self._pid = os.getpid()
        assert self._fd is not None
        return self._fd

    def acquire(self, timeout: float) -> bool:
        """Take the turn, waiting at most ``timeout`` seconds; False if it did not come."""
        fd = self._handle()
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)  # type: ignore[union-attr]
            return True
        except BlockingIOError:
            pass
        # flock cannot time out: a helper thread waits in the kernel, and whoever decides first
        # (it with the lock, or this thread at the deadline) settles it
        deciding = threading.Lock()
        outcome = {"taken": False, "given_up": False}
        taken = threading.Event()

        def wait_in_kernel() -> None:
            fcntl.flock(fd, fcntl.LOCK_EX)  # type: ignore[union-attr]
            with deciding:
                if outcome["given_up"]:
                    fcntl.flock(fd, fcntl.LOCK_UN)  # type: ignore[union-attr]
                    return
                outcome["taken"] = True
            taken.set()

        threading.Thread(target=wait_in_kernel, name="orion-write-turn", daemon=True).start()
        taken.wait(timeout)
        with deciding:
            outcome["given_up"] = not outcome["taken"]
            return outcome["taken"]

    def release(self) -> None:
        fcntl.flock(self._handle(), fcntl.LOCK_UN)  # type: ignore[union-attr]


def make_engine(url: str, **kwargs: Any) -> Engine:
    """An engine configured for Orion's rules on SQLite or PostgreSQL."""
    if url.startswith("sqlite"):
        kwargs.setdefault("connect_args", {"check_same_thread": False, "timeout": SQLITE_BUSY_TIMEOUT_MS / 1000})
        engine = create_engine(url, **kwargs)
        _configure_sqlite(engine)
        return engine
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://") :]
    kwargs.setdefault("pool_pre_ping", True)
    return create_engine(url, **kwargs)


class Database:
    """The engine and session factory of this process, made on first use from the settings."""

    def __init__(self) -> None:
        self._engine: Engine | None = None
        self._sessionmaker: sessionmaker[Session] | None = None

    def configure(self, url: str) -> Engine:
        self.dispose()
        self._engine = make_engine(url)
        self._sessionmaker = sessionmaker(bind=self._engine, expire_on_commit=False)
        return self._engine

    @property
    def engine(self) -> Engine:
        if self._engine is None:
            from orion_server.config import get_settings

            settings = get_settings()
            if settings.is_sqlite:
                settings.data_dir.mkdir(parents=True, exist_ok=True)
            self.configure(settings.resolved_database_url)
        assert self._engine is not None
        return self._engine

    def session(self) -> Session:
        self.engine  # noqa: B018 - make sure the engine exists
        assert self._sessionmaker is not None
        return self._sessionmaker()

    def dispose(self) -> None:
        if self._engine is not None:
            self._engine.dispose()
        self._engine = None
        self._sessionmaker = None


db = Database()


@contextmanager
def session_scope() -> Iterator[Session]:
    """A session committed on success and rolled back on error."""
    session = db.session()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


def begin_write(session: Session, *, durable: bool = True) -> None:
    """Make the session's transaction a writer's (SQLite: BEGIN IMMEDIATE; PostgreSQL: as is).

    Call it before the first statement of work that reads and then writes, so two writers
    never both read and then fight over the lock. A request's session has usually read
    already (the signed-in user): a transaction that has written nothing is ended and begun
    again as a writer; one that has written holds the write lock already.

    ``durable=False`` is for data a shopper can redo and nobody accounts for (a cart): on
    SQLite its commit is answered before the write-ahead log reaches the disk (synchronous
    NORMAL), which takes the disk's flush (0.4 ms or more, under the one writer's lock) off
    it. A power cut may then lose the last such changes, never a durable commit: the next
    durable commit flushes the log with every commit before it, and the file stays sound.
    PostgreSQL commits every write durably.

    On PostgreSQL there is nothing to do: writers lock rows, not the database, so reads
    already made stay in the transaction (ending it would cost a round trip and a connection
    checkout for nothing).
    """
    if session.get_bind().dialect.name != "sqlite":
        return
    if session.in_transaction():
        if session.info.get(_WROTE) or session.new or session.dirty or session.deleted:
            return
        if session.connection().get_execution_options().get(WRITE_OPTION):
            return
        session.commit()
    session.connection(execution_options={WRITE_OPTION: True, LIGHT_OPTION: not durable})


_WROTE = "orion_wrote"


@event.listens_for(Session, "after_flush")
def _mark_written(session: Session, _context: Any) -> None:
    session.info[_WROTE] = True


@event.listens_for(Session, "after_transaction_end")
def _clear_written(session: Session, transaction: Any) -> None:
    if transaction.parent is None:
        session.info.pop(_WROTE, None)
