"""The console's own settings: language, theme, starting the server, and the installation chosen
in the first-run wizard (data folder, database URL, main platform code).

They are kept in a JSON file in the user's config folder (``console.json``), not in QSettings:
the file is the same on every system (QSettings would use the Windows registry), the server
side and support staff can read it without Qt, tests point ``ORION_CONSOLE_CONFIG`` at a
temporary file, and the file is written with mode 0600 because a PostgreSQL URL may hold a
password. The server and the console read ``ORION_DATA_DIR`` / ``ORION_DATABASE_URL``, so at
launch ``apply_environment`` puts the stored choice there before the settings are read; the
server child process inherits this environment.
"""

from __future__ import annotations

import json
import logging
import os
from dataclasses import asdict, dataclass, fields
from pathlib import Path

from platformdirs import user_config_dir

from orion_desktop.strings import CONSOLE_LANGUAGES

logger = logging.getLogger(__name__)

CONFIG_ENV = "ORION_CONSOLE_CONFIG"
THEMES: tuple[str, ...] = ("system", "light", "dark")
ENVIRONMENT = {
    "data_dir": "ORION_DATA_DIR",
    "database_url": "ORION_DATABASE_URL",
    "main_platform_code": "ORION_MAIN_PLATFORM_CODE",
    "staff_from_lan": "ORION_STAFF_FROM_LAN",
    "logs_max_days": "ORION_LOGS_MAX_DAYS",
    "logs_max_mb": "ORION_LOGS_MAX_MB",
}
LOG_DAYS_RANGE = (1, 3650)
LOG_MB_RANGE = (1, 1_000_000)
"""The bounds the server's settings accept for the logs' retention."""


@dataclass
class ConsoleSettings:
    """What the operator chose in the console."""

    language: str = "en"
    start_server: bool = False
    theme: str = "system"
    data_dir: str = ""
    database_url: str = ""
    main_platform_code: str = ""
    staff_from_lan: bool = False
    """Other computers may open /admin and the store dashboards (the server's ORION_STAFF_FROM_LAN)."""
    logs_max_days: int = 30
    """Log records and rotated log files older than this go (the server's ORION_LOGS_MAX_DAYS)."""
    logs_max_mb: int = 200
    """logs.db, and the JSON log files together, stay under this size (ORION_LOGS_MAX_MB)."""

    def cleaned(self) -> ConsoleSettings:
        """The same settings with unknown values replaced by the defaults."""
        default = ConsoleSettings()
        return ConsoleSettings(
            language=self.language if self.language in CONSOLE_LANGUAGES else default.language,
            start_server=bool(self.start_server),
            theme=self.theme if self.theme in THEMES else default.theme,
            data_dir=str(self.data_dir or ""),
            database_url=str(self.database_url or ""),
            main_platform_code=str(self.main_platform_code or ""),
            staff_from_lan=self.staff_from_lan is True,
            logs_max_days=_bounded(self.logs_max_days, LOG_DAYS_RANGE, default.logs_max_days),
            logs_max_mb=_bounded(self.logs_max_mb, LOG_MB_RANGE, default.logs_max_mb),
        )


def _bounded(value: object, bounds: tuple[int, int], default: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        return default
    return min(max(value, bounds[0]), bounds[1])


def settings_path() -> Path:
    """Where the console settings live: ``$ORION_CONSOLE_CONFIG``, else the user config folder."""
    configured = os.environ.get(CONFIG_ENV, "").strip()
    if configured:
        return Path(configured)
    return Path(user_config_dir("orion", appauthor=False)) / "console.json"


def load_settings(path: Path | None = None) -> ConsoleSettings:
    """The saved settings; the defaults when there are none or the file cannot be read."""
    path = path or settings_path()
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return ConsoleSettings()
    except (OSError, ValueError) as exc:
        logger.warning("console settings %s cannot be read (%s); using the defaults", path, exc.__class__.__name__)
        return ConsoleSettings()
    if not isinstance(raw, dict):
        return ConsoleSettings()
    known = {f.name for f in fields(ConsoleSettings)}
    return ConsoleSettings(**{k: v for k, v in raw.items() if k in known}).cleaned()


def save_settings(settings: ConsoleSettings, path: Path | None = None) -> Path:
    """Write the settings (atomically, readable by this user only)."""
    path = path or settings_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(path.name + ".tmp")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        json.dump(asdict(settings.cleaned()), handle, indent=2, ensure_ascii=False)
    os.replace(temporary, path)
    return path


def apply_environment(settings: ConsoleSettings, *, override: bool = False) -> None:
    """Put the chosen installation into ``ORION_*`` variables and forget the cached server settings.

    At launch a variable already set in the environment wins (``override=False``): whoever set
    it asked for that installation. The wizard overrides, because the operator just chose.
    """
    for attribute, name in ENVIRONMENT.items():
        value = getattr(settings, attribute)
        if isinstance(value, bool):
            if override or not os.environ.get(name):
                os.environ[name] = "1" if value else "0"
            continue
        if isinstance(value, int):
            if override or not os.environ.get(name):
                os.environ[name] = str(value)
            continue
        if value and (override or not os.environ.get(name)):
            os.environ[name] = value
        elif override and not value and attribute == "database_url":
            os.environ.pop(name, None)  # SQLite in the data folder
    reload_server_settings()


def export_staff_from_lan(settings: ConsoleSettings) -> None:
    """Hand the operator's new choice to the next server the console starts."""
    os.environ[ENVIRONMENT["staff_from_lan"]] = "1" if settings.staff_from_lan else "0"
    reload_server_settings()


def export_log_retention(settings: ConsoleSettings) -> None:
    """Hand the logs' retention to the next server (and task consumer) the console starts."""
    os.environ[ENVIRONMENT["logs_max_days"]] = str(settings.logs_max_days)
    os.environ[ENVIRONMENT["logs_max_mb"]] = str(settings.logs_max_mb)
    reload_server_settings()


def reload_server_settings() -> None:
    """Make the next get_settings() and database use read the environment again."""
    from orion_server.config import reset_settings
    from orion_server.database import db
    from orion_server.revision import config_cache

    reset_settings()
    db.dispose()
    config_cache.invalidate()


_system_palette = None


def apply_theme(app, theme: str) -> None:
    """Follow the system's light/dark choice, or force one (with a dark palette for dark)."""
    from orion_desktop.qt import QColor, QPalette, Qt

    global _system_palette
    if _system_palette is None:
        _system_palette = QPalette(app.palette())
    hints = app.styleHints()
    scheme = {"light": Qt.ColorScheme.Light, "dark": Qt.ColorScheme.Dark}.get(theme, Qt.ColorScheme.Unknown)
    if hasattr(hints, "setColorScheme"):  # Qt 6.8+
        hints.setColorScheme(scheme)
    if theme == "dark":
        palette = QPalette()
        colours = {
            QPalette.ColorRole.Window: "#1f2328",
            QPalette.ColorRole.WindowText: "#e6edf3",
            QPalette.ColorRole.Base: "#161b22",
            QPalette.ColorRole.AlternateBase: "#1f2630",
            QPalette.ColorRole.ToolTipBase: "#2d333b",
            QPalette.ColorRole.ToolTipText: "#e6edf3",
            QPalette.ColorRole.Text: "#e6edf3",
            QPalette.ColorRole.Button: "#2d333b",
            QPalette.ColorRole.ButtonText: "#e6edf3",
            QPalette.ColorRole.BrightText: "#ff7b72",
            QPalette.ColorRole.Highlight: "#2f81f7",
            QPalette.ColorRole.HighlightedText: "#ffffff",
            QPalette.ColorRole.Link: "#58a6ff",
            QPalette.ColorRole.PlaceholderText: "#8b949e",
        }
        for role, colour in colours.items():
            palette.setColor(role, QColor(colour))
        for role in (QPalette.ColorRole.Text, QPalette.ColorRole.ButtonText, QPalette.ColorRole.WindowText):
            palette.setColor(QPalette.ColorGroup.Disabled, role, QColor("#6e7681"))
        if app.style().name().lower() == "windowsvista":  # it ignores palettes; Fusion honours them
            app.setStyle("Fusion")
        app.setPalette(palette)
    else:
        app.setPalette(app.style().standardPalette() if theme == "light" else _system_palette)
    for widget in app.allWidgets():  # widgets with a style sheet keep the old palette until re-polished
        if widget.styleSheet():
            widget.setStyleSheet(widget.styleSheet())
