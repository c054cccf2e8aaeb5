"""Small widgets shared by the pages: headers, empty states, error messages with details."""

from __future__ import annotations

from orion_desktop.operations import Failure
from orion_desktop.qt import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QMessageBox,
    Qt,
    QTableView,
    QVBoxLayout,
    QWidget,
)
from orion_desktop.strings import tr

SPACING = 12
MARGIN = 24


def page_layout(page: QWidget, title: str, subtitle: str = "") -> QVBoxLayout:
    """A page's layout with its title and a one-line explanation."""
    layout = QVBoxLayout(page)
    layout.setContentsMargins(MARGIN, MARGIN, MARGIN, MARGIN)
    layout.setSpacing(SPACING)
    heading = QLabel(title)
    heading.setObjectName("pageTitle")
    heading.setStyleSheet("font-size: 20px; font-weight: 600;")
    layout.addWidget(heading)
    if subtitle:
        explanation = QLabel(subtitle)
        explanation.setWordWrap(True)
        explanation.setStyleSheet("color: #57606a;")
        layout.addWidget(explanation)
    return layout


def empty_state(text: str) -> QLabel:
    """A centred sentence saying what to do next."""
    label = QLabel(text)
    label.setObjectName("emptyState")
    label.setWordWrap(True)
    label.setAlignment(Qt.AlignmentFlag.AlignCenter)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.setStyleSheet("color: #57606a; font-size: 14px; padding: 32px;")
    return label


def table_view(parent: QWidget | None = None, *, stretch: int | None = None) -> QTableView:
    """A read-only, row-selecting table; column ``stretch`` (else the last) takes the spare width."""
    view = QTableView(parent)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setAlternatingRowColors(True)
    view.verticalHeader().setVisible(False)
    view.horizontalHeader().setStretchLastSection(True)
    view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    view.setWordWrap(False)
    if stretch is not None:
        header = view.horizontalHeader()
        header.setStretchLastSection(False)

        def stretch_column(*_counts: int) -> None:
            # A section's mode only sticks once the model has given the header that section.
            if header.count() > stretch:
                header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)

        header.sectionCountChanged.connect(stretch_column)
        stretch_column()
    return view


def show_failure(parent: QWidget | None, failure: Failure, title: str = "") -> None:
    """The failure's sentence, with its details behind the "Show Details…" button."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle(title or tr("Orion"))
    box.setText(failure.message)
    if failure.details:
        box.setDetailedText(failure.details)
    box.open()
