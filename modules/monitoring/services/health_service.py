"""What the health page shows: each enabled module's check per platform, the database, the task
queue, the data folder's disk, the last good backup and the TLS certificate of the base URL."""

from __future__ import annotations

import shutil
import socket
import ssl
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import text

from orion_server.backups import list_backups
from orion_server.config import Settings
from orion_server.migrations import pending_heads
from orion_server.modules import registry
from orion_server.modules.base import HealthResult
from orion_server.modules.service import module_service

LOW_DISK_BYTES = 1024**3
"""Less free space than this in the data folder's disk is a problem (1 GiB)."""
LOW_DISK_SHARE = 0.05
"""... and so is less than 5 % of the disk free."""
BACKUP_MAX_AGE = timedelta(days=2)
"""A newest good backup older than this is a problem (the console makes one a day)."""
CERTIFICATE_WARN_DAYS = 14
"""A certificate that expires within this many days is a problem."""
BACKUP_HEADERS = {"sqlite": b"SQLite format 3\x00", "postgresql": b"PGDMP"}
"""How a backup file that is not empty or cut off begins, per kind."""


@dataclass(frozen=True)
class Check:
    """One line of the page: whether it is fine, what was seen, what to do when it is not."""

    ok: bool
    detail: str = ""
    figures: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class ModuleHealth:
    """A module's health check and where it is enabled."""

    code: str
    name: str
    result: HealthResult | None
    """None when the module declares no health check."""
    enabled_on: frozenset[int]
    """Ids of the platforms (of those asked about) where the module is on."""


@dataclass(frozen=True)
class HealthReport:
    """Everything the health page shows."""

    checked_at: datetime
    database: Check
    task_queue: Check
    disk: Check
    backup: Check
    certificate: Check | None
    """None when the base URL is not https (no certificate of Orion's to watch)."""
    modules: list[ModuleHealth]

    @property
    def ok(self) -> bool:
        checks = [self.database, self.task_queue, self.disk, self.backup, self.certificate]
        modules_ok = all(m.result is None or m.result.ok or not m.enabled_on for m in self.modules)
        return modules_ok and all(check is None or check.ok for check in checks)


def check_database(db: Any) -> Check:
    """The database answers, with its kind, answer time and pending migrations."""
    started = time.perf_counter()
    try:
        db.execute(text("SELECT 1"))
    except Exception as exc:
        db.rollback()
        return Check(False, f"the database does not answer: {exc.__class__.__name__}")
    elapsed_ms = (time.perf_counter() - started) * 1000
    bind = db.get_bind()
    figures = {"kind": bind.dialect.name, "answer_ms": round(elapsed_ms, 1)}
    try:
        pending = sorted(pending_heads(bind))
    except Exception as exc:
        return Check(False, f"the migrations cannot be read: {exc.__class__.__name__}", figures)
    figures["pending"] = pending
    if pending:
        return Check(False, "migrations are pending: run `orion db upgrade`", figures)
    return Check(True, "", figures)


def check_task_queue(huey: Any) -> Check:
    """The task queue answers, with its storage and how many tasks wait."""
    figures: dict[str, Any] = {"storage": type(huey).__name__.removesuffix("Huey").lower() or "huey"}
    try:
        figures["pending"] = huey.pending_count()
        figures["scheduled"] = huey.scheduled_count()
    except Exception as exc:
        return Check(False, f"the task queue cannot be reached: {exc.__class__.__name__}", figures)
    return Check(True, "", figures)


def check_disk(folder: Path) -> Check:
    """Free space of the disk holding ``folder``."""
    try:
        usage = shutil.disk_usage(folder)
    except OSError as exc:
        return Check(False, f"the data folder cannot be read: {exc.strerror}", {"path": str(folder)})
    figures = {"path": str(folder), "free": usage.free, "total": usage.total,
               "used_share": (usage.total - usage.free) / usage.total if usage.total else 0.0}
    low = usage.free < LOW_DISK_BYTES or (usage.total and usage.free / usage.total < LOW_DISK_SHARE)
    return Check(not low, "low_disk" if low else "", figures)


def _sound(path: Path, kind: str) -> bool:
    """The file starts as a backup of its kind does (not empty, not another file renamed)."""
    header = BACKUP_HEADERS[kind]
    try:
        with path.open("rb") as handle:
            return handle.read(len(header)) == header
    except OSError:
        return False


def check_backup(settings: Settings, now: datetime) -> Check:
    """The newest backup that is sound, and whether it is recent enough."""
    good = next((info for info in list_backups(settings) if _sound(info.path, info.kind)), None)
    if good is None:
        return Check(False, "no_backup")
    figures = {"created_at": good.created_at, "name": good.name, "size": good.size, "reason": good.reason}
    if now - good.created_at > BACKUP_MAX_AGE:
        return Check(False, "old_backup", figures)
    return Check(True, "", figures)


def read_certificate(host: str, port: int, timeout: float = 3.0) -> datetime:
    """When the certificate served at ``host:port`` expires (verified against the system's CAs)."""
    context = ssl.create_default_context()
    with socket.create_connection((host, port), timeout=timeout) as raw, \
            context.wrap_socket(raw, server_hostname=host) as secured:
        certificate = secured.getpeercert()
    return datetime.fromtimestamp(ssl.cert_time_to_seconds(certificate["notAfter"]), UTC)


def check_certificate(settings: Settings, now: datetime,
                      read: Callable[[str, int], datetime] = read_certificate) -> Check | None:
    """The expiry of the certificate at the base URL when it is https (host mode with TLS in
    front of Orion); None otherwise."""
    parts = urlsplit(settings.base_url)
    if parts.scheme != "https" or not parts.hostname:
        return None
    host, port = parts.hostname, parts.port or 443
    figures: dict[str, Any] = {"host": host, "port": port}
    try:
        expires = read(host, port)
    except (OSError, ssl.SSLError, ValueError, KeyError) as exc:
        return Check(False, f"no valid certificate could be read from {host}:{port}: {exc}", figures)
    figures.update(expires_at=expires, days_left=(expires - now).days)
    if expires <= now:
        return Check(False, "certificate_expired", figures)
    if expires - now < timedelta(days=CERTIFICATE_WARN_DAYS):
        return Check(False, "certificate_expires_soon", figures)
    return Check(True, "", figures)


def module_health(db: Any, platform_ids: list[int]) -> list[ModuleHealth]:
    """Every module enabled on at least one of the platforms, with its health check's result."""
    enabled = {pid: module_service.get_enabled_module_codes(db, pid) for pid in platform_ids}
    rows = []
    for module in registry.MODULES.values():
        on = frozenset(pid for pid, codes in enabled.items() if module.code in codes)
        if not on:
            continue
        result: HealthResult | None = None
        if module.health_check is not None:
            try:
                answer = module.resolve(module.health_check)()
            except Exception as exc:
                answer = HealthResult(False, f"the health check raised {exc.__class__.__name__}")
            result = answer if isinstance(answer, HealthResult) else HealthResult(answer is not False)
        rows.append(ModuleHealth(module.code, module.name, result, on))
    return sorted(rows, key=lambda row: (row.result is None, row.result.ok if row.result else True, row.code))


def health_report(db: Any, *, settings: Settings, huey: Any, platform_ids: list[int],
                  now: datetime | None = None) -> HealthReport:
    """The whole health page for the platforms ``platform_ids`` (the admin's reach)."""
    now = now or datetime.now(UTC)
    return HealthReport(
        checked_at=now,
        database=check_database(db),
        task_queue=check_task_queue(huey),
        disk=check_disk(settings.data_dir),
        backup=check_backup(settings, now),
        certificate=check_certificate(settings, now),
        modules=module_health(db, platform_ids),
    )
