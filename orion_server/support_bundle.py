"""The support bundle: one zip with what support staff need, and never a secret.

It holds the chosen time window of logs, versions, the operating system, module states per
platform, migration heads and the settings with secrets redacted. ``bundle_contents`` says
what it will contain before anything is written.
"""

from __future__ import annotations

import io
import json
import platform as host_platform
import re
import sys
import zipfile
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from importlib import metadata
from pathlib import Path
from typing import Any

from orion_server import __version__
from orion_server.config import Settings, get_settings
from orion_server.errors import ValidationError
from orion_server.logs import LOG_DB, query_logs, redact

SECRET_FIELD = re.compile(r"(?i)(secret|password|token|key|credential)")
PACKAGES = ("fastapi", "uvicorn", "sqlalchemy", "alembic", "pydantic", "jinja2", "huey", "babel", "pyside6-essentials")
DURATION = re.compile(r"^\s*(\d+)\s*([mhd])\s*$")


class BundleError(ValidationError):
    """The bundle cannot be made as asked; the message says why."""


def parse_duration(text: str) -> timedelta:
    """``30m``, ``24h`` or ``7d`` as a timedelta."""
    match = DURATION.match(text or "")
    if not match:
        raise BundleError(f"cannot read the time window {text!r}: write it like 30m, 24h or 7d")
    amount, unit = int(match.group(1)), match.group(2)
    if amount <= 0:
        raise BundleError("the time window must be longer than zero")
    unit_name = {"m": "minutes", "h": "hours", "d": "days"}[unit]
    return timedelta(**{unit_name: amount})


@dataclass(frozen=True)
class BundleEntry:
    """One file of the bundle and a sentence saying what it holds."""

    name: str
    description: str
    content: bytes


def redacted_settings(settings: Settings) -> dict[str, Any]:
    """The settings as JSON-ready values, secrets replaced by ``***``."""
    values: dict[str, Any] = {}
    for name, value in settings.model_dump().items():
        if SECRET_FIELD.search(name):
            values[name] = "***" if value else ""
        elif isinstance(value, str):
            values[name] = redact(value)
        elif isinstance(value, Path):
            values[name] = str(value)
        elif isinstance(value, list):
            values[name] = [str(v) for v in value]
        else:
            values[name] = value
    values["database_url"] = redact(settings.resolved_database_url)
    return values


def _versions() -> dict[str, str]:
    versions = {"orion": __version__, "python": sys.version.split()[0]}
    for package in PACKAGES:
        try:
            versions[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            versions[package] = "not installed"
    return versions


def _system() -> dict[str, str]:
    return {
        "os": host_platform.system(),
        "release": host_platform.release(),
        "version": host_platform.version(),
        "machine": host_platform.machine(),
        "frozen": str(bool(getattr(sys, "frozen", False))),
    }


def _module_states() -> dict[str, Any]:
    from orion_server.database import db
    from orion_server.models import Platform
    from orion_server.modules.service import module_service

    try:
        with db.session() as session:
            return {
                p.code: {s.code: s.enabled for s in module_service.get_platform_modules(session, p.id)}
                for p in session.query(Platform).order_by(Platform.code)
            }
    except Exception as exc:
        return {"error": f"could not read module states: {exc.__class__.__name__}"}


def _migrations() -> Any:
    from orion_server.database import db
    from orion_server.migrations import branch_states

    try:
        return branch_states(db.engine)
    except Exception as exc:
        return {"error": f"could not read migration state: {exc.__class__.__name__}"}


def _logs(settings: Settings, since: datetime) -> bytes:
    rows = query_logs(settings.logs_dir / LOG_DB, since=since, limit=200_000)
    lines = []
    for row in rows:
        row["message"] = redact(row.get("message") or "")
        if row.get("exception"):
            row["exception"] = redact(row["exception"])
        lines.append(json.dumps(row, ensure_ascii=False))
    return ("\n".join(lines) + ("\n" if lines else "")).encode()


def bundle_contents(window: timedelta, *, now: datetime | None = None) -> list[BundleEntry]:
    """Everything the bundle will hold, for a preview and for writing."""
    settings = get_settings()
    now = now or datetime.now(UTC)
    since = now - window

    def as_json(value: Any) -> bytes:
        return json.dumps(value, indent=2, ensure_ascii=False, default=str).encode()

    logs = _logs(settings, since)
    return [
        BundleEntry("summary.json", "when and for which time window the bundle was made", as_json(
            {"created_at": now.isoformat(), "since": since.isoformat(), "log_records": logs.count(b"\n")}
        )),
        BundleEntry("versions.json", "versions of Orion, Python and the main libraries", as_json(_versions())),
        BundleEntry("system.json", "operating system and machine", as_json(_system())),
        BundleEntry("settings.json", "settings, with passwords, tokens and keys replaced by ***", as_json(redacted_settings(settings))),
        BundleEntry("modules.json", "which modules are on for each platform", as_json(_module_states())),
        BundleEntry("migrations.json", "each migration branch's current revision and head", as_json(_migrations())),
        BundleEntry("logs.jsonl", "log records of the time window, secrets redacted", logs),
    ]


def bundle_name(now: datetime | None = None) -> str:
    """``orion-support-<version>-<UTC timestamp>.zip``."""
    stamp = (now or datetime.now(UTC)).strftime("%Y%m%dT%H%M%SZ")
    return f"orion-support-{__version__}-{stamp}.zip"


def write_zip(entries: list[BundleEntry], target: Any) -> None:
    """Pack ``entries`` into a zip written to ``target`` (a path or a binary file object)."""
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for entry in entries:
            archive.writestr(entry.name, entry.content)


def bundle_bytes(window: timedelta, *, now: datetime | None = None) -> bytes:
    """The bundle as the bytes of its zip (a download in the admin)."""
    buffer = io.BytesIO()
    write_zip(bundle_contents(window, now=now), buffer)
    return buffer.getvalue()


def write_bundle(window: timedelta, out: Path | None = None, *, now: datetime | None = None) -> Path:
    """Write the bundle; ``out`` may be a folder (the standard name is used) or a file path."""
    now = now or datetime.now(UTC)
    target = out or Path.cwd()
    if target.is_dir():
        target = target / bundle_name(now)
    if not target.parent.is_dir():
        raise BundleError(f"the folder {target.parent} does not exist")
    write_zip(bundle_contents(window, now=now), target)
    return target
