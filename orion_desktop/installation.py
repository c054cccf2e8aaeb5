"""What the console knows about the installation it manages: data folder, database, readiness."""

from __future__ import annotations

from dataclasses import dataclass

from orion_desktop.strings import tr


@dataclass(frozen=True)
class InstallationState:
    """Whether the data folder holds a usable Orion database, and what to do when not."""

    data_dir: str
    database: str
    initialised: bool
    problem: str = ""


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
                "The database needs migrations ({names}). Run `orion db upgrade` in a terminal, "
                "then reopen the console.", names=", ".join(sorted(pending))))
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
        "Orion is not set up in {data_dir} yet. Run `orion init` in a terminal to create the "
        "database, the main platform and the first admin, then reopen the console.",
        data_dir=data_dir,
    )
