"""Structured logs shared by the server, the task consumer, the CLI and the console.

Every record goes, as one JSON object per line, to a rotating file in the data folder's
``logs/`` and, through a background queue, into ``logs.db`` (written with sqlite-utils),
which the console's log viewer and the support bundle read. Secrets are redacted before a
record reaches either.
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
from datetime import UTC, datetime
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
                "message": str,
                "exception": str,
            },
            pk="id",
            if_not_exists=True,
        )
        database[TABLE].create_index(["ts"], if_not_exists=True)
        database[TABLE].create_index(["source", "ts"], if_not_exists=True)
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


def query_logs(
    path: Path,
    *,
    since: datetime | None = None,
    until: datetime | None = None,
    min_level: int = 0,
    source: str | None = None,
    text: str | None = None,
    after_id: int = 0,
    limit: int = 1000,
) -> list[dict[str, Any]]:
    """Records from logs.db, oldest first, filtered by time, level, source module and text."""
    if not path.exists():
        return []
    database = open_log_database(path)
    try:
        clauses = ["id > :after_id", "levelno >= :min_level"]
        params: dict[str, Any] = {"after_id": after_id, "min_level": min_level, "limit": limit}
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
            clauses.append("(message LIKE :text OR logger LIKE :text)")
            params["text"] = f"%{text}%"
        sql = f"SELECT * FROM {TABLE} WHERE {' AND '.join(clauses)} ORDER BY id LIMIT :limit"
        return [dict(row) for row in database.query(sql, params)]
    finally:
        database.close()
