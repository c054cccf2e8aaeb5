"""The Database page: branch states, Upgrade with a backup first, restores around the server, daily backups."""

from __future__ import annotations

import os
import sqlite3
import textwrap
from pathlib import Path

import pytest

from orion_desktop.pages.database_page import DatabasePage
from orion_desktop.server_control import ServerController, ServerState
from orion_desktop.viewmodels.database import BEHIND, NOT_INSTALLED, UP_TO_DATE, DatabaseViewModel
from orion_desktop.viewmodels.server import ServerViewModel
from tests.desktop.conftest import SWITCHED, Installation, _switch_process_to, wait_idle
from tests.support.servers import free_port

READY_MS = 40_000
BROKEN_MODULE = {
    "__init__.py": '"""A module whose migration fails (tests only)."""\n',
    "definition.py": '''
        """Definition of the broken module."""

        from orion_server.modules.base import ModuleDefinition

        brokenmig_module = ModuleDefinition(
            code="brokenmig", name="Broken migration", description="Its migration always fails.",
            version="0.1.0", requires=[],
        )
    ''',
    "migrations/__init__.py": "",
    "migrations/versions/__init__.py": "",
    "migrations/versions/brokenmig_001_fail.py": '''
        """Create a table, then fail.

        Revision ID: brokenmig_001
        """

        import sqlalchemy as sa
        from alembic import op

        revision = "brokenmig_001"
        down_revision = None
        branch_labels = ("brokenmig",)
        depends_on = "orion_001"


        def upgrade():
            op.create_table("brokenmig_things", sa.Column("id", sa.Integer(), primary_key=True))
            raise RuntimeError("this migration always fails")


        def downgrade():
            op.drop_table("brokenmig_things")
    ''',
}


class Answers:
    """Stands in for the dialogs: records each question and gives a fixed answer."""

    def __init__(self, answer: bool) -> None:
        self.answer = answer
        self.questions: list[tuple[str, str]] = []

    def __call__(self, title: str, question: str) -> bool:
        self.questions.append((title, question))
        return self.answer


@pytest.fixture
def own_install(tmp_path):
    """A new SQLite installation used by this process (the console) and its servers."""
    data_dir = tmp_path / "data"
    env = {k: v for k, v in os.environ.items() if not k.startswith("ORION_")}
    env.update(ORION_DATA_DIR=str(data_dir), ORION_DATABASE_URL=f"sqlite:///{data_dir / 'orion.db'}",
               ORION_ENV="development", ORION_TASKS_IMMEDIATE="1")
    install = Installation(data_dir, env)
    result = install.run("init", "--admin-email", "a@b.lu", "--admin-password", "long-password-1")
    assert result.returncode == 0, result.stderr
    saved = {name: os.environ.get(name) for name in SWITCHED}
    _switch_process_to({name: env.get(name) for name in SWITCHED})
    try:
        yield install
    finally:
        _switch_process_to(saved)


def _platform_codes() -> set[str]:
    from sqlalchemy import select

    from orion_server.database import db
    from orion_server.models import Platform

    with db.session() as session:
        return set(session.scalars(select(Platform.code)))


def _add_platform(code: str) -> None:
    from orion_server.database import session_scope
    from orion_server.tenancy import tenancy_service

    with session_scope() as session:
        tenancy_service.create_platform(session, code=code, name=code.title())


def _loaded(qtbot, runner, answers, server=None) -> DatabaseViewModel:
    model = DatabaseViewModel(runner, server, answers)
    model.load()
    wait_idle(qtbot, runner)
    assert model.snapshot is not None, model.load_failure
    return model


def _revisions_in(path: Path) -> set[str]:
    with sqlite3.connect(path) as connection:
        return {row[0] for row in connection.execute("SELECT version_num FROM alembic_version")}


def test_upgrade_from_an_older_state_makes_a_backup_first(qtbot, runner, own_install):
    """CMS taken back to before its first migration: Upgrade backs up that state, then brings it to head."""
    result = own_install.run("db", "downgrade", "cms@base")
    assert result.returncode == 0, result.stderr
    answers = Answers(True)
    model = _loaded(qtbot, runner, answers)
    states = {row.branch: row for row in model.snapshot.branches}
    assert states["cms"].state == NOT_INSTALLED and states["cms"].current == ""
    assert states["orion"].state == UP_TO_DATE and model.migrations.rowCount() == len(states)
    assert model.can_upgrade and "behind" in model.migrations_summary
    assert model.snapshot.kind == "SQLite" and model.snapshot.database.endswith("orion.db")
    older = _revisions_in(own_install.data_dir / "orion.db")
    progress = []
    model.progressed.connect(lambda percent, text: progress.append((percent, text)))

    model.upgrade()
    qtbot.waitUntil(lambda: not model.busy, timeout=30_000)
    wait_idle(qtbot, runner)

    backup = model.last_upgrade_backup
    assert backup is not None and backup.reason == "pre-upgrade"
    assert _revisions_in(backup.path) == older  # the backup holds the state before the upgrade
    assert "cms_001" not in older
    assert all(row.state == UP_TO_DATE for row in model.snapshot.branches)
    assert not model.can_upgrade and not answers.questions
    assert model.status == f"The database is up to date. The backup made before the upgrade is {backup.name}."
    assert any(text == "Upgrading CMS" or text.startswith("Upgrading ") for _p, text in progress)
    assert [p for p, _t in progress if p >= 0] == sorted(p for p, _t in progress if p >= 0)
    assert model.backups.backup_at(0) == backup


def test_a_failed_upgrade_offers_the_backup_and_restores_it(qtbot, runner, own_install, tmp_path):
    """A module whose migration fails: the operator is asked, says yes, and the earlier state is back."""
    root = tmp_path / "extra" / "brokenmig"
    for relative, content in BROKEN_MODULE.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(content).lstrip("\n"))
    _switch_process_to({"ORION_MODULE_PATHS": str(tmp_path / "extra")})
    before = _revisions_in(own_install.data_dir / "orion.db")
    answers = Answers(True)
    model = _loaded(qtbot, runner, answers)
    assert {row.branch: row.state for row in model.snapshot.branches}["brokenmig"] == NOT_INSTALLED
    failures = []
    model.failed.connect(failures.append)

    model.upgrade()
    qtbot.waitUntil(lambda: bool(answers.questions), timeout=30_000)
    qtbot.waitUntil(lambda: not model.busy, timeout=30_000)
    wait_idle(qtbot, runner)

    title, question = answers.questions[0]
    assert title == "Upgrade failed"
    assert question.startswith("The upgrade failed: ") and model.last_upgrade_backup.name in question
    assert model.status == f"Restored {model.last_upgrade_backup.name}."
    assert not failures
    assert _revisions_in(own_install.data_dir / "orion.db") == before
    assert {row.branch: row.state for row in model.snapshot.branches}["brokenmig"] == NOT_INSTALLED


@pytest.mark.slow
def test_restore_stops_the_server_restores_the_data_and_starts_it_again(qtbot, runner, own_install):
    """A platform added after the backup is gone after the restore; the server runs again."""
    controller = ServerController(poll_ms=200, restart_delay_ms=100)
    controller.configure(port=free_port())
    server = ServerViewModel(runner, controller)
    states: list[str] = []
    controller.state_changed.connect(states.append)
    answers = Answers(True)
    model = _loaded(qtbot, runner, answers, server)
    try:
        model.create_backup()
        qtbot.waitUntil(lambda: not model.busy, timeout=30_000)
        wait_idle(qtbot, runner)
        backup = model.backups.backup_at(0)
        assert backup is not None and backup.reason == "manual"
        _add_platform("later")
        assert "later" in _platform_codes()
        assert server.start()
        qtbot.waitUntil(lambda: server.state == ServerState.READY, timeout=READY_MS)
        states.clear()

        model.restore(backup)
        qtbot.waitUntil(lambda: not model.busy, timeout=30_000)
        qtbot.waitUntil(lambda: server.state == ServerState.READY, timeout=READY_MS)

        assert answers.questions and answers.questions[0][0] == "Restore backup"
        assert backup.name in answers.questions[0][1]
        assert states[:2] == ["stopping", "stopped"] and "starting" in states
        assert model.status == f"Restored {backup.name}."
        assert _platform_codes() == {"main"}
    finally:
        controller.stop()
        controller.deleteLater()
        qtbot.wait(50)


def test_declining_the_restore_changes_nothing(qtbot, runner, own_install):
    answers = Answers(False)
    model = _loaded(qtbot, runner, answers)
    model.create_backup()
    qtbot.waitUntil(lambda: not model.busy, timeout=30_000)
    wait_idle(qtbot, runner)
    _add_platform("kept")
    model.restore(model.backups.backup_at(0))
    wait_idle(qtbot, runner)
    assert len(answers.questions) == 1 and not model.busy
    assert "kept" in _platform_codes()


def test_daily_backups_follow_the_switch_and_the_retention_count(qtbot, runner, own_install):
    """Off: starting makes none. Switched on: one is made at once, and the choice is saved."""
    from orion_server.backups import BackupSettings, load_backup_settings, save_backup_settings
    from orion_server.config import get_settings

    save_backup_settings(get_settings(), BackupSettings(enabled=False, retention=5))
    model = DatabaseViewModel(runner, None, Answers(True), check_ms=3_600_000)
    model.start()
    wait_idle(qtbot, runner)
    assert model.timer.isActive() and model.timer.interval() == 3_600_000
    assert not model.auto_enabled and model.retention == 5
    assert model.backups.rowCount() == 0

    model.set_auto(True, 2)
    wait_idle(qtbot, runner)
    qtbot.waitUntil(lambda: model.backups.rowCount() == 1, timeout=10_000)
    assert model.backups.backup_at(0).reason == "auto"
    assert load_backup_settings(get_settings()) == BackupSettings(enabled=True, retention=2)
    model.check_daily()  # not due again the same day
    wait_idle(qtbot, runner)
    assert model.backups.rowCount() == 1
    model.stop()


def test_both_table_models_pass_qtmodeltester(qtbot, qtmodeltester, runner, own_install):
    result = own_install.run("db", "downgrade", "cms@base")
    assert result.returncode == 0, result.stderr
    model = DatabaseViewModel(runner, None, Answers(True), runner)  # alive until the tester's teardown
    model.load()
    wait_idle(qtbot, runner)
    model.create_backup()
    qtbot.waitUntil(lambda: not model.busy, timeout=30_000)
    wait_idle(qtbot, runner)
    assert model.migrations.rowCount() > 3 and model.backups.rowCount() == 1
    assert BEHIND in {r.state for r in model.snapshot.branches} or NOT_INSTALLED in {
        r.state for r in model.snapshot.branches}
    empty = DatabaseViewModel(runner, None, Answers(True), runner)
    for table in (empty.migrations, empty.backups, model.migrations, model.backups):
        qtmodeltester.check(table, force_py=True)


@pytest.fixture
def screenshot_dir(tmp_path_factory) -> Path:
    """Where page screenshots go: $ORION_SCREENSHOTS (as the main window's tests), else a named tmp folder."""
    folder = Path(os.environ.get("ORION_SCREENSHOTS") or tmp_path_factory.mktemp("desktop-screenshots"))
    folder.mkdir(parents=True, exist_ok=True)
    print(f"\ndesktop screenshots: {folder}")
    return folder


def test_the_page_shows_the_state_and_is_saved_as_a_screenshot(qtbot, runner, own_install, screenshot_dir):
    """A module behind and two backups: Upgrade is on, the tables are filled, the PNG is written."""
    result = own_install.run("db", "downgrade", "cms@base")
    assert result.returncode == 0, result.stderr
    for reason in ("manual", "auto"):
        made = own_install.run("db", "backup", "--reason", reason)
        assert made.returncode == 0, made.stderr
    model = DatabaseViewModel(runner, None, Answers(True))
    page = DatabasePage(model)
    qtbot.addWidget(page)
    page.resize(1000, 760)
    page.show()
    model.load()
    wait_idle(qtbot, runner)
    qtbot.wait(50)
    assert page.upgrade_button.isEnabled() and page.create_button.isEnabled()
    assert not page.restore_button.isEnabled()  # nothing chosen yet
    page.backups_view.selectRow(0)
    assert page.restore_button.isEnabled()
    assert page.connection.text().startswith("Connection: SQLite — sqlite:///")
    assert page.backups_view.isVisible() and not page.backups_empty.isVisible()
    assert page.auto.isChecked() and page.retention.value() == 7
    path = screenshot_dir / "database.png"
    assert page.grab().save(str(path))
    assert path.stat().st_size > 10_000


def test_the_page_says_what_to_do_without_backups(qtbot, runner, own_install):
    model = DatabaseViewModel(runner, None, Answers(True))
    page = DatabasePage(model)
    qtbot.addWidget(page)
    page.show()
    model.load()
    wait_idle(qtbot, runner)
    assert not page.backups_view.isVisible() and page.backups_empty.isVisible()
    assert "Create now" in page.backups_empty.text()
    assert not page.upgrade_button.isEnabled()
    assert page.summary.text() == "Every module's tables are up to date."


def test_the_main_window_lists_the_page_and_loads_it_once_orion_is_set_up(qtbot, runner, own_install):
    """"Database" sits in the sidebar; reading the installation loads the page and starts the daily check."""
    from orion_desktop.main_window import PAGES, MainWindow

    window = MainWindow(runner, ask_on_quit=False)
    qtbot.addWidget(window)
    window.show()
    try:
        window.check_installation()
        wait_idle(qtbot, runner)
        assert window.initialised, window.installation
        row = PAGES.index("database")
        assert window.sidebar.item(row).text() == "Database"
        window.select("database")
        wait_idle(qtbot, runner)
        page = window.pages["database"]
        assert window.stack.currentWidget() is page
        assert window.database.timer.isActive()
        assert page.model.snapshot is not None and page.model.migrations.rowCount() > 3
        qtbot.waitUntil(lambda: window.database.backups.rowCount() == 1, timeout=10_000)
        assert window.database.backups.backup_at(0).reason == "auto"  # the first daily backup, at start
    finally:
        window.server.stop()


def test_an_updated_orion_opens_on_the_database_page_and_loads_the_rest_after_the_upgrade(
    qtbot, runner, own_install
):
    """Pending migrations (Orion was updated): the console shows only the Database page, the
    server cannot start; Upgrade makes a backup, upgrades, and the other pages load."""
    from orion_desktop.main_window import MainWindow

    result = own_install.run("db", "downgrade", "cms@base")
    assert result.returncode == 0, result.stderr
    window = MainWindow(runner, ask_on_quit=False)
    qtbot.addWidget(window)
    window.show()
    try:
        window.check_installation()
        wait_idle(qtbot, runner)
        assert window.installation.pending == ("cms_001",)
        assert window.stack.currentWidget() is window.pages["database"]
        assert not window.start_action.isEnabled()
        window.select("modules")  # other pages stay closed until the upgrade
        assert window.stack.currentWidget() is window.pages["database"]
        assert window.database.can_upgrade
        window.database.upgrade()
        qtbot.waitUntil(lambda: window.initialised, timeout=60_000)
        wait_idle(qtbot, runner)
        assert window.installation.pending == ()
        assert window.start_action.isEnabled()
        assert any(b.reason == "pre-upgrade" for b in _backups_of(window))
        window.select("modules")
        assert window.stack.currentWidget() is window.pages["modules"]
    finally:
        window.server.stop()


def _backups_of(window) -> list:
    model = window.database.backups
    return [model.backup_at(row) for row in range(model.rowCount())]
