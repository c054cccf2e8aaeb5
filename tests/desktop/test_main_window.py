"""The main window: pages in a sidebar, shortcuts, first-run advice, one instance, screenshots."""

from __future__ import annotations

import os
import socket
import uuid
from pathlib import Path

import pytest

from orion_desktop.main_window import PAGES, MainWindow
from orion_desktop.single_instance import SingleInstance
from tests.desktop.conftest import SWITCHED, _switch_process_to, wait_idle
from tests.support.servers import free_port


@pytest.fixture(scope="session")
def screenshot_dir(tmp_path_factory) -> Path:
    """Where page screenshots go: $ORION_SCREENSHOTS, else a folder named in the test output."""
    folder = Path(os.environ.get("ORION_SCREENSHOTS") or tmp_path_factory.mktemp("desktop-screenshots"))
    folder.mkdir(parents=True, exist_ok=True)
    print(f"\ndesktop screenshots: {folder}")
    return folder


@pytest.fixture
def window(qtbot, runner):
    main = MainWindow(runner, ask_on_quit=False)
    qtbot.addWidget(main)
    main.resize(1100, 720)
    main.show()
    yield main
    main.server.stop()


@pytest.fixture
def empty_env(tmp_path):
    """The console pointed at an empty data folder."""
    saved = {name: os.environ.get(name) for name in SWITCHED}
    _switch_process_to({
        **saved,
        "ORION_DATA_DIR": str(tmp_path / "data"),
        "ORION_DATABASE_URL": f"sqlite:///{tmp_path / 'data' / 'orion.db'}",
        "ORION_ENV": "development",
    })
    try:
        yield tmp_path / "data"
    finally:
        _switch_process_to(saved)


def test_every_page_is_shown_and_saved_as_a_screenshot(qtbot, runner, console_env, window, screenshot_dir):
    """Server, Platforms & stores, Modules and Logs show their data; each page is saved as a PNG."""
    window.check_installation()
    wait_idle(qtbot, runner)
    assert window.initialised, window.installation
    assert [window.sidebar.item(i).text() for i in range(window.sidebar.count())] == [
        "Server", "Platforms & stores", "Modules", "Database", "Logs", "Settings"]
    for name in PAGES:
        window.select(name)
        wait_idle(qtbot, runner)
        qtbot.wait(50)
        assert window.stack.currentWidget() is window.pages[name]
        assert window.grab().save(str(screenshot_dir / f"{name}.png"))
    server_page = window.pages["server"]
    assert server_page.links.rowCount() >= 1
    assert server_page.links.rows[0].url.endswith("/platforms/main/storefront/bakery/")
    assert window.platforms.stores.rowCount() == 1
    assert window.modules.table.rowCount() > 3


def test_without_a_database_the_window_says_how_to_run_orion_init(qtbot, runner, empty_env, window, screenshot_dir):
    """An empty data folder: the set-up page names the folder and `orion init`, Start is off."""
    window.check_installation()
    wait_idle(qtbot, runner)
    assert not window.initialised
    assert window.stack.currentWidget() is window.setup_page
    assert "orion init" in window.setup_text.text() and str(empty_env) in window.setup_text.text()
    assert not window.start_action.isEnabled()
    window.select("modules")
    assert window.stack.currentWidget() is window.setup_page
    assert window.grab().save(str(screenshot_dir / "not-set-up.png"))


def test_the_start_shortcut_reports_a_taken_port_on_the_server_page(qtbot, runner, console_env, window):
    """Ctrl+R starts, Ctrl+. stops; a taken port gives the sentence naming it, and no process."""
    window.check_installation()
    wait_idle(qtbot, runner)
    assert window.initialised, window.installation
    assert window.start_action.isEnabled()
    assert window.start_action.shortcut().toString() == "Ctrl+R"
    assert window.stop_action.shortcut().toString() == "Ctrl+."
    port = free_port()
    window.pages["server"].port.setValue(port)
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", port))
        holder.listen()
        window.start_action.trigger()
    assert not window.server.controller.running
    assert f"Port {port} is already in use" in window.pages["server"].message.text()
    assert window.pages["server"].start_button.isEnabled()


def test_a_second_launch_brings_the_first_forward(qtbot, tmp_path):
    """The second instance cannot take the lock; it asks the first to come forward. Once the
    first closes, the next launch takes the lock (issue 10: no race, no squatting)."""
    name = f"orion-test-{uuid.uuid4().hex[:8]}"
    lock = tmp_path / "console.lock"
    first = SingleInstance(name, lock)
    assert first.acquire()
    assert first.listen()
    second = SingleInstance(name, lock)
    try:
        assert not second.acquire()
        with qtbot.waitSignal(first.activation_requested, timeout=3000):
            assert second.notify_running()
    finally:
        first.close()
    assert second.acquire()
    second.close()


def test_a_socket_squatted_under_the_console_s_name_does_not_stop_it(qtbot, tmp_path):
    """Another program listening under the console's socket name (another local account could
    guess it) no longer makes the console think one runs: the lock in the private data folder
    decides."""
    from orion_desktop.qt import QLocalServer

    name = f"orion-test-{uuid.uuid4().hex[:8]}"
    squatter = QLocalServer()
    assert squatter.listen(name)
    console = SingleInstance(name, tmp_path / "console.lock")
    try:
        assert console.acquire()
        assert console.listen()
    finally:
        console.close()
        squatter.close()


def test_help_about_shows_the_version_and_the_data_folder(qtbot, runner, console_env, window, screenshot_dir):
    """Help → About Orion: pyproject.toml's version, the data folder the console manages."""
    import tomllib

    version = tomllib.loads((Path(__file__).resolve().parents[2] / "pyproject.toml").read_text())["project"]["version"]
    window.check_installation()
    wait_idle(qtbot, runner)
    [help_menu] = [a.menu() for a in window.menuBar().actions() if a.text() == "Help"]
    assert window.about_action in help_menu.actions()
    window.about_action.trigger()
    about = window.about
    qtbot.waitExposed(about)
    assert about.values["Version"].text() == version
    assert about.values["Data folder"].text() == window.installation.data_dir
    about.grab().save(str(screenshot_dir / "about.png"))
    about.reject()
