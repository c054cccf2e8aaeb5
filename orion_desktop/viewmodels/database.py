"""The Database page's state: the connection, migration branches, upgrades and backups.

"Upgrade" always makes a backup first; when the upgrade then fails, the operator is asked
whether to restore that backup. A restore stops a running server first and starts it again
afterwards. Automatic daily backups run here, in the console (see
``orion_server.backups.run_daily_backup`` for why), checked at start and every hour.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from orion_desktop.operations import Failure, Operation, OperationRunner
from orion_desktop.qt import QColor, QModelIndex, QObject, QPersistentModelIndex, Qt, QTimer, Signal
from orion_desktop.strings import tr
from orion_desktop.viewmodels.tables import RowsTableModel

if TYPE_CHECKING:
    from orion_desktop.viewmodels.server import ServerViewModel
    from orion_server.backups import BackupInfo, BackupSettings

CHECK_MS = 60 * 60 * 1000  # the daily backup is looked at every hour
UP_TO_DATE, BEHIND, NOT_INSTALLED = "up_to_date", "behind", "not_installed"
BACKUP_SHARE = 30  # of the upgrade's progress bar

Ask = Callable[[str, str], bool]  # (title, question) -> the operator said yes


@dataclass(frozen=True)
class BranchRow:
    """One migration branch: the framework's or a module's."""

    branch: str
    module: str
    current: str
    head: str
    state: str

    @property
    def state_text(self) -> str:
        return {UP_TO_DATE: tr("Up to date"), BEHIND: tr("Behind"), NOT_INSTALLED: tr("Not installed")}[self.state]


@dataclass(frozen=True)
class BackupRow:
    """One backup as the table shows it."""

    info: BackupInfo
    name: str
    time: str
    reason: str
    size: str


@dataclass(frozen=True)
class DatabaseSnapshot:
    """Everything the page shows, read in one go off the UI thread."""

    database: str
    kind: str
    folder: str
    branches: list[BranchRow] = field(default_factory=list)
    backups: list[BackupInfo] = field(default_factory=list)
    auto: BackupSettings | None = None


# -- work done off the UI thread -----------------------------------------------------------


def _settings():
    from orion_server.config import get_settings

    return get_settings()


def module_name(branch: str) -> str:
    """The readable name of a migration branch."""
    from orion_server.migrations import FRAMEWORK_BRANCH
    from orion_server.modules import registry

    if branch == FRAMEWORK_BRANCH:
        return tr("Orion framework")
    module = registry.MODULES.get(branch)
    return module.name if module is not None else branch


def read_database() -> DatabaseSnapshot:
    """The connection, each branch's state, the backups and the automatic-backup choices."""
    from orion_server.backups import backup_dir, list_backups, load_backup_settings
    from orion_server.database import db
    from orion_server.logs import redact
    from orion_server.migrations import branch_states

    settings = _settings()
    branches = []
    for state in branch_states(db.engine):
        current, head = state["current"], state["head"] or ""
        kind = NOT_INSTALLED if current is None else UP_TO_DATE if current == head else BEHIND
        branches.append(BranchRow(str(state["branch"]), module_name(str(state["branch"])), current or "", head, kind))
    branches.sort(key=lambda row: (row.branch != "orion", row.state == UP_TO_DATE, row.module.lower()))
    return DatabaseSnapshot(
        database=redact(settings.resolved_database_url),
        kind="SQLite" if settings.is_sqlite else "PostgreSQL",
        folder=str(backup_dir(settings)),
        branches=branches,
        backups=list_backups(settings),
        auto=load_backup_settings(settings),
    )


def make_backup(reason: str, progress: Any = None, cancel: Any = None) -> BackupInfo:
    """A backup of the current database."""
    from orion_server.backups import create_backup

    return create_backup(_settings(), reason=reason, progress=progress, cancel=cancel)


def backup_before_upgrade(progress: Any = None, cancel: Any = None) -> BackupInfo:
    """The backup an upgrade starts with (the first part of its progress)."""
    from orion_server.backups import UPGRADE_REASON, backup_before_upgrade, create_backup
    from orion_server.database import db

    def scaled(percent: int = -1, text: str = "") -> None:
        if progress:
            progress(percent * BACKUP_SHARE // 100 if percent >= 0 else -1, tr("Backing up before the upgrade"))

    made = backup_before_upgrade(_settings(), db.engine, progress=scaled, cancel=cancel)
    # Nothing pending (the operator asked anyway): still a copy, as the page promised one.
    return made or create_backup(_settings(), reason=UPGRADE_REASON, progress=scaled, cancel=cancel)


def upgrade_database(progress: Any = None) -> list[str]:
    """Bring every branch that is behind to its head, one branch at a time; returns their names."""
    from orion_server.database import db
    from orion_server.migrations import branch_states, upgrade
    from orion_server.revision import config_cache

    behind = [state for state in branch_states(db.engine) if state["current"] != state["head"]]
    done = []
    for number, state in enumerate(behind):
        name = module_name(str(state["branch"]))
        if progress:
            progress(BACKUP_SHARE + (100 - BACKUP_SHARE) * number // max(1, len(behind)),
                     tr("Upgrading {name}", name=name))
        upgrade(db.engine, str(state["head"]))  # its depends_on pulls other branches along
        done.append(name)
    if progress:
        progress(100, tr("Upgrade finished"))
    config_cache.invalidate()
    return done


def restore_database(backup: BackupInfo, progress: Any = None, cancel: Any = None) -> BackupInfo:
    """Restore ``backup`` into the current database; the console's own connections are dropped."""
    from orion_server.backups import restore_backup
    from orion_server.database import db
    from orion_server.revision import config_cache

    db.engine.dispose()  # idle pooled connections would keep old state (and PostgreSQL locks)
    try:
        return restore_backup(_settings(), backup, progress=progress, cancel=cancel)
    finally:
        db.engine.dispose()
        config_cache.invalidate()


def daily_backup() -> BackupInfo | None:
    """The automatic backup when it is switched on and due (then old ones are pruned)."""
    from orion_server.backups import load_backup_settings, run_daily_backup

    settings = _settings()
    choice = load_backup_settings(settings)
    if not choice.enabled:
        return None
    return run_daily_backup(settings, choice.retention)


def save_auto(enabled: bool, retention: int) -> BackupSettings:
    from orion_server.backups import BackupSettings, save_backup_settings

    value = BackupSettings(enabled=enabled, retention=retention)
    save_backup_settings(_settings(), value)
    return value


# -- table models --------------------------------------------------------------------------


class MigrationsTableModel(RowsTableModel):
    """Migration branches: module, current revision, head, state (behind in amber)."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__([("Module", "module"), ("Current revision", "current"), ("Head", "head"),
                          ("State", "state_text")], parent)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.rows) or not 0 <= index.column() < len(self.columns):
            return None
        row: BranchRow = self.rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole and index.column() == 1 and not row.current:
            return "—"
        if role == Qt.ItemDataRole.ForegroundRole and index.column() == 3 and row.state != UP_TO_DATE:
            return QColor("#9a6700")
        if role == Qt.ItemDataRole.ToolTipRole and index.column() == 0:
            return tr("Migration branch “{branch}”", branch=row.branch)
        return super().data(index, role)


class BackupsTableModel(RowsTableModel):
    """Backups, newest first: name, local time, reason, size."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__([("Name", "name"), ("Time", "time"), ("Reason", "reason"), ("Size", "size")], parent)

    def set_backups(self, backups: list[BackupInfo]) -> None:
        self.set_rows([BackupRow(b, b.name, _local_time(b.created_at), reason_text(b.reason), size_text(b.size))
                       for b in backups])

    def backup_at(self, row: int) -> BackupInfo | None:
        return self.rows[row].info if 0 <= row < len(self.rows) else None

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if (role == Qt.ItemDataRole.TextAlignmentRole and index.isValid() and index.column() == 3
                and 0 <= index.row() < len(self.rows)):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole and index.isValid() and 0 <= index.row() < len(self.rows):
            return str(self.rows[index.row()].info.path)
        return super().data(index, role)


def reason_text(reason: str) -> str:
    return {"auto": tr("Daily"), "manual": tr("Manual"), "pre-upgrade": tr("Before an upgrade"),
            "pre-restore": tr("Before a restore")}.get(reason, reason)


def size_text(size: int) -> str:
    if size < 1024:
        return tr("{n} bytes", n=size)
    if size < 1024 * 1024:
        return tr("{n} KB", n=f"{size / 1024:.0f}")
    return tr("{n} MB", n=f"{size / 1024 / 1024:.1f}")


def _local_time(moment: datetime) -> str:
    return moment.astimezone().strftime("%Y-%m-%d %H:%M:%S")


# -- the view-model ------------------------------------------------------------------------


class DatabaseViewModel(QObject):
    """What the Database page shows, and its actions: upgrade, back up, restore, daily backups."""

    changed = Signal()  # the snapshot was read again
    busy_changed = Signal(bool)
    progressed = Signal(int, str)
    status_changed = Signal(str)
    failed = Signal(object)  # Failure

    def __init__(self, runner: OperationRunner, server: ServerViewModel | None, ask: Ask,
                 parent: QObject | None = None, *, check_ms: int = CHECK_MS) -> None:
        super().__init__(parent)
        self.runner = runner
        self.server = server
        self.ask = ask
        self.snapshot: DatabaseSnapshot | None = None
        self.load_failure: Failure | None = None
        self.migrations = MigrationsTableModel(self)
        self.backups = BackupsTableModel(self)
        self.busy = False
        self.status = ""
        self.last_upgrade_backup: BackupInfo | None = None
        self.timer = QTimer(self)
        self.timer.setInterval(check_ms)
        self.timer.timeout.connect(self.check_daily)

    # -- state ------------------------------------------------------------------------------

    @property
    def behind(self) -> list[BranchRow]:
        return [row for row in (self.snapshot.branches if self.snapshot else []) if row.state != UP_TO_DATE]

    @property
    def can_upgrade(self) -> bool:
        return bool(self.behind) and not self.busy

    @property
    def auto_enabled(self) -> bool:
        return bool(self.snapshot and self.snapshot.auto and self.snapshot.auto.enabled)

    @property
    def retention(self) -> int:
        from orion_server.backups import DEFAULT_RETENTION

        return self.snapshot.auto.retention if self.snapshot and self.snapshot.auto else DEFAULT_RETENTION

    @property
    def migrations_summary(self) -> str:
        if self.snapshot is None:
            return ""
        if not self.behind:
            return tr("Every module's tables are up to date.")
        return tr("{count} of {total} migration branches are behind. Press Upgrade: a backup is made first.",
                  count=len(self.behind), total=len(self.snapshot.branches))

    @property
    def backups_empty_text(self) -> str:
        return tr("No backup yet. Press “Create now” to make one; with daily backups on, the console "
                  "makes one every day while it is open.")

    # -- loading ----------------------------------------------------------------------------

    def start(self) -> None:
        """Read the state, then look at the daily backup now and every hour."""
        self.load()
        self.timer.start()
        self.check_daily()

    def stop(self) -> None:
        self.timer.stop()

    def load(self) -> None:
        self.runner.run(read_database, label=tr("Reading the database state"),
                        on_success=self._loaded, on_failure=self._load_failed)

    def _loaded(self, snapshot: DatabaseSnapshot) -> None:
        self.snapshot, self.load_failure = snapshot, None
        self.migrations.set_rows(snapshot.branches)
        self.backups.set_backups(snapshot.backups)
        self.changed.emit()

    def _load_failed(self, failure: Failure) -> None:
        self.load_failure = failure
        self.changed.emit()

    # -- actions ----------------------------------------------------------------------------

    def create_backup(self) -> None:
        """Back up now."""
        if self.busy:
            return
        self._begin(tr("Backing up the database…"))
        self._run(make_backup, "manual", label=tr("Backing up the database"),
                  on_success=lambda info: self._end(tr("Backed up to {name}.", name=info.name)))

    def upgrade(self) -> None:
        """Back up, then upgrade every branch that is behind; offer the backup if the upgrade fails."""
        if not self.can_upgrade:
            return
        self.last_upgrade_backup = None
        self._begin(tr("Backing up before the upgrade…"))
        self._run(backup_before_upgrade, label=tr("Backing up before the upgrade"),
                  on_success=self._backed_up_for_upgrade,
                  on_failure=lambda failure: self._fail(Failure(
                      tr("The upgrade did not start because the backup failed: {reason}", reason=failure.message),
                      failure.details)))

    def _backed_up_for_upgrade(self, info: BackupInfo) -> None:
        self.last_upgrade_backup = info
        self._set_status(tr("Upgrading the database…"))
        self._run(upgrade_database, label=tr("Upgrading the database"),
                  on_success=lambda names: self._end(tr(
                      "The database is up to date. The backup made before the upgrade is {name}.", name=info.name)),
                  on_failure=lambda failure: self._upgrade_failed(info, failure))

    def _upgrade_failed(self, info: BackupInfo, failure: Failure) -> None:
        question = tr("The upgrade failed: {reason} Restore the backup made just before it ({name})?",
                      reason=failure.message, name=info.name)
        if self.ask(tr("Upgrade failed"), question):
            self._finish_busy()
            self.restore(info, confirmed=True)
            return
        self._fail(failure)

    def restore(self, backup: BackupInfo, *, confirmed: bool = False) -> None:
        """Replace the database with ``backup`` after the operator confirms; the server is stopped meanwhile."""
        if self.busy:
            return
        if not confirmed and not self.ask(tr("Restore backup"), tr(
                "Replace everything in the database with the backup {name} from {time}? Changes made since "
                "then are lost. A running server is stopped and started again.",
                name=backup.name, time=_local_time(backup.created_at))):
            return
        restart = bool(self.server and self.server.can_stop)
        self._begin(tr("Restoring {name}…", name=backup.name))
        if restart:
            assert self.server is not None
            self._set_status(tr("Stopping the server before the restore…"))
            self.server.stop()

        def done(message: str | None, failure: Failure | None) -> None:
            if restart and self.server is not None:
                self.server.start()
            if failure is None:
                self._end(message or "")
            else:
                self._fail(failure)

        self._run(restore_database, backup, label=tr("Restoring a backup"),
                  on_success=lambda info: done(tr("Restored {name}.", name=info.name), None),
                  on_failure=lambda failure: done(None, failure))

    def set_auto(self, enabled: bool, retention: int) -> None:
        """Switch daily backups on or off and choose how many automatic backups are kept."""
        self.runner.run(save_auto, enabled, retention, label=tr("Saving the backup settings"),
                        on_success=self._auto_saved, on_failure=self._report)

    def _auto_saved(self, value: BackupSettings) -> None:
        if self.snapshot is not None:
            from dataclasses import replace

            self.snapshot = replace(self.snapshot, auto=value)
        self.changed.emit()
        if value.enabled:
            self.check_daily()

    def check_daily(self) -> None:
        """Make the daily backup when it is due (skipped while another database action runs)."""
        if self.busy:
            return
        self.runner.run(daily_backup, label=tr("Checking the daily backup"),
                        on_success=self._daily_done, on_failure=self._report)

    def _daily_done(self, info: BackupInfo | None) -> None:
        if info is not None:
            self._set_status(tr("Daily backup made: {name}.", name=info.name))
            self.load()

    # -- plumbing ---------------------------------------------------------------------------

    def _run(self, func: Callable[..., Any], *args: Any, label: str, on_success: Callable[[Any], None],
             on_failure: Callable[[Failure], None] | None = None) -> Operation:
        operation = self.runner.run(func, *args, label=label, on_success=on_success,
                                    on_failure=on_failure or self._fail)
        # orion_server.backups reports its steps in English; the catalogue has them
        operation.progressed.connect(lambda percent, text: self.progressed.emit(percent, tr(text) if text else text))
        return operation

    def _begin(self, status: str) -> None:
        self.busy = True
        self.busy_changed.emit(True)
        self._set_status(status)
        self.progressed.emit(0, status)

    def _finish_busy(self) -> None:
        self.busy = False
        self.busy_changed.emit(False)

    def _end(self, status: str) -> None:
        self._finish_busy()
        self._set_status(status)
        self.load()

    def _fail(self, failure: Failure) -> None:
        self._finish_busy()
        self._set_status(failure.message)
        self.load()
        self.failed.emit(failure)

    def _report(self, failure: Failure) -> None:
        self._set_status(failure.message)
        self.failed.emit(failure)

    def _set_status(self, status: str) -> None:
        self.status = status
        self.status_changed.emit(status)
