"""Console settings (saved, read back, applied), the Settings page, and the console translations:
every ``tr("…")`` text of orion_desktop has a German, French and Luxembourgish translation."""

from __future__ import annotations

import ast
import json
import string
from pathlib import Path

import pytest

from orion_desktop.pages.settings_page import SettingsPage
from orion_desktop.qt import QPalette
from orion_desktop.settings import ConsoleSettings, load_settings, save_settings
from orion_desktop.strings import LOCALES_DIR, catalogue, current_language, set_language, tr
from tests.desktop import test_wizard
from tests.desktop.conftest import wait_idle
from tests.support.servers import free_port

console_config = test_wizard.console_config  # the fixtures, shared
screenshot_dir = test_wizard.screenshot_dir

DESKTOP = Path(__file__).resolve().parents[2] / "orion_desktop"
TRANSLATED = ("de", "fr", "lb")


@pytest.fixture
def german():
    """The console in German for one test."""
    previous = current_language()
    set_language("de")
    yield
    set_language(previous)


# -- settings --------------------------------------------------------------------------------------


def test_settings_are_saved_for_this_user_only_and_read_back(tmp_path):
    """A round trip keeps every value; the file is 0600; unknown values fall back to the defaults."""
    path = tmp_path / "console.json"
    assert load_settings(path) == ConsoleSettings()  # nothing saved yet
    chosen = ConsoleSettings(language="lb", start_server=True, theme="dark", data_dir="/srv/orion",
                             database_url="postgresql+psycopg://orion:pw@db/orion", main_platform_code="lux")
    save_settings(chosen, path)
    assert load_settings(path) == chosen
    assert path.stat().st_mode & 0o777 == 0o600
    path.write_text(json.dumps({"language": "xx", "theme": "purple", "start_server": 1, "unknown": 3}))
    assert load_settings(path) == ConsoleSettings(start_server=True)
    path.write_text("{not json")
    assert load_settings(path) == ConsoleSettings()


def test_the_settings_page_saves_each_change_and_applies_the_theme(qtbot, qapp, console_config, screenshot_dir):
    """Language, start-with-the-console and theme are saved at once; dark applies a dark palette
    at once, "follow the system" gives the system's back; the page says when the language applies."""
    page = SettingsPage()
    qtbot.addWidget(page)
    page.resize(900, 600)
    page.show()
    assert "next time the console opens" in page.language_note.text()
    page.language.setCurrentIndex(page.language.findData("fr"))
    page.start_server.setChecked(True)
    original = qapp.palette().color(QPalette.ColorRole.Window)
    page.theme.setCurrentIndex(page.theme.findData("dark"))
    try:
        assert qapp.palette().color(QPalette.ColorRole.Window).lightness() < 60
        assert load_settings() == ConsoleSettings(language="fr", start_server=True, theme="dark")
        assert "Français" in page.language_note.text()
        qtbot.wait(50)  # the palette change reaches the widgets through the event loop
        assert page.palette().color(QPalette.ColorRole.Window).lightness() < 60
        assert page.grab().save(str(screenshot_dir / "settings-dark.png"))
    finally:
        page.theme.setCurrentIndex(page.theme.findData("system"))
    assert qapp.palette().color(QPalette.ColorRole.Window) == original
    assert load_settings().theme == "system"
    qtbot.wait(50)
    assert page.grab().save(str(screenshot_dir / "settings.png"))


def test_the_operator_can_let_other_computers_open_the_dashboards(qtbot, console_config, monkeypatch):
    """Off by default; ticking it is saved and handed to the next server (ORION_STAFF_FROM_LAN),
    and the Server page's notice then warns that staff passwords cross the network."""
    from orion_desktop.pages.server_page import dashboards_open_on_lan, lan_notice
    from orion_server.config import get_settings

    monkeypatch.delenv("ORION_STAFF_FROM_LAN", raising=False)
    page = SettingsPage()
    qtbot.addWidget(page)
    assert not page.staff_from_lan.isChecked() and not get_settings().staff_from_lan
    page.staff_from_lan.setChecked(True)
    assert load_settings().staff_from_lan is True
    assert get_settings().staff_from_lan is True and dashboards_open_on_lan()
    assert "passwords cross the network unencrypted" in lan_notice(dashboards_open_on_lan())
    page.staff_from_lan.setChecked(False)
    assert load_settings().staff_from_lan is False and not get_settings().staff_from_lan
    monkeypatch.delenv("ORION_STAFF_FROM_LAN", raising=False)


def test_switching_the_language_translates_the_pages(qtbot, german, console_config, screenshot_dir):
    """With German chosen, pages built afterwards speak German, placeholders filled."""
    page = SettingsPage()
    qtbot.addWidget(page)
    page.resize(900, 600)
    page.show()
    assert page.findChild(type(page.language_note), "pageTitle").text() == "Einstellungen"
    assert page.start_server.text() == "Server beim Öffnen der Konsole starten"
    assert tr("Server: {state}", state="x") == "Server: x"
    assert page.grab().save(str(screenshot_dir / "settings-de.png"))
    set_language("lb")
    assert tr("Settings") == "Astellungen"
    set_language("fr")
    assert tr("Settings") == "Paramètres"


def test_a_translation_with_a_wrong_placeholder_falls_back_to_english(german, monkeypatch):
    """A mistake in a translation never hides the sentence."""
    monkeypatch.setitem(catalogue("de"), "Server: {state}", "Server: {zustand}")
    assert tr("Server: {state}", state="läuft") == "Server: läuft"


def test_the_console_honours_start_the_server_when_it_opens(qtbot, runner, console_env, console_config):
    """With the setting on, opening the console on a set-up installation starts the server."""
    from orion_desktop.main_window import MainWindow

    save_settings(ConsoleSettings(start_server=True), console_config)
    window = MainWindow(runner, ask_on_quit=False)
    qtbot.addWidget(window)
    window.server.set_port(free_port())
    try:
        window.check_installation()
        wait_idle(qtbot, runner)
        assert window.initialised
        assert window.server.controller.running
        assert window.pages["settings"].start_server.isChecked()
    finally:
        window.server.stop()
    assert not window.server.controller.running


# -- translations ------------------------------------------------------------------------------


def tr_texts() -> dict[str, list[str]]:
    """Every literal ``tr("…")`` text in orion_desktop, with where it is used."""
    found: dict[str, list[str]] = {}
    for path in sorted(DESKTOP.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "tr"
                    and node.args and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str)):
                found.setdefault(node.args[0].value, []).append(f"{path.relative_to(DESKTOP.parent)}:{node.lineno}")
    return found


def table_titles() -> set[str]:
    """Column titles of the table models (translated by the model, not by a literal tr call)."""
    titles: set[str] = set()
    for path in sorted(DESKTOP.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "RowsTableModel"
                    and node.args and isinstance(node.args[0], ast.List)):
                for pair in node.args[0].elts:
                    if isinstance(pair, ast.Tuple) and isinstance(pair.elts[0], ast.Constant):
                        titles.add(pair.elts[0].value)
    return titles


def placeholders(text: str) -> set[str]:
    return {name for _literal, name, _spec, _conv in string.Formatter().parse(text) if name}


@pytest.mark.parametrize("language", TRANSLATED)
def test_every_console_text_is_translated(language):
    """Each tr() literal and column title has a translation with the same placeholders; the
    failure lists what is missing, with file and line, so a new text cannot be forgotten."""
    translations = json.loads((LOCALES_DIR / f"{language}.json").read_text(encoding="utf-8"))
    texts = tr_texts()
    assert len(texts) > 100  # the scan found the console's texts
    missing = [f"{text!r}  ({', '.join(where)})" for text, where in sorted(texts.items())
               if not translations.get(text, "").strip()]
    missing += [f"{title!r}  (table column)" for title in sorted(table_titles()) if not translations.get(title)]
    assert not missing, f"orion_desktop/locales/{language}.json lacks {len(missing)} texts:\n" + "\n".join(missing)
    wrong = [text for text in texts if placeholders(translations[text]) != placeholders(text)]
    assert not wrong, f"{language}: translations with other placeholders than the English text: {wrong}"


def test_the_console_survives_many_signals():
    """PySide6 6.12.0 on Python 3.11 drops a reference to True at every emit() and aborts the
    process after a few thousand signals (pyproject excludes it). Run in a child so a bad
    PySide6 fails this test instead of killing the suite."""
    import subprocess
    import sys

    probe = (
        "import sys\n"
        "from PySide6.QtCore import QCoreApplication, QObject, Signal\n"
        "app = QCoreApplication([])\n"
        "class Ticker(QObject):\n"
        "    tick = Signal()\n"
        "ticker = Ticker()\n"
        "before = sys.getrefcount(True)\n"
        "for _ in range(20_000):\n"
        "    ticker.tick.emit()\n"
        "print(before - sys.getrefcount(True))\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-500:]
    assert abs(int(done.stdout.strip())) < 100


def test_the_logs_retention_is_saved_and_handed_to_the_next_server(qtbot, console_config, monkeypatch):
    """Days and megabytes of logs kept: saved at once, and the server's settings read them."""
    from orion_server.config import get_settings

    monkeypatch.delenv("ORION_LOGS_MAX_DAYS", raising=False)
    monkeypatch.delenv("ORION_LOGS_MAX_MB", raising=False)
    page = SettingsPage()
    qtbot.addWidget(page)
    assert (page.logs_days.value(), page.logs_mb.value()) == (30, 200)
    page.logs_days.setValue(7)
    page.logs_mb.setValue(50)
    assert (load_settings().logs_max_days, load_settings().logs_max_mb) == (7, 50)
    assert (get_settings().logs_max_days, get_settings().logs_max_mb) == (7, 50)
    page.logs_days.setValue(0)  # below the range: the box keeps the smallest allowed
    assert load_settings().logs_max_days == 1
    monkeypatch.delenv("ORION_LOGS_MAX_DAYS", raising=False)
    monkeypatch.delenv("ORION_LOGS_MAX_MB", raising=False)
    from orion_server.config import reset_settings

    reset_settings()
