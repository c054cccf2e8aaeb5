"""What the console knows about the installation it manages: data folder, database, readiness."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from orion_desktop.strings import tr

if TYPE_CHECKING:
    from orion_desktop.operations import CancelToken


@dataclass(frozen=True)
class InstallationState:
    """Whether the data folder holds a usable Orion database, and what to do when not."""

    data_dir: str
    database: str
    initialised: bool
    problem: str = ""
    pending: tuple[str, ...] = ()
    """Migration branches behind their head: the console opens the Database page to upgrade."""


def read_installation_state() -> InstallationState:
    """Check the database of the current settings (runs in the background helper)."""
    from sqlalchemy import select

    from orion_server.config import get_settings
    from orion_server.database import db
    from orion_server.logs import redact
    from orion_server.migrations import current_revisions, pending_heads
    from orion_server.models import Platform

    settings = get_settings()
    database = redact(settings.resolved_database_url)
    data_dir = str(settings.data_dir)
    if settings.is_sqlite and not settings.sqlite_path.exists():
        return InstallationState(data_dir, database, False, _not_initialised(data_dir))
    try:
        if not current_revisions(db.engine):
            return InstallationState(data_dir, database, False, _not_initialised(data_dir))
        pending = pending_heads(db.engine)
        if pending:
            return InstallationState(data_dir, database, False, tr(
                "The database needs an upgrade ({names}). Press “Upgrade” on the Database page: "
                "it makes a backup first.", names=", ".join(sorted(pending))),
                pending=tuple(sorted(pending)))
        with db.session() as session:
            if session.scalar(select(Platform.id).where(Platform.code == settings.main_platform_code)) is None:
                return InstallationState(data_dir, database, False, _not_initialised(data_dir))
    except Exception as exc:
        return InstallationState(data_dir, database, False, tr(
            "The console cannot open the database {database} ({name}). Check that it is reachable, "
            "then reopen the console.", database=database, name=exc.__class__.__name__))
    return InstallationState(data_dir, database, True)


def _not_initialised(data_dir: str) -> str:
    return tr(
        "Orion is not set up in {data_dir} yet. Press “Set up Orion…” to choose the data folder and "
        "the database and to create the main platform and the first admin (or run `orion init` in a "
        "terminal, then reopen the console).",
        data_dir=data_dir,
    )


# -- first run ------------------------------------------------------------------------------------

ORION_MARKERS = ("orion.db", "secret_key", "logs", "tasks.db")


def default_data_dir() -> str:
    """The per-user data folder Orion uses when nothing else is chosen."""
    from platformdirs import user_data_dir

    return user_data_dir("orion", appauthor=False)


def data_folder_problem(folder: str) -> str | None:
    """Why ``folder`` cannot hold a new Orion installation, or None.

    It must be writable (or creatable) and either empty or already Orion's."""
    if not folder.strip():
        return tr("Choose a folder for Orion's data.")
    path = Path(folder).expanduser()
    if not path.is_absolute():
        return tr("Choose a full folder path, such as {example}.", example=default_data_dir())
    if path.exists() and not path.is_dir():
        return tr("{path} is a file, not a folder. Choose a folder.", path=path)
    existing = path
    while not existing.exists() and existing != existing.parent:
        existing = existing.parent
    if not os.access(existing, os.W_OK | os.X_OK):
        return tr("Orion cannot write in {path}. Choose a folder of your own.", path=existing)
    if path.is_dir():
        entries = {entry.name for entry in path.iterdir()}
        if entries and not entries & set(ORION_MARKERS):
            return tr("{path} already holds other files. Choose an empty folder or an Orion data folder.",
                      path=path)
    return None


def is_orion_folder(folder: str) -> bool:
    """Whether ``folder`` already holds Orion data."""
    path = Path(folder).expanduser()
    return path.is_dir() and any((path / name).exists() for name in ORION_MARKERS)


@dataclass(frozen=True)
class ConnectionCheck:
    """The result of trying a database URL: whether it worked and a sentence saying so."""

    ok: bool
    message: str


def check_database_url(url: str, timeout: int = 5) -> ConnectionCheck:
    """Connect to the PostgreSQL ``url`` once (runs in the background helper; never raises).

    The sentence never contains the password: driver messages are passed through ``redact``."""
    from sqlalchemy import text
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    from orion_server.database import make_engine
    from orion_server.logs import redact

    url = url.strip()
    if not url.startswith(("postgresql://", "postgresql+psycopg://")):
        return ConnectionCheck(False, tr(
            "Enter a PostgreSQL address such as postgresql+psycopg://user:password@host:5432/database."))
    try:
        parsed = make_url(url)
    except ArgumentError:
        return ConnectionCheck(False, tr(
            "This is not a database address. Use the form postgresql+psycopg://user:password@host:5432/database."))
    if not parsed.database:
        return ConnectionCheck(False, tr("Add the database name at the end of the address, such as …/orion."))
    engine = make_engine(url, connect_args={"connect_timeout": timeout}, pool_pre_ping=False)
    try:
        with engine.connect() as connection:
            version = connection.execute(text("SHOW server_version")).scalar() or ""
    except Exception as exc:  # every failure becomes a sentence for the operator
        reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()
        reason_text = redact(reason[0] if reason else exc.__class__.__name__).rstrip(".")
        reason_text = reason_text.removeprefix("connection failed: ")
        if parsed.password:
            reason_text = reason_text.replace(parsed.password, "***")
        return ConnectionCheck(False, tr(
            "Orion could not connect to {server}: {reason}. Check the address, the user and the password, "
            "and that PostgreSQL is running.", server=_server_name(parsed), reason=reason_text))
    finally:
        engine.dispose()
    return ConnectionCheck(True, tr("Connected to PostgreSQL {version} at {server}.",
                                    version=version.split(" ")[0], server=_server_name(parsed)))


def _server_name(parsed) -> str:
    return f"{parsed.host or 'localhost'}:{parsed.port or 5432}/{parsed.database}"


@dataclass(frozen=True)
class SetupResult:
    """What the first-run set-up did."""

    data_dir: str
    migrations: int
    platform_created: bool
    admin_email: str
    admin_created: bool


def pending_migrations(engine) -> list[str]:
    """Revisions still to apply, in an order where each one's dependencies come first."""
    from orion_server.migrations import current_revisions, script_directory

    script = script_directory()
    applied: set[str] = set()
    for revision in current_revisions(engine):
        applied.update(r.revision for r in script.iterate_revisions(revision, "base"))
    ordered = [r.revision for r in reversed(list(script.walk_revisions()))]
    return [revision for revision in ordered if revision not in applied]


def set_up_installation(
    *,
    platform_name: str,
    default_language: str,
    admin_email: str,
    admin_password: str,
    progress: Callable[[int, str], None] | None = None,
    cancel: CancelToken | None = None,
) -> SetupResult:
    """What ``orion init`` does, with progress: migrate the database of the current settings,
    create the main platform and the first super admin (each only when missing).

    Runs in the background helper; the caller has put the chosen data folder and database in
    the environment first (``settings.apply_environment``)."""
    from sqlalchemy.exc import OperationalError

    from modules.tenancy.services import tenancy_service
    from orion_server.accounts import create_user, find_admin
    from orion_server.config import get_settings
    from orion_server.database import db
    from orion_server.errors import NotFoundError, OrionError
    from orion_server.logs import redact
    from orion_server.migrations import upgrade
    from orion_server.models import UserRole

    report = progress or (lambda _percent, _text: None)
    settings = get_settings()
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    report(2, tr("Opening the database"))
    try:
        pending = pending_migrations(db.engine)
    except OperationalError as exc:
        database = redact(settings.resolved_database_url)
        raise OrionError(tr("Orion could not open the database {database}. Check that it is reachable and that "
                            "the address is right, then try again.", database=database)) from exc
    total = len(pending) + 2
    for number, revision in enumerate(pending, start=1):
        if cancel is not None:
            cancel.raise_if_cancelled()
        report(int(90 * (number - 1) / total) + 5,
               tr("Applying migration {number} of {count} ({name})", number=number, count=len(pending),
                  name=revision))
        upgrade(db.engine, revision)
    upgrade(db.engine)  # nothing left normally; makes sure every head is reached
    if cancel is not None:
        cancel.raise_if_cancelled()
    report(int(90 * len(pending) / total) + 5, tr("Creating the main platform"))
    platform_created = False
    with db.session() as session:
        try:
            tenancy_service.get_platform(session, settings.main_platform_code)
        except NotFoundError:
            tenancy_service.create_platform(session, code=settings.main_platform_code, name=platform_name,
                                            default_language=default_language)
            platform_created = True
        report(int(90 * (len(pending) + 1) / total) + 5, tr("Creating the first admin"))
        admin = find_admin(session)
        admin_created = admin is None
        if admin is None:
            admin = create_user(session, email=admin_email, password=admin_password, role=UserRole.SUPER_ADMIN,
                                full_name="Administrator")
        email = admin.email
    report(100, tr("Orion is set up"))
    return SetupResult(str(settings.data_dir), len(pending), platform_created, email, admin_created)
