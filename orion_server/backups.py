"""Database backups: made, checked, listed, restored and pruned; no Qt, used by the CLI and the console.

SQLite is copied with SQLite's online backup API (never a file copy: a live database in WAL
mode is spread over three files and may change while it is read), and each copy is checked
with ``PRAGMA integrity_check``. PostgreSQL is dumped with ``pg_dump -Fc`` and restored with
``pg_restore`` when those programs are installed; the password travels in ``PGPASSWORD``,
never in the arguments or the logs.

A backup's file name says what it is: ``orion-<version>-<UTC time>-<reason>.sqlite3`` (or
``.dump``), so the folder can be read, copied and pruned without any sidecar file.
"""

from __future__ import annotations

import json
import logging
import os
import re
import shutil
import sqlite3
import subprocess
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, Protocol

from orion_server import __version__
from orion_server.config import Settings
from orion_server.errors import ValidationError

logger = logging.getLogger(__name__)

BACKUP_DIR = "backups"
SETTINGS_FILE = "backup_settings.json"
AUTO_REASON = "auto"
MANUAL_REASON = "manual"
UPGRADE_REASON = "pre-upgrade"
RESTORE_REASON = "pre-restore"
SQLITE_SUFFIX = ".sqlite3"
POSTGRES_SUFFIX = ".dump"
PAGES_PER_STEP = 256
STAMP_FORMAT = "%Y%m%dT%H%M%SZ"
DAY = timedelta(days=1)
# The console looks every hour; without this slack each daily backup would start up to an hour
# later than the one before and drift through the day.
DUE_SLACK = timedelta(hours=1)
DEFAULT_RETENTION = 7
MAX_RETENTION = 365
REASON = re.compile(r"^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$")
NAME = re.compile(
    r"^orion-(?P<version>[^-]+)-(?P<stamp>\d{8}T\d{6}Z)-(?P<reason>[a-z][a-z0-9-]*)"
    r"(?P<suffix>\.sqlite3|\.dump)$"
)
PG_TIMEOUT = 3600

Progress = Callable[[int, str], None]


class Cancel(Protocol):
    """Anything with ``raise_if_cancelled`` (the console's CancelToken)."""

    def raise_if_cancelled(self) -> None: ...


class BackupError(ValidationError):
    """A backup or restore cannot be done; the message says why in one sentence."""


@dataclass(frozen=True)
class BackupInfo:
    """One backup file and what its name tells."""

    path: Path
    created_at: datetime
    reason: str
    version: str
    size: int
    kind: str  # "sqlite" or "postgresql": the database it can be restored into

    @property
    def name(self) -> str:
        return self.path.name

    @property
    def automatic(self) -> bool:
        return self.reason == AUTO_REASON


@dataclass(frozen=True)
class BackupSettings:
    """Whether the console makes a daily backup, and how many automatic backups it keeps."""

    enabled: bool = True
    retention: int = DEFAULT_RETENTION


# -- where backups live --------------------------------------------------------------------


def backup_dir(settings: Settings) -> Path:
    """The folder of the backups: ``<data dir>/backups``."""
    return settings.data_dir / BACKUP_DIR


def parse_backup_name(path: Path) -> BackupInfo | None:
    """The BackupInfo of a file named like a backup, else None."""
    match = NAME.match(path.name)
    if not match:
        return None
    created = datetime.strptime(match["stamp"], STAMP_FORMAT).replace(tzinfo=UTC)
    try:
        size = path.stat().st_size
    except OSError:
        return None
    kind = "sqlite" if match["suffix"] == SQLITE_SUFFIX else "postgresql"
    return BackupInfo(path, created, match["reason"], match["version"], size, kind)


def list_backups(settings: Settings) -> list[BackupInfo]:
    """Every backup in the backups folder, newest first."""
    folder = backup_dir(settings)
    if not folder.is_dir():
        return []
    found = [info for path in folder.iterdir() if path.is_file() and (info := parse_backup_name(path))]
    return sorted(found, key=lambda info: (info.created_at, info.name), reverse=True)


def find_backup(settings: Settings, name_or_path: str | Path) -> BackupInfo:
    """The backup at a path, or of that name in the backups folder."""
    path = Path(name_or_path)
    if not path.exists():
        path = backup_dir(settings) / Path(name_or_path).name
    if not path.is_file():
        raise BackupError(f"there is no backup {str(name_or_path)!r}: `orion db backups` lists them")
    info = parse_backup_name(path)
    if info is None:  # a renamed or copied-in file: its first bytes tell what it is
        with path.open("rb") as handle:
            magic = handle.read(16)
        kind = "sqlite" if magic.startswith(b"SQLite format 3") else "postgresql" if magic.startswith(b"PGDMP") else ""
        if not kind:
            raise BackupError(f"{path.name} is not an Orion backup: neither a SQLite database nor a pg_dump file")
        stat = path.stat()
        info = BackupInfo(path, datetime.fromtimestamp(stat.st_mtime, UTC), MANUAL_REASON, "?", stat.st_size, kind)
    return info


def _new_path(settings: Settings, reason: str, now: datetime, suffix: str) -> Path:
    folder = backup_dir(settings)
    folder.mkdir(parents=True, exist_ok=True)
    moment = now.astimezone(UTC).replace(microsecond=0)
    while True:  # two backups within a second: the second one is named a second later
        path = folder / f"orion-{__version__}-{moment.strftime(STAMP_FORMAT)}-{reason}{suffix}"
        if not path.exists():
            return path
        moment += timedelta(seconds=1)


# -- making a backup -----------------------------------------------------------------------


def create_backup(
    settings: Settings,
    *,
    reason: str = MANUAL_REASON,
    progress: Progress | None = None,
    cancel: Cancel | None = None,
    now: datetime | None = None,
) -> BackupInfo:
    """Back up the database of ``settings`` into the backups folder and check the copy."""
    if not REASON.match(reason or "") or len(reason) > 40:
        raise BackupError(f"the reason {reason!r} cannot be part of a file name: use lower-case letters, digits and dashes")
    now = now or datetime.now(UTC)
    if settings.is_sqlite:
        path = _new_path(settings, reason, now, SQLITE_SUFFIX)
        _backup_sqlite(settings, path, progress, cancel)
    else:
        path = _new_path(settings, reason, now, POSTGRES_SUFFIX)
        _backup_postgres(settings, path, progress, cancel)
    info = parse_backup_name(path)
    assert info is not None
    logger.info("backup made: %s (%s, %d bytes)", path.name, reason, info.size)
    return info


def _report(progress: Progress | None, percent: int, text: str) -> None:
    if progress is not None:
        progress(percent, text)


def _sqlite_file(settings: Settings) -> Path:
    from sqlalchemy.engine import make_url

    database = make_url(settings.resolved_database_url).database
    if not database or database == ":memory:":
        raise BackupError("an in-memory SQLite database cannot be backed up")
    return Path(database)


def _copy_sqlite(source: sqlite3.Connection, target: sqlite3.Connection, progress: Progress | None,
                 cancel: Cancel | None, text: str) -> None:
    def step(_status: int, remaining: int, total: int) -> None:
        if cancel is not None:
            cancel.raise_if_cancelled()  # raising here makes SQLite abandon the copy
        if total:
            _report(progress, int(100 * (total - remaining) / total), text)

    source.backup(target, pages=PAGES_PER_STEP, progress=step, sleep=0.05)


def _backup_sqlite(settings: Settings, path: Path, progress: Progress | None, cancel: Cancel | None) -> None:
    live = _sqlite_file(settings)
    if not live.exists():
        raise BackupError(f"there is no database at {live} to back up: run `orion init` first")
    _report(progress, 0, "Copying the database")
    partial = path.with_name(path.name + ".part")  # never listed as a backup while being written
    try:
        source = sqlite3.connect(f"file:{live}?mode=ro", uri=True, timeout=30)
        target = sqlite3.connect(partial)
        try:
            _copy_sqlite(source, target, progress, cancel, "Copying the database")
            # one self-contained file: no -wal or -shm beside the backup
            target.execute("PRAGMA journal_mode = DELETE").fetchall()
        finally:
            target.close()
            source.close()
        _report(progress, 100, "Checking the copy")
        problem = integrity_problem(partial)
        if problem:
            raise BackupError(f"the copy of the database failed its integrity check ({problem}), so it was deleted")
        partial.replace(path)
    except BaseException:
        _remove(partial)
        raise


def _remove(path: Path) -> None:
    for leftover in (path, path.with_name(path.name + "-journal")):
        try:
            leftover.unlink()
        except FileNotFoundError:
            pass


def integrity_problem(path: Path) -> str | None:
    """Why the SQLite file at ``path`` is damaged or not an Orion database, or None when it is sound."""
    try:
        connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    except sqlite3.Error as exc:
        return str(exc)
    try:
        rows = [row[0] for row in connection.execute("PRAGMA integrity_check").fetchall()]
        if rows != ["ok"]:
            return "; ".join(str(r) for r in rows[:3])
        found = connection.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'alembic_version'").fetchone()
        if found is None:
            return "it holds no Orion tables"
        return None
    except sqlite3.Error as exc:
        return str(exc)
    finally:
        connection.close()


# -- PostgreSQL ----------------------------------------------------------------------------


def pg_tool(name: str) -> str | None:
    """Where ``pg_dump`` or ``pg_restore`` is on PATH, or None."""
    return shutil.which(name)


def _require_tool(name: str) -> str:
    tool = pg_tool(name)
    if tool is None:
        raise BackupError(
            f"{name} is not installed, so this PostgreSQL database cannot be "
            f"{'backed up' if name == 'pg_dump' else 'restored'} here: install the PostgreSQL client "
            "tools of the server's version (for example `apt install postgresql-client`) and try again"
        )
    return tool


def _pg_connection(settings: Settings) -> tuple[list[str], dict[str, str], str]:
    """Arguments naming the database, the environment carrying the password, and its name."""
    from sqlalchemy.engine import make_url

    url = make_url(settings.resolved_database_url)
    if not url.drivername.startswith("postgresql"):
        raise BackupError(f"Orion cannot back up a {url.get_backend_name()} database; use SQLite or PostgreSQL")
    args = []
    if url.host:
        args += ["--host", url.host]
    if url.port:
        args += ["--port", str(url.port)]
    if url.username:
        args += ["--username", url.username]
    env = {**os.environ}
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    for key, variable in (("sslmode", "PGSSLMODE"), ("sslrootcert", "PGSSLROOTCERT")):
        if key in url.query:
            env[variable] = str(url.query[key])
    return args, env, url.database or ""


def _run_pg(command: list[str], env: dict[str, str], cancel: Cancel | None, what: str) -> None:
    if cancel is not None:
        cancel.raise_if_cancelled()
    logger.info("running %s", " ".join(command))  # argv never holds the password
    process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               stdin=subprocess.DEVNULL, text=True)
    started = time.monotonic()
    while True:
        try:
            _out, err = process.communicate(timeout=0.2)
            break
        except subprocess.TimeoutExpired:
            cancelled = False
            if cancel is not None:
                try:
                    cancel.raise_if_cancelled()
                except BaseException:
                    cancelled = True
            if cancelled or time.monotonic() - started > PG_TIMEOUT:
                process.kill()
                process.communicate()
                if cancelled:
                    cancel.raise_if_cancelled()  # type: ignore[union-attr]
                raise BackupError(f"{what} took longer than an hour and was stopped") from None
    if process.returncode != 0:
        lines = [line.strip() for line in (err or "").splitlines() if line.strip()]
        reason = lines[0] if lines else f"exit code {process.returncode}"
        reason = re.sub(r"^(pg_dump|pg_restore): (error: )?", "", reason)
        raise BackupError(f"{what} failed: {reason.rstrip('.')}")


def _backup_postgres(settings: Settings, path: Path, progress: Progress | None, cancel: Cancel | None) -> None:
    tool = _require_tool("pg_dump")
    args, env, database = _pg_connection(settings)
    partial = path.with_name(path.name + ".part")
    _report(progress, -1, "Dumping the database")
    try:
        _run_pg([tool, "--format=custom", "--no-owner", "--file", str(partial), *args, "--dbname", database],
                env, cancel, "pg_dump")
        _report(progress, -1, "Checking the dump")
        restore = pg_tool("pg_restore")
        if restore:  # reading the dump's table of contents proves it is complete and readable
            _run_pg([restore, "--list", str(partial)], env, cancel, "checking the dump")
        partial.replace(path)
    except BaseException:
        _remove(partial)
        raise


# -- restoring -----------------------------------------------------------------------------


def restore_backup(settings: Settings, backup: BackupInfo | str | Path, *, progress: Progress | None = None,
                   cancel: Cancel | None = None) -> BackupInfo:
    """Replace the database of ``settings`` with the backup's content.

    Refused while a server or task consumer runs on this installation (``running_lock``). The
    current database is backed up first (``pre-restore``), so a wrong choice can be undone.
    SQLite: the file's integrity is checked, then the online backup API copies it into the live
    database, which other connections see as one change. PostgreSQL: ``pg_restore --clean
    --if-exists`` in a single transaction.
    """
    from orion_server.running_lock import exclusive

    info = backup if isinstance(backup, BackupInfo) else find_backup(settings, backup)
    if not info.path.is_file():
        raise BackupError(f"the backup {info.name} no longer exists")
    wanted = "sqlite" if settings.is_sqlite else "postgresql"
    if info.kind != wanted:
        raise BackupError(
            f"{info.name} is a {_kind_name(info.kind)} backup and cannot be restored into this "
            f"{_kind_name(wanted)} database")
    with exclusive(settings, "restoring a backup"):
        if not settings.is_sqlite or _sqlite_file(settings).exists():  # else a new installation: nothing to keep
            create_backup(settings, reason=RESTORE_REASON, progress=progress, cancel=cancel)
        if settings.is_sqlite:
            _restore_sqlite(settings, info, progress, cancel)
        else:
            _restore_postgres(settings, info, progress, cancel)
    logger.info("backup restored: %s", info.name)
    return info


def backup_before_upgrade(settings: Settings, engine: Any, *, progress: Progress | None = None,
                          cancel: Cancel | None = None) -> BackupInfo | None:
    """Back up before migrating, whatever starts the migration (``orion db upgrade``, ``orion
    init``, the console): None when there is nothing to lose (a new database) or nothing to do."""
    from orion_server.migrations import current_revisions, pending_heads

    if not current_revisions(engine) or not pending_heads(engine):
        return None
    return create_backup(settings, reason=UPGRADE_REASON, progress=progress, cancel=cancel)


def _kind_name(kind: str) -> str:
    return "SQLite" if kind == "sqlite" else "PostgreSQL"


def _restore_sqlite(settings: Settings, info: BackupInfo, progress: Progress | None, cancel: Cancel | None) -> None:
    _report(progress, 0, "Checking the backup")
    problem = integrity_problem(info.path)
    if problem:
        raise BackupError(f"{info.name} is damaged or not an Orion backup ({problem}), so nothing was restored")
    live = _sqlite_file(settings)
    live.parent.mkdir(parents=True, exist_ok=True)
    source = sqlite3.connect(f"file:{info.path}?mode=ro", uri=True)
    target = sqlite3.connect(live, timeout=30)
    try:
        _copy_sqlite(source, target, progress, cancel, "Restoring the database")
    except sqlite3.OperationalError as exc:
        raise BackupError(f"the database could not be replaced ({exc}): stop the server and try again") from exc
    finally:
        target.close()
        source.close()


def _restore_postgres(settings: Settings, info: BackupInfo, progress: Progress | None, cancel: Cancel | None) -> None:
    tool = _require_tool("pg_restore")
    args, env, database = _pg_connection(settings)
    _report(progress, -1, "Restoring the database")
    _run_pg([tool, "--clean", "--if-exists", "--no-owner", "--single-transaction", *args,
             "--dbname", database, str(info.path)], env, cancel, "pg_restore")


# -- automatic backups ---------------------------------------------------------------------


def prune(settings: Settings, retention: int) -> list[BackupInfo]:
    """Delete automatic backups beyond the newest ``retention``; manual and pre-upgrade ones stay."""
    retention = max(1, int(retention))
    automatic = [info for info in list_backups(settings) if info.automatic]
    removed = automatic[retention:]
    for info in removed:
        info.path.unlink(missing_ok=True)
        logger.info("old automatic backup deleted: %s", info.name)
    return removed


def backup_due(last: datetime | None, now: datetime) -> bool:
    """Whether a daily backup is due: none yet, or the last one is (almost) a day old."""
    if last is None:
        return True
    return now - last >= DAY - DUE_SLACK


def last_automatic(settings: Settings) -> datetime | None:
    """When the newest automatic backup was made."""
    return next((info.created_at for info in list_backups(settings) if info.automatic), None)


def run_daily_backup(settings: Settings, retention: int, *, now: datetime | None = None,
                     progress: Progress | None = None, cancel: Cancel | None = None) -> BackupInfo | None:
    """Make the automatic backup when one is due, then prune; None when none was due.

    The console runs this (hourly and at start) rather than the server: the console is what an
    operator of a one-machine installation keeps open, it also works while the server is
    stopped, and it can show a failed backup to a person instead of only logging it; a server
    with several workers would also have to agree which one backs up.
    """
    now = now or datetime.now(UTC)
    if not backup_due(last_automatic(settings), now):
        return None
    info = create_backup(settings, reason=AUTO_REASON, now=now, progress=progress, cancel=cancel)
    prune(settings, retention)
    return info


def load_backup_settings(settings: Settings) -> BackupSettings:
    """The automatic-backup choices saved in ``backup_settings.json`` (defaults when absent or unreadable)."""
    path = settings.data_dir / SETTINGS_FILE
    try:
        raw: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return BackupSettings()
    try:
        retention = min(MAX_RETENTION, max(1, int(raw.get("retention", DEFAULT_RETENTION))))
    except (TypeError, ValueError):
        retention = DEFAULT_RETENTION
    return BackupSettings(enabled=bool(raw.get("enabled", True)), retention=retention)


def save_backup_settings(settings: Settings, value: BackupSettings) -> None:
    """Save the automatic-backup choices in the data folder."""
    if not 1 <= value.retention <= MAX_RETENTION:
        raise BackupError(f"keep between 1 and {MAX_RETENTION} automatic backups", field="retention")
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    path = settings.data_dir / SETTINGS_FILE
    partial = path.with_suffix(".tmp")
    partial.write_text(json.dumps(asdict(value), indent=2) + "\n", encoding="utf-8")
    partial.replace(path)
