"""Setting an installation up: what ``orion init`` and the console's first-run wizard both do.

``initialise`` migrates the database of the current settings one revision at a time, creates the
main platform and the first super admin (each only when missing), and reports each step. The
callers differ only in how they show it: the CLI prints the English text, the console
translates it (``Step.text`` is the English template, ``Step.params`` its values).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.exc import OperationalError

from orion_server.accounts import create_user, find_admin
from orion_server.backups import backup_before_upgrade
from orion_server.config import get_settings
from orion_server.database import db
from orion_server.errors import NotFoundError, OrionError
from orion_server.logs import redact
from orion_server.migrations import current_revisions, script_directory, upgrade
from orion_server.models import UserRole
from orion_server.tenancy import tenancy_service


@dataclass(frozen=True)
class Step:
    """One step of the set-up, as English text with placeholders and their values."""

    text: str
    params: dict[str, Any] = field(default_factory=dict)

    def english(self) -> str:
        return self.text.format(**self.params)


@dataclass(frozen=True)
class SetupResult:
    """What the set-up did."""

    data_dir: str
    migrations: int
    platform_created: bool
    admin_email: str
    admin_created: bool


class DatabaseUnreachable(OrionError):
    """The database of the settings cannot be opened; ``database`` names it without a password."""

    status = 503
    code = "database_unreachable"

    def __init__(self, database: str) -> None:
        super().__init__(
            f"Orion could not open the database {database}. Check that it is reachable and that the "
            "address is right, then try again."
        )
        self.database = database


Progress = Callable[[int, Step], None]
Credentials = Callable[[], tuple[str, str]]


def pending_migrations(engine: Any) -> list[str]:
    """Revisions still to apply, in an order where each one's dependencies come first."""
    script = script_directory()
    applied: set[str] = set()
    for revision in current_revisions(engine):
        applied.update(r.revision for r in script.iterate_revisions(revision, "base"))
    ordered = [r.revision for r in reversed(list(script.walk_revisions()))]
    return [revision for revision in ordered if revision not in applied]


def initialise(
    *,
    platform_name: str,
    admin_credentials: Credentials,
    default_language: str | None = None,
    progress: Progress | None = None,
    cancel: Callable[[], object] | None = None,
) -> SetupResult:
    """Migrate, then create the main platform and the first super admin where missing.

    ``admin_credentials`` is asked for ``(email, password)`` only when there is no admin yet (the
    CLI prompts then). ``cancel`` is called between steps and stops the set-up by raising; what
    was done stays done, and running it again carries on."""
    report = progress or (lambda _percent, _step: None)
    check = cancel or (lambda: None)
    settings = get_settings()
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    report(2, Step("Opening the database"))
    try:
        pending = pending_migrations(db.engine)
    except OperationalError as exc:
        raise DatabaseUnreachable(redact(settings.resolved_database_url)) from exc
    total = len(pending) + 2
    if pending:
        report(3, Step("Backing up the database first"))
        backup_before_upgrade(settings, db.engine)  # none made on a new database
    for number, revision in enumerate(pending, start=1):
        check()
        report(int(90 * (number - 1) / total) + 5,
               Step("Applying migration {number} of {count} ({name})",
                    {"number": number, "count": len(pending), "name": revision}))
        upgrade(db.engine, revision)
    upgrade(db.engine)  # nothing left normally; makes sure every head is reached
    check()
    report(int(90 * len(pending) / total) + 5, Step("Creating the main platform"))
    platform_created = False
    with db.session() as session:
        try:
            tenancy_service.get_platform(session, settings.main_platform_code)
        except NotFoundError:
            extra = {"default_language": default_language} if default_language else {}
            tenancy_service.create_platform(session, code=settings.main_platform_code, name=platform_name, **extra)
            platform_created = True
        check()
        report(int(90 * (len(pending) + 1) / total) + 5, Step("Creating the first admin"))
        admin = find_admin(session)
        admin_created = admin is None
        if admin is None:
            email, password = admin_credentials()
            admin = create_user(session, email=email, password=password, role=UserRole.SUPER_ADMIN,
                                full_name="Administrator")
        email = admin.email
    report(100, Step("Orion is set up"))
    return SetupResult(str(settings.data_dir), len(pending), platform_created, email, admin_created)
