"""The database: one ``Base``, the engine, sessions and SQLite's transaction rules."""

from __future__ import annotations

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

    def _release(info: dict[str, Any]) -> None:
        if info.pop(_HOLDS_TURN, False):
            write_turn.release()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        if not conn.get_execution_options().get(WRITE_OPTION):
            conn.exec_driver_sql("BEGIN")
            return
        if not write_turn.acquire(timeout=wait):
            raise sqlite3.OperationalError("database is locked (no turn to write within the busy timeout)")
        conn.info[_HOLDS_TURN] = True
        try:
            conn.exec_driver_sql("BEGIN IMMEDIATE")
        except BaseException:
            _release(conn.info)
            raise

    @event.listens_for(engine, "commit")
    @event.listens_for(engine, "rollback")
    def _on_end(conn: Any) -> None:
        _release(conn.info)

    @event.listens_for(engine, "checkin")
    def _on_checkin(_dbapi_connection: Any, record: Any) -> None:
        _release(record.info)  # a transaction ended without commit or rollback (an error)


_HOLDS_TURN = "orion_write_turn"


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


def begin_write(session: Session) -> None:
    """Make the session's transaction a writer's (SQLite: BEGIN IMMEDIATE; PostgreSQL: plain).

    Call it before the first statement of work that reads and then writes, so two writers
    never both read and then fight over the lock. A request's session has usually read
    already (the signed-in user): a transaction that has written nothing is ended and begun
    again as a writer; one that has written holds the write lock already.
    """
    if session.in_transaction():
        if session.info.get(_WROTE) or session.new or session.dirty or session.deleted:
            return
        if session.connection().get_execution_options().get(WRITE_OPTION):
            return
        session.commit()
    session.connection(execution_options={WRITE_OPTION: True})


_WROTE = "orion_wrote"


@event.listens_for(Session, "after_flush")
def _mark_written(session: Session, _context: Any) -> None:
    session.info[_WROTE] = True


@event.listens_for(Session, "after_transaction_end")
def _clear_written(session: Session, transaction: Any) -> None:
    if transaction.parent is None:
        session.info.pop(_WROTE, None)
