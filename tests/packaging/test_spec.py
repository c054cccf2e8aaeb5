"""The PyInstaller build carries every Orion module and data folder (checked without building)."""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path

import pytest

from orion_server.modules.discovery import builtin_module_packages

PACKAGING = Path(__file__).resolve().parents[2] / "packaging"


def _load(name: str):
    spec = importlib.util.spec_from_file_location(f"orion_packaging_{name}", PACKAGING / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def collect():
    return _load("collect")


def test_every_module_package_and_route_file_is_a_hidden_import(collect):
    """Each built-in module (what discovery finds) with its definition, route files and tasks."""
    hidden = set(collect.hidden_imports())
    packages = builtin_module_packages()
    assert len(packages) >= 10
    assert set(packages) <= set(collect.module_packages()) <= hidden
    for package in packages:
        folder = collect.REPO / Path(*package.split("."))
        assert f"{package}.definition" in hidden
        for route_file in (folder / "routes").rglob("*.py"):
            dotted = ".".join(route_file.relative_to(collect.REPO).with_suffix("").parts)
            assert dotted.removesuffix(".__init__") in hidden, dotted
    for name in ("orion_server.asgi", "orion_server.cli.admin_link", "orion_desktop.__main__", "orion_desktop.tray"):
        assert name in hidden
    assert not any(".migrations." in name or "__pycache__" in name for name in hidden)


def test_templates_locales_static_and_migrations_are_data_at_their_paths(collect):
    """Every module's resource folders, the framework's resources and migration scripts."""
    data = collect.data_files()
    destinations = {dest for _source, dest in data}
    files = {os.path.relpath(source, collect.REPO) for source, _dest in data}
    for source, dest in data:
        assert os.path.relpath(source, collect.REPO).rsplit(os.sep, 1)[0] == dest
    for package in builtin_module_packages():
        folder = Path(*package.split("."))
        for resource in ("templates", "locales", "static", "migrations/versions"):
            if (collect.REPO / folder / resource).is_dir():
                assert any(d == str(folder / resource) or d.startswith(str(folder / resource) + os.sep)
                           for d in destinations), (package, resource)
        for script in (collect.REPO / folder / "migrations" / "versions").glob("*.py"):
            assert str(script.relative_to(collect.REPO)) in files
    assert "migrations/env.py" in files and "migrations/script.py.mako" in files
    assert "migrations/versions/orion_002_login_tokens.py" in files
    assert {"resources/locales/en.json", "resources/locales/lb.json"} <= files
    assert any(f.startswith("resources/templates/") for f in files)
    # PDF documents embed the bundled font: a machine without DejaVu prints ä, é and € too
    assert {"orion_server/resources/fonts/DejaVuSans.ttf", "orion_server/resources/fonts/DejaVuSans-Bold.ttf",
            "orion_server/resources/fonts/LICENSE.txt"} <= files
    assert not any(f.endswith(".pyc") for f in files)
    assert "orion_server/app.py" not in files  # code goes in the archive, not as loose files


def test_the_pdf_engine_finds_its_fonts_where_the_build_puts_them(collect):
    """The fonts are data at orion_server/resources/fonts, where paths.FONTS_DIR looks (in a
    checkout, a wheel and the bundle alike); fpdf2's data and fontTools' tables travel too."""
    from orion_server.paths import FONTS_DIR, PROJECT_ROOT

    fonts = {(os.path.relpath(source, collect.REPO), dest) for source, dest in collect.data_files()
             if source.endswith(".ttf")}
    assert ("orion_server/resources/fonts/DejaVuSans.ttf", "orion_server/resources/fonts") in fonts
    assert FONTS_DIR.relative_to(PROJECT_ROOT) == Path("orion_server/resources/fonts")
    assert "fpdf" in collect.THIRD_PARTY_DATA
    assert "fontTools.ttLib.tables" in collect.THIRD_PARTY_SUBMODULES


def test_the_spec_uses_the_collection_and_builds_one_program_named_orion():
    """The spec reads collect.py's lists, starts at orion_main.py and names the program orion."""
    spec = (PACKAGING / "orion.spec").read_text()
    for needle in ("collect.hidden_imports()", "collect.data_files()", "orion_main.py", 'name="orion"', "COLLECT("):
        assert needle in spec
    compile(spec, "orion.spec", "exec")


def test_the_program_opens_the_console_without_arguments_and_is_the_cli_with_them():
    """`orion` is the console (when a display exists), `orion serve …` the CLI."""
    entry = _load("orion_main")
    assert entry.choose_action([], {"DISPLAY": ":0"}, "linux") == "console"
    assert entry.choose_action(["console"], {}, "darwin") == "console"
    assert entry.choose_action([], {}, "linux") == "no-display"
    assert entry.choose_action(["console"], {"QT_QPA_PLATFORM": "offscreen"}, "linux") == "console"
    assert entry.choose_action([], {"QT_QPA_PLATFORM": "offscreen"}, "linux") == "no-display"
    assert entry.choose_action(["serve", "--port", "8001"], {}, "linux") == "cli"
    assert entry.choose_action(["--help"], {"DISPLAY": ":0"}, "linux") == "cli"


def test_a_frozen_console_starts_the_server_from_the_same_executable(monkeypatch):
    """Frozen: the console's child is ``<executable> serve …``, no ``-m``."""
    import sys

    from orion_desktop.server_control import server_command

    monkeypatch.setattr(sys, "frozen", True, raising=False)
    assert server_command("127.0.0.1", 8000) == [sys.executable, "serve", "--host", "127.0.0.1", "--port", "8000"]


def test_the_chart_library_takes_its_stylesheets_along(collect):
    """pygal reads its CSS files when it draws a chart: the bundle must carry them."""
    import pygal

    assert "pygal" in collect.THIRD_PARTY_DATA
    assert list((Path(pygal.__file__).parent / "css").glob("*.css"))  # what the collection takes


def test_the_build_leaves_out_what_orion_never_uses(collect):
    """Babel data and Qt translations of Orion's languages only, no GTK theme, no EGLFS."""
    entries = [(dest, "/src/" + dest, "DATA") for dest in (
        "babel/locale-data/root.dat", "babel/locale-data/de.dat", "babel/locale-data/de_LU.dat",
        "babel/locale-data/lb.dat", "babel/locale-data/en_001.dat", "babel/locale-data/fr_BE.dat",
        "babel/locale-data/ja.dat", "babel/locale-data/pt_BR.dat", "babel/global.dat",
        "PySide6/Qt/translations/qtbase_de.qm", "PySide6/Qt/translations/qtbase_ja.qm",
        "PySide6/Qt/plugins/platformthemes/libqgtk3.so", "PySide6/Qt/plugins/platformthemes/libqxdgdesktopportal.so",
        "PySide6/Qt/plugins/platforms/libqxcb.so", "PySide6/Qt/plugins/egldeviceintegrations/libqeglfs-x11.so",
        "libgtk-3.so.0", "libQt6EglFSDeviceIntegration.so.6", "libxcb.so.1", "libQt6Gui.so.6",
    )]
    kept = [dest for dest, _source, _kind in collect.trimmed(entries)]
    assert kept == [
        "babel/locale-data/root.dat", "babel/locale-data/de.dat", "babel/locale-data/de_LU.dat",
        "babel/locale-data/lb.dat", "babel/locale-data/en_001.dat", "babel/locale-data/fr_BE.dat",
        "babel/global.dat", "PySide6/Qt/translations/qtbase_de.qm",
        "PySide6/Qt/plugins/platformthemes/libqxdgdesktopportal.so", "PySide6/Qt/plugins/platforms/libqxcb.so",
        "libxcb.so.1", "libQt6Gui.so.6",
    ]
    assert "hypothesis" in collect.EXCLUDED_PACKAGES and "pytest" in collect.EXCLUDED_PACKAGES
