"""The first-run wizard: an empty data folder becomes a migrated database with a main platform and
an admin who signs in to the web admin, through the same steps ``orion init`` takes."""

from __future__ import annotations

import json
import logging
import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

from orion_desktop.qt import QWizard
from orion_desktop.server_control import ServerState
from orion_desktop.settings import load_settings
from orion_desktop.wizard import ADMIN, DATABASE, FOLDER, PLATFORM, PROGRESS, SetupWizard
from tests.desktop.conftest import SWITCHED, _switch_process_to, wait_idle
from tests.support.servers import free_port

PASSWORD = "correct-horse-battery"
GOOD_POSTGRES = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
VARIABLES = (*SWITCHED, "ORION_MAIN_PLATFORM_CODE")


# -- helpers shared with the other desktop tests of this round ---------------------------------


@pytest.fixture(scope="session")
def screenshot_dir(tmp_path_factory) -> Path:
    """Where screenshots go: $ORION_SCREENSHOTS (as the main window's test), else a folder named in the output."""
    folder = Path(os.environ.get("ORION_SCREENSHOTS") or tmp_path_factory.mktemp("desktop-screenshots"))
    folder.mkdir(parents=True, exist_ok=True)
    print(f"\ndesktop screenshots: {folder}")
    return folder


@pytest.fixture
def console_config(tmp_path, monkeypatch) -> Path:
    """The console settings file of this test (never the user's own)."""
    path = tmp_path / "config" / "console.json"
    monkeypatch.setenv("ORION_CONSOLE_CONFIG", str(path))
    return path


@contextmanager
def switched_process(values: dict[str, str | None]) -> Iterator[None]:
    """This process reads ``values`` as its ORION_* environment; the earlier one comes back after."""
    saved = {name: os.environ.get(name) for name in VARIABLES}
    _switch_process_to({**saved, **values})
    try:
        yield
    finally:
        _switch_process_to(saved)


@contextmanager
def fresh_database() -> Iterator[str]:
    """"" (SQLite in the data folder) on a SQLite run; on a PostgreSQL run, the URL of a new, empty
    database of its own, dropped afterwards."""
    base = os.environ.get("ORION_TEST_DATABASE_URL", "").strip()
    if not base.startswith("postgresql"):
        yield ""
        return
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    target = make_url(base).set(database=f"orion_desktop_{uuid.uuid4().hex[:10]}")
    admin = create_engine(make_url(base).set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{target.database}"'))
    try:
        yield target.render_as_string(hide_password=False)
    finally:
        from orion_server.database import db

        db.dispose()
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{target.database}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture
def empty_folder(tmp_path) -> Iterator[tuple[Path, str]]:
    """An empty data folder (and database) the wizard has not seen; the process points elsewhere."""
    with fresh_database() as url, switched_process({
        "ORION_DATA_DIR": str(tmp_path / "elsewhere"),
        "ORION_DATABASE_URL": None,
        "ORION_ENV": "development",
        "ORION_MAIN_PLATFORM_CODE": None,
    }):
        yield tmp_path / "orion-data", url


def fill_wizard(wizard: SetupWizard, folder: Path, url: str, shots: Path | None = None) -> None:
    """Answer every page the way an operator would, saving a screenshot of each."""
    def shot(name: str) -> None:
        if shots is not None:
            assert wizard.grab().save(str(shots / f"wizard-{name}.png"))

    wizard.show()
    assert wizard.currentId() == FOLDER
    wizard.folder_page.folder.setText(str(folder))
    assert wizard.folder_page.isComplete()
    shot("1-folder")
    wizard.next()
    assert wizard.currentId() == DATABASE
    if url:
        wizard.database_page.postgresql.setChecked(True)
        wizard.database_page.url.setText(url)
        wizard.database_page.tested_url, wizard.database_page.tested_ok = url, True  # tested in its own test
    shot("2-database")
    wizard.next()
    assert wizard.currentId() == PLATFORM
    wizard.platform_page.name.setText("Boulangerie Schmit")
    wizard.platform_page.default_language.setCurrentIndex(wizard.platform_page.default_language.findData("lb"))
    shot("3-platform")
    wizard.next()
    assert wizard.currentId() == ADMIN
    wizard.admin_page.email.setText("Boss@Example.lu")
    wizard.admin_page.password.setText(PASSWORD)
    wizard.admin_page.repeat.setText(PASSWORD)
    shot("4-admin")
    wizard.next()
    assert wizard.currentId() == PROGRESS


# -- the wizard --------------------------------------------------------------------------------


def test_the_wizard_sets_up_an_empty_folder_and_the_admin_signs_in(
        qtbot, runner, empty_folder, console_config, screenshot_dir):
    """Folder, database, platform and admin answered: the database is migrated, the main platform
    and the admin exist, the choice is saved, and the admin signs in to the web admin of the
    server the console starts (which so inherits the chosen installation)."""
    from sqlalchemy import select

    from orion_desktop.server_control import ServerController
    from orion_server.auth.passwords import verify_password
    from orion_server.config import get_settings
    from orion_server.database import db
    from orion_server.migrations import pending_heads
    from orion_server.models import Platform, User

    folder, url = empty_folder
    wizard = SetupWizard(runner)
    qtbot.addWidget(wizard)
    wizard.show()
    fill_wizard(wizard, folder, url, screenshot_dir)
    progress = wizard.progress_page
    qtbot.waitUntil(lambda: progress.done or progress.failure is not None, timeout=120_000)
    assert progress.failure is None, progress.failure
    assert progress.bar.value() == 100
    assert "Orion is ready in" in progress.message.text() and "boss@example.lu" in progress.message.text()
    assert wizard.button(QWizard.WizardButton.FinishButton).isEnabled()
    assert wizard.grab().save(str(screenshot_dir / "wizard-5-done.png"))

    settings = get_settings()
    assert settings.data_dir == folder
    assert settings.resolved_database_url == (url or f"sqlite:///{folder / 'orion.db'}")
    assert not pending_heads(db.engine)
    with db.session() as session:
        platform = session.scalar(select(Platform).where(Platform.code == "main"))
        assert platform is not None and platform.name == "Boulangerie Schmit" and platform.default_language == "lb"
        admin = session.scalar(select(User).where(User.email == "boss@example.lu"))
        assert admin is not None and admin.role == "super_admin" and verify_password(admin.password_hash, PASSWORD)
    saved = json.loads(console_config.read_text())
    assert saved["data_dir"] == str(folder) and saved["database_url"] == url and saved["main_platform_code"] == "main"
    assert console_config.stat().st_mode & 0o077 == 0  # a PostgreSQL password is for this user's eyes only

    controller = ServerController(wizard, poll_ms=200)
    controller.configure(port=free_port())
    assert controller.start()
    try:
        qtbot.waitUntil(lambda: controller.state in (ServerState.READY, ServerState.FAILED), timeout=60_000)
        assert controller.state == ServerState.READY, "\n".join(controller.last_output(30))
        with httpx.Client(base_url=controller.base_url, timeout=10) as http:
            http.get("/admin/login")
            answer = http.post("/admin/login", data={
                "email": "boss@example.lu", "password": PASSWORD, "csrf_token": http.cookies.get("orion_csrf")})
            assert answer.status_code == 303, answer.text[:500]
            dashboard = http.get("/admin/")
            assert dashboard.status_code == 200 and "boss@example.lu" in dashboard.text
    finally:
        controller.stop()
    wizard.accept()


def test_the_saved_choice_is_used_at_the_next_launch(qtbot, runner, empty_folder, console_config):
    """After the wizard, a launch without ORION_DATA_DIR reads the chosen folder from the console settings."""
    from orion_desktop.settings import apply_environment
    from orion_server.config import get_settings

    folder, url = empty_folder
    wizard = SetupWizard(runner)
    qtbot.addWidget(wizard)
    fill_wizard(wizard, folder, url)
    qtbot.waitUntil(lambda: wizard.progress_page.done or wizard.progress_page.failure is not None, timeout=120_000)
    assert wizard.progress_page.done, wizard.progress_page.failure
    with switched_process({"ORION_DATA_DIR": None, "ORION_DATABASE_URL": None, "ORION_MAIN_PLATFORM_CODE": None}):
        apply_environment(load_settings())
        assert get_settings().data_dir == folder
        assert get_settings().resolved_database_url == (url or f"sqlite:///{folder / 'orion.db'}")


def test_pages_refuse_wrong_answers_with_a_sentence_next_to_the_field(qtbot, runner, empty_folder, tmp_path,
                                                                    console_config, screenshot_dir):
    """A folder with other files, a reserved code, no name, a short password and two different
    passwords each keep the wizard on its page and say why next to the field."""
    folder, _url = empty_folder
    wizard = SetupWizard(runner)
    qtbot.addWidget(wizard)
    wizard.show()
    foreign = tmp_path / "photos"
    foreign.mkdir()
    (foreign / "holiday.jpg").write_bytes(b"x")
    wizard.folder_page.folder.setText(str(foreign))
    assert not wizard.folder_page.isComplete()
    assert "already holds other files" in wizard.folder_page.status.text()
    assert not wizard.button(QWizard.WizardButton.NextButton).isEnabled()
    wizard.folder_page.folder.setText("relative/folder")
    assert not wizard.folder_page.isComplete()
    wizard.folder_page.folder.setText(str(folder))
    wizard.next()
    wizard.next()
    assert wizard.currentId() == PLATFORM
    wizard.platform_page.code.setText("admin")
    wizard.platform_page.name.setText("  ")
    wizard.next()
    assert wizard.currentId() == PLATFORM
    assert "reserved" in wizard.platform_page.fields.error("code")
    assert wizard.platform_page.fields.error("name") == "Enter a name."
    assert wizard.platform_page.code.text() == "admin"  # the input is kept
    wizard.platform_page.code.setText("main")
    wizard.platform_page.name.setText("Orion")
    wizard.next()
    assert wizard.currentId() == ADMIN
    wizard.admin_page.email.setText("not-an-address")
    wizard.admin_page.password.setText("short")
    wizard.admin_page.repeat.setText("short")
    wizard.next()
    assert wizard.currentId() == ADMIN
    assert wizard.admin_page.fields.error("email") == "Enter a valid e-mail address."
    assert wizard.admin_page.fields.error("password") == "The password must have at least 10 characters."
    assert wizard.grab().save(str(screenshot_dir / "wizard-4-admin-errors.png"))
    wizard.admin_page.email.setText("a@b.lu")
    wizard.admin_page.password.setText(PASSWORD)
    wizard.admin_page.repeat.setText(PASSWORD + "!")
    wizard.next()
    assert wizard.currentId() == ADMIN
    assert "differ" in wizard.admin_page.fields.error("repeat")
    assert not folder.exists()  # nothing was set up
    before = os.environ.get("ORION_DATA_DIR")
    wizard.reject()
    assert os.environ.get("ORION_DATA_DIR") == before
    assert not console_config.exists()


def test_a_failed_set_up_says_why_and_can_be_retried(qtbot, runner, empty_folder, console_config, screenshot_dir):
    """Set up twice on one folder: the second run keeps what is there. A database that cannot be
    reached stops the set-up with a sentence, the details a click away, and a way back."""
    folder, url = empty_folder
    wizard = SetupWizard(runner)
    qtbot.addWidget(wizard)
    wizard.show()
    fill_wizard(wizard, folder, url)
    progress = wizard.progress_page
    qtbot.waitUntil(lambda: not progress.running, timeout=120_000)
    assert progress.done  # first run worked; a second wizard on the same folder keeps what is there
    second = SetupWizard(runner)
    qtbot.addWidget(second)
    second.show()
    fill_wizard(second, folder, url)
    qtbot.waitUntil(lambda: not second.progress_page.running, timeout=120_000)
    assert second.progress_page.done
    assert "was already there and was kept" in second.progress_page.message.text()
    assert "0 migrations" in second.progress_page.step.text()

    broken = SetupWizard(runner)
    qtbot.addWidget(broken)
    broken.show()
    fill_wizard(broken, folder.parent / "other-folder", "postgresql+psycopg://postgres@127.0.0.1:1/none")
    qtbot.waitUntil(lambda: not broken.progress_page.running, timeout=120_000)
    page = broken.progress_page
    assert not page.done and page.failure is not None
    assert page.message.text() == page.failure.message and page.retry.isVisible() and page.change.isVisible()
    assert page.failure.message.startswith("Orion could not open the database postgresql+psycopg://"), page.failure
    assert page.failure.details  # the traceback behind "Show details…"
    assert broken.grab().save(str(screenshot_dir / "wizard-5-failed.png"))
    page.change.click()
    assert broken.currentId() == ADMIN


# -- testing a PostgreSQL address --------------------------------------------------------------


def test_test_connection_says_in_a_sentence_whether_postgresql_answers(qtbot, runner, empty_folder, caplog,
                                                                       console_config, screenshot_dir):
    """A server that is not there: a sentence naming it, no password anywhere; the real one: connected."""
    wizard = SetupWizard(runner)
    qtbot.addWidget(wizard)
    wizard.show()
    wizard.folder_page.folder.setText(str(empty_folder[0]))
    wizard.next()
    page = wizard.database_page
    assert page.isComplete() and page.database_url == ""  # SQLite needs no test
    page.postgresql.setChecked(True)
    page.url.setText("postgresql+psycopg://orion:pw-secret-123@127.0.0.1:1/orion")
    assert not page.isComplete()
    caplog.set_level(logging.DEBUG)
    page.test.click()
    wait_idle(qtbot, runner)
    text = page.result.text()
    assert text.startswith("Orion could not connect to 127.0.0.1:1/orion"), text
    assert "pw-secret-123" not in text and "pw-secret-123" not in caplog.text
    assert not page.isComplete()
    assert wizard.grab().save(str(screenshot_dir / "wizard-2-database-failed.png"))
    page.url.setText("mysql://root@localhost/orion")
    page.test.click()
    wait_idle(qtbot, runner)
    assert page.result.text().startswith("Enter a PostgreSQL address")
    page.url.setText(GOOD_POSTGRES)
    page.test.click()
    wait_idle(qtbot, runner)
    assert page.result.text().startswith("Connected to PostgreSQL"), page.result.text()
    assert page.isComplete() and page.database_url == GOOD_POSTGRES
    assert wizard.grab().save(str(screenshot_dir / "wizard-2-database-connected.png"))
    page.url.setText(GOOD_POSTGRES + "x")
    assert not page.isComplete()  # another address must be tested again
    wizard.reject()


def test_the_console_offers_the_wizard_and_loads_its_pages_after_it(qtbot, runner, empty_folder, console_config,
                                                                    screenshot_dir):
    """Opened on an installation that is not set up, the console opens the wizard by itself; once
    it is finished, the window shows the new installation's platforms."""
    from orion_desktop.main_window import MainWindow

    folder, url = empty_folder
    window = MainWindow(runner, ask_on_quit=False)
    qtbot.addWidget(window)
    window.show()
    window.offer_setup = True
    window.check_installation()
    wait_idle(qtbot, runner)
    assert not window.initialised and window.stack.currentWidget() is window.setup_page
    assert window.setup_button.isVisible() and "Set up Orion…" in window.setup_text.text()
    assert window.grab().save(str(screenshot_dir / "wizard-0-offered.png"))
    wizard = window.wizard
    assert wizard.isVisible()
    fill_wizard(wizard, folder, url)
    qtbot.waitUntil(lambda: not wizard.progress_page.running, timeout=120_000)
    assert wizard.progress_page.done, wizard.progress_page.failure
    wizard.button(QWizard.WizardButton.FinishButton).click()
    wait_idle(qtbot, runner)
    assert window.initialised and str(folder) in window.windowTitle()
    window.select("platforms")
    assert [row.code for row in window.platforms.platforms.rows] == ["main"]
    window.server.stop()
