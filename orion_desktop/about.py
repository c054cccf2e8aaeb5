"""The About box: which Orion this is (the version the server, the CLI and the support bundle
report too), the data folder and database it manages, and the Python and Qt it runs on."""

from __future__ import annotations

import platform
import sys

from orion_desktop.qt import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    Qt,
    QVBoxLayout,
    QWidget,
)
from orion_desktop.strings import tr
from orion_desktop.widgets import MARGIN, SPACING


def about_facts(data_dir: str = "", database: str = "") -> list[tuple[str, str]]:
    """(label, value) rows of the About box."""
    import PySide6
    from PySide6.QtCore import qVersion

    from orion_server import __version__

    frozen = getattr(sys, "frozen", False)
    return [
        (tr("Version"), __version__),
        (tr("Data folder"), data_dir or tr("not chosen yet")),
        (tr("Database"), database or tr("not set up yet")),
        (tr("Program"), tr("installed program") if frozen else tr("from source")),
        (tr("Python"), platform.python_version()),
        (tr("Qt"), f"{qVersion()} (PySide6 {PySide6.__version__})"),
        (tr("System"), f"{platform.system()} {platform.release()} ({platform.machine()})"),
    ]


class AboutDialog(QDialog):
    """Help → About Orion."""

    def __init__(self, parent: QWidget | None = None, *, data_dir: str = "", database: str = "") -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("About Orion"))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(MARGIN, MARGIN, MARGIN, MARGIN)
        layout.setSpacing(SPACING)
        title = QLabel(tr("Orion {version}", version=about_facts()[0][1]))
        title.setStyleSheet("font-size: 18px; font-weight: 600;")
        layout.addWidget(title)
        layout.addWidget(QLabel(tr("A modular commerce platform a small shop runs on its own machine.")))
        form = QFormLayout()
        self.values: dict[str, QLabel] = {}
        for label, value in about_facts(data_dir, database):
            shown = QLabel(value)
            shown.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            form.addRow(label, shown)
            self.values[label] = shown
        layout.addLayout(form)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
