"""The Settings page: console language, starting the server with the console, whether other
computers may open the dashboards, how long and how much of the logs is kept, light or dark.

Each change is saved at once. The theme applies at once; the language applies the next time the
console opens (every page builds its text when it is created), which the page says."""

from __future__ import annotations

from pathlib import Path

from orion_desktop.qt import (
    QApplication,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QSpinBox,
    Qt,
    QWidget,
    Signal,
)
from orion_desktop.settings import (
    LOG_DAYS_RANGE,
    LOG_MB_RANGE,
    ConsoleSettings,
    apply_theme,
    export_log_retention,
    export_staff_from_lan,
    load_settings,
    save_settings,
)
from orion_desktop.strings import CONSOLE_LANGUAGES, current_language, tr
from orion_desktop.widgets import SPACING, page_layout

HINT_STYLE = "color: #57606a;"


def console_language_names() -> dict[str, str]:
    """Console language code -> its name in that language."""
    from orion_server.config import LANGUAGE_NAMES

    return {code: LANGUAGE_NAMES[code] for code in CONSOLE_LANGUAGES}


class SettingsPage(QWidget):
    """Edits the ConsoleSettings stored at ``path`` (the user's console.json by default)."""

    changed = Signal()

    def __init__(self, settings: ConsoleSettings | None = None, path: Path | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.path = path
        self.settings = settings or load_settings(path)
        layout = page_layout(self, tr("Settings"), tr("How the console looks and behaves on this computer."))
        form = QFormLayout()
        form.setSpacing(SPACING)
        layout.addLayout(form)

        self.language = QComboBox()
        for code, name in console_language_names().items():
            self.language.addItem(name, code)
        self.language.setCurrentIndex(max(self.language.findData(self.settings.language), 0))
        self.language_note = QLabel()
        self.language_note.setWordWrap(True)
        self.language_note.setStyleSheet(HINT_STYLE)
        form.addRow(tr("Console language"), self.language)
        form.addRow("", self.language_note)

        self.start_server = QCheckBox(tr("Start the server when the console opens"))
        self.start_server.setChecked(self.settings.start_server)
        form.addRow(tr("Server"), self.start_server)

        self.staff_from_lan = QCheckBox(tr("Let other computers on the network open the admin and store dashboards"))
        self.staff_from_lan.setChecked(self.settings.staff_from_lan)
        lan_note = QLabel(tr(
            "Off by default: the dashboards open only on this computer, while shoppers on the network "
            "reach the storefronts. The network is served over plain HTTP, so staff passwords typed on "
            "another computer cross it unencrypted; prefer a reverse proxy with HTTPS. "
            "Applies when the server next starts."
        ))
        lan_note.setWordWrap(True)
        lan_note.setStyleSheet(HINT_STYLE)
        form.addRow(tr("Network"), self.staff_from_lan)
        form.addRow("", lan_note)

        self.logs_days = QSpinBox()
        self.logs_days.setRange(*LOG_DAYS_RANGE)
        self.logs_days.setValue(self.settings.logs_max_days)
        self.logs_days.setSuffix(" " + tr("days"))
        self.logs_mb = QSpinBox()
        self.logs_mb.setRange(*LOG_MB_RANGE)
        self.logs_mb.setSingleStep(50)
        self.logs_mb.setValue(self.settings.logs_max_mb)
        self.logs_mb.setSuffix(" MB")
        retention = QHBoxLayout()
        retention.addWidget(QLabel(tr("Keep at most")))
        retention.addWidget(self.logs_days)
        retention.addWidget(QLabel(tr("and")))
        retention.addWidget(self.logs_mb)
        retention.addStretch(1)
        logs_note = QLabel(tr(
            "The oldest log records and log files go first once either limit is reached, so a flood "
            "of requests cannot fill the disk. Applies when the server next starts."
        ))
        logs_note.setWordWrap(True)
        logs_note.setStyleSheet(HINT_STYLE)
        form.addRow(tr("Logs"), retention)
        form.addRow("", logs_note)

        self.theme = QComboBox()
        for code, title in (("system", tr("Follow the system")), ("light", tr("Light")), ("dark", tr("Dark"))):
            self.theme.addItem(title, code)
        self.theme.setCurrentIndex(max(self.theme.findData(self.settings.theme), 0))
        theme_note = QLabel(tr("Changes at once."))
        theme_note.setStyleSheet(HINT_STYLE)
        form.addRow(tr("Appearance"), self.theme)
        form.addRow("", theme_note)

        self.installation = QLabel()
        self.installation.setWordWrap(True)
        self.installation.setStyleSheet(HINT_STYLE)
        self.installation.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        form.addRow(tr("Installation"), self.installation)
        layout.addStretch(1)

        self.language.currentIndexChanged.connect(lambda _i: self._save(language=self.language.currentData()))
        self.start_server.toggled.connect(lambda checked: self._save(start_server=checked))
        self.staff_from_lan.toggled.connect(self._staff_from_lan_chosen)
        self.logs_days.valueChanged.connect(lambda days: self._retention_chosen(logs_max_days=days))
        self.logs_mb.valueChanged.connect(lambda mb: self._retention_chosen(logs_max_mb=mb))
        self.theme.currentIndexChanged.connect(lambda _i: self._theme_chosen())
        self._describe()

    def _describe(self) -> None:
        if self.settings.language != current_language():
            self.language_note.setText(tr("The console will use {language} the next time it opens.",
                                          language=console_language_names()[self.settings.language]))
        else:
            self.language_note.setText(tr("A new language applies the next time the console opens."))
        from orion_server.config import get_settings
        from orion_server.logs import redact

        try:
            server = get_settings()
            self.installation.setText(tr("Data folder: {folder}\nDatabase: {database}", folder=server.data_dir,
                                         database=redact(server.resolved_database_url)))
        except Exception:  # the settings page must open even when the server settings are wrong
            self.installation.setText(tr("The installation's settings cannot be read."))

    def showEvent(self, event) -> None:  # noqa: N802 - Qt's name
        self._describe()  # the wizard may have chosen another installation since
        super().showEvent(event)

    def _save(self, **changes) -> None:
        for name, value in changes.items():
            setattr(self.settings, name, value)
        save_settings(self.settings, self.path)
        self._describe()
        self.changed.emit()

    def _staff_from_lan_chosen(self, checked: bool) -> None:
        self._save(staff_from_lan=checked)
        export_staff_from_lan(self.settings)

    def _retention_chosen(self, **changes: int) -> None:
        self._save(**changes)
        export_log_retention(self.settings)

    def _theme_chosen(self) -> None:
        self._save(theme=self.theme.currentData())
        app = QApplication.instance()
        if app is not None:
            apply_theme(app, self.settings.theme)
