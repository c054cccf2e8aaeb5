"""Server page extras: who holds a taken port, the storefront QR code, Open storefront/admin,
the tray icon following the server, minimising to the tray, and how `make run` chooses."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import httpx
import pytest

from orion_desktop.launch_dev import CONSOLE, HEADLESS, choose_mode, display_available
from orion_desktop.main_window import MainWindow
from orion_desktop.qrcode_image import QUIET_ZONE, qr_image, qr_matrix, qr_pixmap
from orion_desktop.qt import QGuiApplication, QLabel, QProgressBar, QSystemTrayIcon
from orion_desktop.server_control import ServerState
from orion_desktop.tray import ConsoleTray, state_icon
from tests.desktop.conftest import STORE, wait_idle
from tests.support.servers import free_port

READY_MS = 40_000
LISTENER = textwrap.dedent("""
    import socket, sys
    s = socket.socket()
    s.bind(("127.0.0.1", int(sys.argv[1])))
    s.listen()
    print("listening", flush=True)
    sys.stdin.read()
""")


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
    opened: list[str] = []
    main.server.open_url = opened.append  # the browser is outside the test
    main.opened = opened
    yield main
    main.server.stop()


@pytest.fixture
def ready_window(qtbot, runner, console_env, window):
    """The window on an initialised installation, its stores read."""
    window.check_installation()
    wait_idle(qtbot, runner)
    assert window.initialised, window.installation
    return window


def _same_image(icon_a, icon_b, size: int = 32) -> bool:
    return icon_a.pixmap(size, size).toImage() == icon_b.pixmap(size, size).toImage()


# -- the port ------------------------------------------------------------------------------------


def test_a_port_held_by_another_program_is_named_in_the_message(qtbot, ready_window):
    """Start on a port another process listens on: no server, a sentence with the port and the holder."""
    port = free_port()
    holder = subprocess.Popen([sys.executable, "-c", LISTENER, str(port)], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "listening"
        page = ready_window.pages["server"]
        page.port.setValue(port)
        page.start_button.click()
        message = page.message.text()
    finally:
        holder.stdin.close()
        holder.wait(timeout=10)
    assert not ready_window.server.controller.running
    assert ready_window.server.state == ServerState.FAILED
    assert f"Port {port} is already in use on this computer by " in message
    assert f"(pid {holder.pid})" in message
    assert "stop that program" in message


# -- the QR code ---------------------------------------------------------------------------------


def test_the_qr_image_draws_every_module_of_the_code(qapp):
    """Each module's centre pixel is black exactly where the matrix is dark; URLs differ, codes differ."""
    url = "http://192.168.1.20:8000/platforms/main/storefront/bakery/"
    matrix = qr_matrix(url)
    assert len(matrix) >= 21 and (len(matrix) - 17) % 4 == 0  # a real QR version size
    px = 6
    image = qr_image(url, px)
    assert image.width() == image.height() == (len(matrix) + 2 * QUIET_ZONE) * px
    for y, row in enumerate(matrix):
        for x, dark in enumerate(row):
            pixel = image.pixelColor((x + QUIET_ZONE) * px + px // 2, (y + QUIET_ZONE) * px + px // 2)
            assert (pixel.lightness() < 128) == dark, (x, y)
    assert image.pixelColor(1, 1).lightness() > 200  # the quiet zone is white
    other = qr_image("http://192.168.1.20:8000/platforms/main/storefront/florist/", px)
    assert other != image
    pixmap = qr_pixmap(url, 190, 2.0)
    assert not pixmap.isNull() and pixmap.devicePixelRatio() == 2.0
    assert pixmap.width() % (len(matrix) + 2 * QUIET_ZONE) == 0


def test_the_server_page_shows_the_chosen_storefront_as_a_qr_code(qtbot, ready_window, screenshot_dir):
    """Picker, QR code, address; Copy link and Open storefront use the chosen store; saved as a PNG."""
    window = ready_window
    page = window.pages["server"]
    window.select("server")
    wait_idle(qtbot, window.runner)
    assert page.picker.count() >= 1 and page.picker.currentText() == "Bakery"
    assert page.share_card.isVisible()
    local = f"http://127.0.0.1:{window.server.port}/platforms/main/storefront/{STORE}/"
    assert page.share_url.text() == local  # this computer only: the local address
    assert not page.qr.pixmap().isNull()
    local_qr = page.qr.pixmap().toImage()
    page.copy_button.click()
    assert QGuiApplication.clipboard().text() == local
    page.open_button.click()
    assert window.opened == [local]

    assert page.lan_notice.isHidden()  # this computer only: nothing crosses the network
    page.lan.setChecked(True)
    assert not page.lan_notice.isHidden()
    assert "plain HTTP" in page.lan_notice.text() and "storefronts only" in page.lan_notice.text()
    link = window.server.chosen_link()
    if len(link.urls) > 1:  # this machine has a network address
        assert page.share_url.text() == link.urls[1] != local
        assert page.qr.pixmap().toImage() != local_qr
        assert "network" in page.share_hint.text()
    qtbot.wait(50)
    assert window.grab().save(str(screenshot_dir / "server-qr.png"))


# -- Open admin, the tray -----------------------------------------------------------------------


@pytest.mark.slow
def test_open_admin_signs_in_once_and_the_tray_follows_the_server(qtbot, ready_window):
    """A running server: the tray turns READY; Open admin hands the browser a link that works once."""
    window = ready_window
    window.removeAction(window.tray.quit_action)
    tray = window.tray = ConsoleTray(window, available=True)  # a tray object even where none shows
    assert _same_image(tray.icon.icon(), state_icon(ServerState.STOPPED))
    page = window.pages["server"]
    page.port.setValue(free_port())
    assert not page.admin_button.isEnabled()
    page.start_button.click()
    assert tray.state == ServerState.STARTING
    assert _same_image(tray.icon.icon(), state_icon(ServerState.STARTING))
    qtbot.waitUntil(lambda: window.server.state == ServerState.READY, timeout=READY_MS)
    assert tray.state == ServerState.READY
    assert _same_image(tray.icon.icon(), state_icon(ServerState.READY))
    assert not _same_image(state_icon(ServerState.READY), state_icon(ServerState.STOPPED))
    assert "Running" in tray.icon.toolTip()
    assert tray.stop_action.isEnabled() and not tray.start_action.isEnabled()

    assert page.admin_button.isEnabled()
    with qtbot.waitSignal(window.server.admin_opened, timeout=10_000):
        page.admin_button.click()
    url = window.opened[-1]
    assert url.startswith(f"http://127.0.0.1:{window.server.port}/admin/auth/token?token=")
    first = httpx.get(url, follow_redirects=False)
    assert first.status_code == 303 and first.headers["location"] == "/admin/"
    dashboard = httpx.get(f"{window.server.controller.base_url}/admin/", cookies=first.cookies, follow_redirects=False)
    assert dashboard.status_code == 200
    again = httpx.get(url, follow_redirects=False)
    assert again.status_code == 400 and "already used" in again.text

    # Closing the window with the server running hides it to the tray, once told, server still up.
    assert window.close() is False
    assert not window.isVisible() and tray.told
    assert window.server.state == ServerState.READY
    quits: list[bool] = []
    tray.quit_app = lambda: quits.append(True)
    tray.quit()  # Quit really closes (ask_on_quit is off in tests) and stops the server
    assert quits == [True]
    assert window.server.state == ServerState.STOPPED
    assert _same_image(tray.icon.icon(), state_icon(ServerState.STOPPED))


def test_without_a_tray_closing_closes(qtbot, window):
    """No tray (as offscreen): nothing is hidden; Ctrl+Q is there anyway."""
    if QSystemTrayIcon.isSystemTrayAvailable():
        pytest.skip("this desktop has a tray")
    assert window.tray.icon is None
    assert window.tray.quit_action.shortcut().toString() == "Ctrl+Q"
    assert window.close() is True


# -- make run ------------------------------------------------------------------------------------


def test_make_run_serves_headless_without_a_display():
    """No DISPLAY/WAYLAND_DISPLAY on Linux: headless, and Qt is not even tried."""
    tried: list[bool] = []

    def probe(env):
        tried.append(True)
        return True

    assert choose_mode({}, "linux", probe) == HEADLESS
    assert choose_mode({"DISPLAY": ""}, "linux", probe) == HEADLESS
    assert not tried
    assert choose_mode({"DISPLAY": ":0"}, "linux", probe) == CONSOLE
    assert choose_mode({"WAYLAND_DISPLAY": "wayland-0"}, "linux", probe) == CONSOLE
    assert choose_mode({"DISPLAY": ":0", "ORION_HEADLESS": "1"}, "linux", probe) == HEADLESS
    assert choose_mode({"DISPLAY": ":0"}, "linux", lambda env: False) == HEADLESS  # Qt cannot open it
    assert display_available({}, "darwin") and display_available({}, "win32")


def test_a_display_qt_cannot_open_means_headless():
    """DISPLAY names a display that does not exist: the real probe (a child process) says no."""
    assert choose_mode({**os.environ, "DISPLAY": ":987"}, "linux") == HEADLESS


# -- background work ------------------------------------------------------------------------------


def test_the_server_page_follows_a_catalogue_import_until_it_is_done(qtbot, ready_window, screenshot_dir):
    """A running import shows with its store, file, state and rows done of its total (read
    through the BackgroundWork contract every two seconds); when it ends, the section goes."""
    from sqlalchemy import select

    from modules.marketplace.models import CatalogueImport
    from orion_server.database import db
    from orion_server.models import Store

    window = ready_window
    page = window.pages["server"]
    window.select("server")
    assert page.work_box.isHidden()
    with db.session() as session:
        store_id = session.scalar(select(Store.id).where(Store.code == STORE))
        job = CatalogueImport(store_id=store_id, file_name="letzshop_fr.tsv", language="fr", status="running",
                              total_rows=1000, done_rows=250, errors=[])
        session.add(job)
        session.commit()
        job_id = job.id
    try:
        qtbot.waitUntil(lambda: bool(window.server.work), timeout=30_000)  # the next poll
        assert not page.work_box.isHidden() and not page.work_title.isHidden()
        [text] = page.work_box.findChildren(QLabel, "workText")
        assert text.text() == f"{STORE}: Catalogue import: letzshop_fr.tsv (Running)"
        [bar] = page.work_box.findChildren(QProgressBar, "workBar")
        assert (bar.value(), bar.maximum(), bar.text()) == (250, 1000, "250 of 1,000 rows")
        window.resize(1100, 820)  # the page's least height with the extra section
        qtbot.wait(50)
        assert window.grab().save(str(screenshot_dir / "server-background-work.png"))
        with db.session() as session:
            session.get(CatalogueImport, job_id).status = "done"
            session.commit()
        qtbot.waitUntil(lambda: not window.server.work, timeout=30_000)
        assert page.work_box.isHidden() and page.work_title.isHidden()
    finally:
        with db.session() as session:
            session.delete(session.get(CatalogueImport, job_id))
            session.commit()
