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
    from orion_server.setup import SetupResult


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


def set_up_installation(
    *,
    platform_name: str,
    default_language: str,
    admin_email: str,
    admin_password: str,
    progress: Callable[[int, str], None] | None = None,
    cancel: CancelToken | None = None,
) -> SetupResult:
    """The wizard's last page: ``orion_server.setup.initialise`` (what ``orion init`` runs), its
    steps told in the console's language.

    Runs in the background helper; the caller has put the chosen data folder and database in
    the environment first (``settings.apply_environment``)."""
    from orion_server.errors import OrionError
    from orion_server.setup import DatabaseUnreachable, initialise

    report = progress or (lambda _percent, _text: None)
    try:
        return initialise(
            platform_name=platform_name,
            default_language=default_language,
            admin_credentials=lambda: (admin_email, admin_password),
            progress=lambda percent, step: report(percent, tr(step.text, **step.params)),
            cancel=cancel.raise_if_cancelled if cancel is not None else None,
        )
    except DatabaseUnreachable as exc:
        raise OrionError(tr("Orion could not open the database {database}. Check that it is reachable and that "
                            "the address is right, then try again.", database=exc.database)) from exc
