"""Structured logs shared by the server, the task consumer, the CLI and the console.

Every record goes, as one JSON object per line, to a rotating file in the data folder's
``logs/`` and, through a background queue, into ``logs.db`` (written with sqlite-utils),
which the console's log viewer, the monitoring module's logs page and the support bundle read.
Secrets are redacted before a record reaches either. A record made while a request is served
carries the codes of the request's platform and store (``bind_request``).

Both are kept within a retention (``enforce_retention``, settings ``logs_max_days`` and
``logs_max_mb``): the oldest records and rotated files go first, so a flood of requests cannot
fill the disk.
"""

from __future__ import annotations

import json
import logging
import logging.handlers
import os
import queue
import re
import sqlite3
import threading
from collections.abc import Collection
from contextvars import ContextVar, Token
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import sqlite_utils

LOG_FILE = "orion.log"
LOG_DB = "logs.db"
TABLE = "logs"
MAX_FILE_BYTES = 5 * 1024 * 1024
FILE_BACKUPS = 5

_SECRET_PATTERNS = [
    re.compile(r"(?i)\b(password|passwd|secret|token|api[_-]?key|secret[_-]?key|authorization)(\s*[=:]\s*)(\S+)"),
    re.compile(r"\b(sk|pk|rk|whsec)_(live|test)_[A-Za-z0-9]+"),
    re.compile(r"(?i)\bbearer\s+[A-Za-z0-9._\-]+"),
    re.compile(r"(://[^:/\s]+:)([^@\s]+)(@)"),
]


def redact(text: str) -> str:
    """Replace passwords, tokens, keys and URL credentials in ``text`` with ``***``."""
    text = _SECRET_PATTERNS[2].sub("Bearer ***", text)
    text = _SECRET_PATTERNS[1].sub("***", text)
    text = _SECRET_PATTERNS[0].sub(lambda m: m.group(0) if m.group(3) == "Bearer" else f"{m.group(1)}{m.group(2)}***", text)
    return _SECRET_PATTERNS[3].sub(lambda m: f"{m.group(1)}***{m.group(3)}", text)


_request: ContextVar[tuple[str, str] | None] = ContextVar("orion_log_request", default=None)


def bind_request(platform: str | None, store: str | None) -> Token[tuple[str, str] | None]:
    """Records made from now on in this context (a request) carry these platform and store codes."""
    return _request.set((platform or "", store or ""))


def unbind_request(token: Token[tuple[str, str] | None]) -> None:
    _request.reset(token)


class RequestContextFilter(logging.Filter):
    """Puts the bound platform and store codes on a record in the thread that makes it (the
    queue's writer thread, where the record is formatted, no longer sees the request)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "orion_platform"):
            record.orion_platform, record.orion_store = _request.get() or ("", "")
        return True


def source_of(logger_name: str) -> str:
    """The module code a logger belongs to (``modules.dev_tools.x`` -> ``dev-tools``), else its top package."""
    parts = logger_name.split(".")
    if parts[0] == "modules" and len(parts) > 1:
        return parts[1].replace("_", "-")
    return parts[0] or "root"


class StructuredFormatter(logging.Formatter):
    """One JSON object per record: time, level, logger, source, process, message, exception."""

    def __init__(self, process_name: str) -> None:
        super().__init__()
        self.process_name = process_name

    def as_row(self, record: logging.LogRecord) -> dict[str, Any]:
        message = redact(record.getMessage())
        exception = redact(self.formatException(record.exc_info)) if record.exc_info else None
        return {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "levelno": record.levelno,
            "logger": record.name,
            "source": source_of(record.name),
            "process": self.process_name,
            "pid": record.process,
            "platform": getattr(record, "orion_platform", "") or None,
            "store": getattr(record, "orion_store", "") or None,
            "message": message,
            "exception": exception,
        }

    def format(self, record: logging.LogRecord) -> str:
        return json.dumps(self.as_row(record), ensure_ascii=False)


class LogDatabaseHandler(logging.Handler):
    """Writes records into logs.db; used behind a QueueListener so callers never wait on disk."""

    def __init__(self, path: Path, formatter: StructuredFormatter) -> None:
        super().__init__()
        self.path = path
        self.structured = formatter
        self._db: sqlite_utils.Database | None = None

    def _table(self) -> Any:
        if self._db is None:
            self._db = open_log_database(self.path)
        return self._db[TABLE]

    def emit(self, record: logging.LogRecord) -> None:
        try:
            self._table().insert(self.structured.as_row(record))
        except Exception:  # logging must never take the process down
            self.handleError(record)

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None
        super().close()


def open_log_database(path: Path) -> sqlite_utils.Database:
    """logs.db with its table and indexes, in WAL mode so readers never block the writer."""
    path.parent.mkdir(parents=True, exist_ok=True)
    # Written from the queue listener's thread, closed from the thread that stops logging.
    database = sqlite_utils.Database(sqlite3.connect(path, check_same_thread=False))
    database.conn.execute("PRAGMA busy_timeout = 5000")
    if TABLE not in database.table_names():
        # before the first table: deleted records' pages can then be handed back to the disk
        database.conn.execute("PRAGMA auto_vacuum = INCREMENTAL")
    database.enable_wal()
    if TABLE not in database.table_names():
        database[TABLE].create(
            {
                "id": int,
                "ts": str,
                "level": str,
                "levelno": int,
                "logger": str,
                "source": str,
                "process": str,
                "pid": int,
                "platform": str,
                "store": str,
                "message": str,
                "exception": str,
            },
            pk="id",
            if_not_exists=True,
        )
        database[TABLE].create_index(["ts"], if_not_exists=True)
        database[TABLE].create_index(["source", "ts"], if_not_exists=True)
    elif "platform" not in database[TABLE].columns_dict:  # a logs.db of an earlier version
        for column in ("platform", "store"):
            try:
                database[TABLE].add_column(column, str)
            except sqlite3.OperationalError:  # another process added it a moment ago
                pass
    return database


class _LogSetup:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.listener: logging.handlers.QueueListener | None = None
        self.handlers: list[logging.Handler] = []
        self.arguments: tuple[str, str | None, Path] | None = None  # what the listener was set up with


_setup = _LogSetup()


def setup_logging(process_name: str, *, level: str | None = None, logs_dir: Path | None = None) -> None:
    """Send this process's records to the rotating file and logs.db (idempotent)."""
    from orion_server.config import get_settings

    settings = get_settings()
    folder = logs_dir or settings.logs_dir
    with _setup.lock:
        if _setup.listener is not None:
            return
        folder.mkdir(parents=True, exist_ok=True)
        formatter = StructuredFormatter(process_name)
        file_handler = logging.handlers.RotatingFileHandler(
            folder / LOG_FILE, maxBytes=MAX_FILE_BYTES, backupCount=FILE_BACKUPS, encoding="utf-8"
        )
        file_handler.setFormatter(formatter)
        database_handler = LogDatabaseHandler(folder / LOG_DB, formatter)
        records: queue.SimpleQueue[logging.LogRecord] = queue.SimpleQueue()
        listener = logging.handlers.QueueListener(records, file_handler, database_handler, respect_handler_level=False)
        listener.start()
        queue_handler = logging.handlers.QueueHandler(records)
        queue_handler.addFilter(RequestContextFilter())
        console = logging.StreamHandler()
        console.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        root = logging.getLogger()
        root.setLevel(level or settings.log_level)
        root.addHandler(queue_handler)
        if process_name in ("server", "worker"):
            # Alembic says at INFO which dialect it talks to each time the readiness check reads
            # the database's revisions: noise in the logs of processes that never migrate
            logging.getLogger("alembic").setLevel(logging.WARNING)
        if not any(isinstance(h, logging.StreamHandler) and not isinstance(h, logging.FileHandler) for h in root.handlers[:-1]):
            root.addHandler(console)
        _setup.listener = listener
        _setup.handlers = [queue_handler, console]
        _setup.arguments = (process_name, level, folder)


def fork_with_logging() -> None:
    """Make forking this process safe for its logs: the writer thread stops around each fork, so
    no thread is inside SQLite (logs.db) or a file write when the process is copied (a lock held
    at that moment would stay held in the child forever), and the child sets up its own writer."""
    os.register_at_fork(before=_stop_writer, after_in_parent=_start_writer, after_in_child=_restart_in_child)


def _stop_writer() -> None:
    if _setup.listener is not None:
        _setup.listener.stop()  # writes what is queued, then the thread ends


def _start_writer() -> None:
    if _setup.listener is not None:
        _setup.listener.start()


def _restart_in_child() -> None:
    _setup.lock = threading.Lock()
    root = logging.getLogger()
    for handler in _setup.handlers:
        root.removeHandler(handler)
    _setup.listener, _setup.handlers = None, []  # the parent's: its files stay the parent's to close
    if _setup.arguments is not None:
        process_name, level, folder = _setup.arguments
        setup_logging(process_name, level=level, logs_dir=folder)


def shutdown_logging() -> None:
    """Flush the queue and close the log files (tests, a console switching data folders)."""
    with _setup.lock:
        if _setup.listener is None:
            return
        listener, _setup.listener = _setup.listener, None
        _setup.arguments = None
        listener.stop()
        for handler in listener.handlers:
            handler.close()
        root = logging.getLogger()
        for handler in _setup.handlers:
            root.removeHandler(handler)
        _setup.handlers = []


def _where(
    *,
    since: datetime | None,
    until: datetime | None,
    min_level: int,
    source: str | None,
    text: str | None,
    platforms: Collection[str] | None,
    store: str | None,
) -> tuple[list[str], dict[str, Any]]:
    clauses = ["levelno >= :min_level"]
    params: dict[str, Any] = {"min_level": min_level}
    if since is not None:
        clauses.append("ts >= :since")
        params["since"] = since.astimezone(UTC).isoformat(timespec="milliseconds")
    if until is not None:
        clauses.append("ts <= :until")
        params["until"] = until.astimezone(UTC).isoformat(timespec="milliseconds")
    if source:
        clauses.append("source = :source")
        params["source"] = source
    if text:
        clauses.append("(message LIKE :text ESCAPE '\\' OR logger LIKE :text ESCAPE '\\' "
                       "OR exception LIKE :text ESCAPE '\\')")
        escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        params["text"] = f"%{escaped}%"
    if platforms is not None:
        names = [f":platform{i}" for i in range(len(platforms))]
        for name, code in zip(names, platforms, strict=True):
            params[name[1:]] = code
        clauses.append(f"platform IN ({', '.join(names)})" if names else "0")
    if store:
        clauses.append("store = :store")
        params["store"] = store
    return clauses, params


def query_logs(
    path: Path,
    *,
    since: datetime | None = None,
    until: datetime | None = None,
    min_level: int = 0,
    source: str | None = None,
    text: str | None = None,
    platforms: Collection[str] | None = None,
    store: str | None = None,
    after_id: int = 0,
    limit: int = 1000,
    offset: int = 0,
    newest_first: bool = False,
) -> list[dict[str, Any]]:
    """Records from logs.db, oldest first (or newest first), filtered by time, level, source
    module, text (in the message, logger or exception), platform codes (None: any, even none)
    and store code."""
    if not path.exists():
        return []
    database = open_log_database(path)
    try:
        clauses, params = _where(since=since, until=until, min_level=min_level, source=source, text=text,
                                 platforms=platforms, store=store)
        clauses.append("id > :after_id")
        params.update(after_id=after_id, limit=limit, offset=offset)
        order = "id DESC" if newest_first else "id"
        sql = f"SELECT * FROM {TABLE} WHERE {' AND '.join(clauses)} ORDER BY {order} LIMIT :limit OFFSET :offset"
        return [dict(row) for row in database.query(sql, params)]
    finally:
        database.close()


def count_logs(
    path: Path,
    *,
    since: datetime | None = None,
    until: datetime | None = None,
    min_level: int = 0,
    source: str | None = None,
    text: str | None = None,
    platforms: Collection[str] | None = None,
    store: str | None = None,
    at_most: int = 10_000,
) -> int:
    """How many records match (counted up to ``at_most``: a bigger number is ``at_most + 1``)."""
    if not path.exists():
        return 0
    database = open_log_database(path)
    try:
        clauses, params = _where(since=since, until=until, min_level=min_level, source=source, text=text,
                                 platforms=platforms, store=store)
        params["cap"] = at_most + 1
        sql = f"SELECT COUNT(*) FROM (SELECT 1 FROM {TABLE} WHERE {' AND '.join(clauses)} LIMIT :cap)"
        return int(database.execute(sql, params).fetchone()[0])
    finally:
        database.close()


def log_sources(path: Path) -> list[str]:
    """The source modules that have records, by name."""
    if not path.exists():
        return []
    database = open_log_database(path)
    try:
        return [row[0] for row in database.execute(
            f"SELECT DISTINCT source FROM {TABLE} WHERE source IS NOT NULL ORDER BY source")]
    finally:
        database.close()


# --- retention ------------------------------------------------------------------------------

DELETE_BATCH = 5000
"""Records deleted per transaction, so the writers of other processes wait only briefly."""


@dataclass(frozen=True)
class RetentionReport:
    """What ``enforce_retention`` removed."""

    records_too_old: int = 0
    records_over_size: int = 0
    files_removed: tuple[str, ...] = ()


def _delete_oldest(database: sqlite_utils.Database, where: str, params: dict[str, Any], most: int | None = None) -> int:
    """Delete the oldest records matching ``where`` (at most ``most``) in batches."""
    deleted = 0
    while most is None or deleted < most:
        batch = DELETE_BATCH if most is None else min(DELETE_BATCH, most - deleted)
        with database.conn:
            cursor = database.conn.execute(
                f"DELETE FROM {TABLE} WHERE id IN (SELECT id FROM {TABLE} WHERE {where} ORDER BY id LIMIT :batch)",
                {**params, "batch": batch},
            )
        deleted += cursor.rowcount
        if cursor.rowcount < batch:
            break
    return deleted


def _used_bytes(database: sqlite_utils.Database) -> int:
    pages = database.execute("PRAGMA page_count").fetchone()[0]
    free = database.execute("PRAGMA freelist_count").fetchone()[0]
    size = database.execute("PRAGMA page_size").fetchone()[0]
    return int((pages - free) * size)


def trim_log_database(path: Path, *, max_age: timedelta, max_bytes: int, now: datetime | None = None) -> tuple[int, int]:
    """Delete records older than ``max_age``, then the oldest until the records take at most
    ``max_bytes``; the freed space goes back to the disk. Returns (too old, over the size)."""
    if not path.exists():
        return 0, 0
    now = now or datetime.now(UTC)
    database = open_log_database(path)
    try:
        cutoff = (now - max_age).astimezone(UTC).isoformat(timespec="milliseconds")
        too_old = _delete_oldest(database, "ts < :cutoff", {"cutoff": cutoff})
        over = 0
        for _ in range(5):  # each round deletes what the average record size says is too much
            used = _used_bytes(database)
            if used <= max_bytes:
                break
            count = database.execute(f"SELECT COUNT(*) FROM {TABLE}").fetchone()[0]
            if not count:
                break
            per_record = used / count
            excess = used - int(max_bytes * 0.9)  # a margin, so the next records do not cross at once
            over += _delete_oldest(database, "1", {}, most=max(1, min(count, int(excess / per_record) + 1)))
        if too_old or over:
            _give_back_space(database)
        return too_old, over
    finally:
        database.close()


def _give_back_space(database: sqlite_utils.Database) -> None:
    """Return free pages to the disk and empty the write-ahead log."""
    if database.execute("PRAGMA auto_vacuum").fetchone()[0] == 0:
        # a logs.db made before auto_vacuum was set: switching needs one full VACUUM
        database.conn.execute("PRAGMA auto_vacuum = INCREMENTAL")
        database.conn.execute("VACUUM")
    else:  # frees a page per step of the statement: a script steps it to the end
        database.conn.executescript("PRAGMA incremental_vacuum;")
    database.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()


def trim_log_files(folder: Path, *, max_age: timedelta, max_bytes: int, now: datetime | None = None) -> list[str]:
    """Delete rotated JSON log files (``orion.log.1`` ...) older than ``max_age``, then the
    oldest rotated ones while all of them together exceed ``max_bytes``. The file being
    written stays (its handler rotates it at ``MAX_FILE_BYTES``). Returns the names removed."""
    if not folder.is_dir():
        return []
    now = now or datetime.now(UTC)
    removed: list[str] = []
    rotated = [p for p in folder.glob(f"{LOG_FILE}.*") if p.is_file()]
    current = folder / LOG_FILE
    total = sum(p.stat().st_size for p in rotated) + (current.stat().st_size if current.exists() else 0)
    for path in sorted(rotated, key=lambda p: p.stat().st_mtime):  # oldest first
        stat = path.stat()
        too_old = datetime.fromtimestamp(stat.st_mtime, UTC) < now - max_age
        if too_old or total > max_bytes:
            try:
                path.unlink()
            except OSError:
                logging.getLogger(__name__).warning("could not delete the old log file %s", path.name)
                continue
            total -= stat.st_size
            removed.append(path.name)
    return removed


def enforce_retention(logs_dir: Path | None = None, *, max_days: int | None = None, max_mb: int | None = None,
                      now: datetime | None = None) -> RetentionReport:
    """Keep logs.db and the JSON log files within the retention settings (``logs_max_days``,
    ``logs_max_mb``, each size limit for logs.db and for the files together)."""
    from orion_server.config import get_settings

    settings = get_settings()
    folder = logs_dir or settings.logs_dir
    max_age = timedelta(days=max_days or settings.logs_max_days)
    max_bytes = (max_mb or settings.logs_max_mb) * 1024 * 1024
    too_old, over = trim_log_database(folder / LOG_DB, max_age=max_age, max_bytes=max_bytes, now=now)
    files = trim_log_files(folder, max_age=max_age, max_bytes=max_bytes, now=now)
    return RetentionReport(records_too_old=too_old, records_over_size=over, files_removed=tuple(files))
