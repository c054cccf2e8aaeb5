"""The Database page: the connection, migration branches with Upgrade, and backups."""

from __future__ import annotations

from pathlib import Path

from orion_desktop.qt import (
    QCheckBox,
    QDesktopServices,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QSpinBox,
    Qt,
    QUrl,
    QVBoxLayout,
    QWidget,
)
from orion_desktop.strings import tr
from orion_desktop.viewmodels.database import DatabaseViewModel
from orion_desktop.widgets import empty_state, page_layout, show_failure, table_view


def ask_with_dialog(parent: QWidget):
    """An ask callback (title, question) -> bool that asks with a modal dialog."""

    def ask(title: str, question: str) -> bool:
        answer = QMessageBox.question(
            parent, title, question,
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        return answer == QMessageBox.StandardButton.Yes

    return ask


def _stretch_first(view) -> None:
    """The first column (names) takes the spare width; the others fit their content."""
    header = view.horizontalHeader()
    header.setStretchLastSection(False)
    header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)


class DatabasePage(QWidget):
    """Shows a DatabaseViewModel."""

    def __init__(self, model: DatabaseViewModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = model
        layout = page_layout(self, tr("Database"), tr(
            "The database Orion uses, whether its tables match this version of Orion and its modules, "
            "and its backups."))

        self.connection = QLabel()
        self.connection.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.connection.setWordWrap(True)
        layout.addWidget(self.connection)

        # -- migrations
        migrations = QGroupBox(tr("Migrations"))
        column = QVBoxLayout(migrations)
        row = QHBoxLayout()
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        row.addWidget(self.summary, 1)
        self.upgrade_button = QPushButton(tr("Upgrade"))
        self.upgrade_button.setToolTip(tr("Makes a backup, then applies the pending migrations."))
        row.addWidget(self.upgrade_button)
        column.addLayout(row)
        self.migrations_view = table_view()
        self.migrations_view.setModel(model.migrations)
        _stretch_first(self.migrations_view)
        column.addWidget(self.migrations_view, 1)
        self.migrations_empty = empty_state(tr(
            "The migration state could not be read. Check that the database is reachable, then reopen this page."))
        column.addWidget(self.migrations_empty, 1)
        layout.addWidget(migrations, 1)

        # -- progress of the action running
        progress_row = QHBoxLayout()
        self.progress = QProgressBar()
        self.progress.setRange(0, 100)
        self.progress.setMaximumWidth(260)
        progress_row.addWidget(self.progress)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        progress_row.addWidget(self.status, 1)
        layout.addLayout(progress_row)

        # -- backups
        backups = QGroupBox(tr("Backups"))
        column = QVBoxLayout(backups)
        buttons = QHBoxLayout()
        self.create_button = QPushButton(tr("Create now"))
        self.restore_button = QPushButton(tr("Restore…"))
        self.folder_button = QPushButton(tr("Open folder"))
        for button in (self.create_button, self.restore_button, self.folder_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        self.auto = QCheckBox(tr("Back up every day"))
        buttons.addWidget(self.auto)
        buttons.addWidget(QLabel(tr("Keep")))
        self.retention = QSpinBox()
        self.retention.setRange(1, 365)
        self.retention.setSuffix(tr(" daily backups"))
        buttons.addWidget(self.retention)
        column.addLayout(buttons)
        self.backups_view = table_view()
        self.backups_view.setModel(model.backups)
        _stretch_first(self.backups_view)
        column.addWidget(self.backups_view, 1)
        self.backups_empty = empty_state(model.backups_empty_text)
        column.addWidget(self.backups_empty, 1)
        layout.addWidget(backups, 1)

        self.upgrade_button.clicked.connect(model.upgrade)
        self.create_button.clicked.connect(model.create_backup)
        self.restore_button.clicked.connect(self._restore_selected)
        self.folder_button.clicked.connect(self._open_folder)
        self.auto.toggled.connect(self._auto_changed)
        self.retention.editingFinished.connect(self._auto_changed)
        self.backups_view.selectionModel().selectionChanged.connect(lambda *_: self._enable())
        self.backups_view.doubleClicked.connect(lambda _index: self._restore_selected())
        model.changed.connect(self._show)
        model.busy_changed.connect(lambda _busy: self._enable())
        model.progressed.connect(self._progressed)
        model.status_changed.connect(self.status.setText)
        model.failed.connect(lambda failure: show_failure(self, failure, tr("Database")))
        self._show()

    def showEvent(self, event) -> None:  # noqa: N802 - Qt's name
        """Read the state again each time the page is opened (another tool may have changed it)."""
        super().showEvent(event)
        if self.model.snapshot is not None and not self.model.busy:
            self.model.load()

    def _show(self) -> None:
        model = self.model
        snapshot = model.snapshot
        if snapshot is not None:
            self.connection.setText(tr("Connection: {kind} — {database}", kind=snapshot.kind,
                                       database=snapshot.database))
        elif model.load_failure is not None:
            self.connection.setText(model.load_failure.message)
        else:
            self.connection.setText(tr("Reading the database state…"))
        self.summary.setText(model.migrations_summary)
        has_branches = model.migrations.rowCount() > 0
        self.migrations_view.setVisible(has_branches or snapshot is None and model.load_failure is None)
        self.migrations_empty.setVisible(not has_branches and model.load_failure is not None)
        for column in (1, 2, 3):
            self.migrations_view.resizeColumnToContents(column)
            self.backups_view.resizeColumnToContents(column)
        has_backups = model.backups.rowCount() > 0
        self.backups_view.setVisible(has_backups)
        self.backups_empty.setVisible(not has_backups)
        self.auto.blockSignals(True)
        self.auto.setChecked(model.auto_enabled)
        self.auto.blockSignals(False)
        self.retention.blockSignals(True)
        self.retention.setValue(model.retention)
        self.retention.blockSignals(False)
        if snapshot is not None:
            self.folder_button.setToolTip(snapshot.folder)
        self._enable()

    def _enable(self) -> None:
        model = self.model
        ready = model.snapshot is not None and not model.busy
        self.upgrade_button.setEnabled(model.can_upgrade)
        self.create_button.setEnabled(ready)
        self.restore_button.setEnabled(ready and self._selected() is not None)
        self.folder_button.setEnabled(model.snapshot is not None)
        self.auto.setEnabled(model.snapshot is not None)
        self.retention.setEnabled(model.snapshot is not None and self.auto.isChecked())
        self.progress.setVisible(model.busy)

    def _progressed(self, percent: int, text: str) -> None:
        if percent < 0:
            self.progress.setRange(0, 0)
        else:
            self.progress.setRange(0, 100)
            self.progress.setValue(percent)
        if text:
            self.status.setText(text + "…" if not text.endswith(("…", ".")) else text)

    def _selected(self):
        rows = self.backups_view.selectionModel().selectedRows()
        return self.model.backups.backup_at(rows[0].row()) if rows else None

    def _restore_selected(self) -> None:
        backup = self._selected()
        if backup is not None:
            self.model.restore(backup)

    def _open_folder(self) -> None:
        if self.model.snapshot is None:
            return
        folder = Path(self.model.snapshot.folder)
        folder.mkdir(parents=True, exist_ok=True)
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder)))

    def _auto_changed(self, *_args) -> None:
        self.retention.setEnabled(self.auto.isChecked())
        if (self.auto.isChecked(), self.retention.value()) != (self.model.auto_enabled, self.model.retention):
            self.model.set_auto(self.auto.isChecked(), self.retention.value())
