"""What the PyInstaller build must carry that import analysis cannot see (used by orion.spec).

Orion finds its modules, route files, tasks and migrations at run time (``pkgutil``,
``importlib.import_module``, alembic reading version files), so the build names every Orion
Python module as a hidden import and ships templates, locales, static files and migration
scripts as data at the same relative paths. Kept apart from the spec so a cheap test can check
it without running PyInstaller.
"""

from __future__ import annotations

from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
# Orion's own packages: every Python module in them becomes a hidden import.
PACKAGES = ("orion_server", "orion_desktop", "modules")
# Folders whose files (other than compiled Python) are data at the same path inside the bundle.
DATA_ROOTS = ("modules", "orion_server", "orion_desktop", "resources", "migrations")
# Third-party packages imported by name at run time (uvicorn's protocol and loop choices,
# alembic's operations, database drivers, huey's storages).
THIRD_PARTY_SUBMODULES = (
    "uvicorn",
    "stdnum.eu",  # VAT checks import each country's module by name
    "alembic",
    "sqlalchemy.dialects.sqlite",
    "sqlalchemy.dialects.postgresql",
    "psycopg",
    "psycopg_binary",
    "huey",
    "argon2",
    "python_multipart",
    "multipart",
    "email_validator",
    "fontTools.ttLib.tables",  # fpdf2 embeds fonts through fontTools, which imports tables by tag
)
# Third-party packages with data files they read at run time.
THIRD_PARTY_DATA = ("babel", "stripe", "certifi", "alembic", "stdnum", "limits", "fpdf", "pygal")
# Languages Orion speaks (the storefront's and the console's): Babel's locale data and Qt's own
# translations are kept for these only (Babel's data for every language is 35 MB).
LANGUAGES = ("en", "de", "fr", "lb")
# What PyInstaller's hooks collect that Orion never uses, as (part of) a path inside the bundle:
# the GTK platform theme and the libraries only it needs (the console draws with Qt's own
# style), the EGLFS integration for boards without a window system, and test-only packages.
UNUSED = (
    "platformthemes/libqgtk3", "libgtk-3.so", "libgdk-3.so", "libgdk_pixbuf-2.0.so", "libatk-1.0.so",
    "libatk-bridge-2.0.so", "libatspi.so", "libcairo-gobject.so", "libcairo.so", "libpango-1.0.so",
    "libpangocairo-1.0.so", "libpangoft2-1.0.so", "libepoxy.so", "libfribidi.so", "libdatrie.so",
    "libthai.so", "libpixman-1.so",
    "egldeviceintegrations/", "platforms/libqeglfs", "libQt6EglFSDeviceIntegration.so", "libQt6EglFsKmsSupport.so",
)
# yaml and watchfiles are uvicorn's options for log-config files and --reload, greenlet
# SQLAlchemy's for asyncio: Orion uses none of them.
EXCLUDED_PACKAGES = ("tkinter", "pytest", "_pytest", "playwright", "hypothesis", "schemathesis", "pytestqt",
                     "aiosmtpd", "yaml", "watchfiles", "greenlet",
                     "PySide6.QtWebEngineCore", "PySide6.Qt3DCore", "PySide6.QtQml", "PySide6.QtQuick")
SKIPPED_PARTS = {"__pycache__", "tests", ".pytest_cache"}
SKIPPED_SUFFIXES = {".pyc", ".pyo"}


def _skipped(path: Path) -> bool:
    return bool(SKIPPED_PARTS & set(path.parts)) or path.suffix in SKIPPED_SUFFIXES


def hidden_imports(root: Path = REPO) -> list[str]:
    """Dotted names of every module and package in Orion's own packages."""
    names: set[str] = set()
    for package in PACKAGES:
        for path in sorted((root / package).rglob("*.py")):
            relative = path.relative_to(root)
            if _skipped(relative) or "migrations" in relative.parts:
                continue  # migration scripts are loaded by alembic from files, not imported
            parts = list(relative.with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            if all(part.isidentifier() for part in parts):
                names.add(".".join(parts))
    return sorted(names)


def module_packages(root: Path = REPO) -> list[str]:
    """Every built-in Orion module package (``modules.<code>``) found on disk."""
    return sorted(
        f"modules.{folder.name}"
        for folder in (root / "modules").iterdir()
        if (folder / "__init__.py").is_file() and not folder.name.startswith("_")
    )


def data_files(root: Path = REPO) -> list[tuple[str, str]]:
    """(file, folder inside the bundle) for templates, locales, static files and migrations."""
    found: list[tuple[str, str]] = []
    for base in DATA_ROOTS:
        for path in sorted((root / base).rglob("*")):
            relative = path.relative_to(root)
            if not path.is_file() or _skipped(relative):
                continue
            if path.suffix == ".py" and "migrations" not in relative.parts:
                continue  # code travels in the archive; only migration scripts are read as files
            found.append((str(path), str(relative.parent)))
    return found


def third_party_hidden_imports() -> list[str]:
    """Submodules of the third-party packages imported by name (only those installed)."""
    from PyInstaller.utils.hooks import collect_submodules

    names: list[str] = []
    for package in THIRD_PARTY_SUBMODULES:
        try:
            names += collect_submodules(package, on_error="ignore")
        except Exception:  # not installed here (an optional driver)
            continue
    return names


def third_party_data_files() -> list[tuple[str, str]]:
    """Data files of the third-party packages that read them at run time."""
    from PyInstaller.utils.hooks import collect_data_files

    found: list[tuple[str, str]] = []
    for package in THIRD_PARTY_DATA:
        try:
            found += collect_data_files(package)
        except Exception:
            continue
    return found


def orion_metadata() -> list[tuple[str, str]]:
    """The installed ``orion`` distribution's metadata, where ``orion_server.__version__`` reads
    the version number (the one in pyproject.toml)."""
    from PyInstaller.utils.hooks import copy_metadata

    return copy_metadata("orion")


def _unused(destination: str) -> bool:
    """Whether a bundle entry at ``destination`` is something Orion never uses (see UNUSED),
    another language's Babel data, or another language's Qt translation."""
    path = destination.replace("\\", "/")
    if any(part in path for part in UNUSED):
        return True
    name = path.rsplit("/", 1)[-1]
    if "babel/locale-data/" in path and name.endswith(".dat"):
        return not (name == "root.dat" or name.split(".")[0].split("_")[0] in LANGUAGES)
    if "PySide6/Qt/translations/" in path and name.endswith(".qm"):
        return name.rsplit(".", 1)[0].rsplit("_", 1)[-1] not in LANGUAGES
    return False


def trimmed(entries):
    """PyInstaller's TOC (binaries or datas, ``(destination, source, kind)``) without what
    Orion never uses."""
    return [entry for entry in entries if not _unused(entry[0])]
