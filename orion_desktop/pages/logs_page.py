"""The Logs page: records tailed live with filters, and "Export support bundle…"."""

from __future__ import annotations

from pathlib import Path

from orion_desktop.operations import Failure
from orion_desktop.qt import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTimer,
    QVBoxLayout,
    QWidget,
)
from orion_desktop.strings import tr
from orion_desktop.viewmodels.logs import LEVELS, BundleItem, LogsViewModel
from orion_desktop.viewmodels.tables import RowsTableModel
from orion_desktop.widgets import empty_state, page_layout, show_failure, table_view

WINDOWS = (("1h", "The last hour"), ("24h", "The last 24 hours"), ("7d", "The last 7 days"))


class BundlePreviewDialog(QDialog):
    """What the support bundle will contain, before the operator chooses where to save it."""

    def __init__(self, items: list[BundleItem], window: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.window = window
        self.setWindowTitle(tr("Export support bundle"))
        self.resize(640, 360)
        layout = QVBoxLayout(self)
        intro = QLabel(tr("The bundle will contain these files. Passwords, tokens, secret keys and payment "
                          "credentials are never included."))
        intro.setWordWrap(True)
        layout.addWidget(intro)
        rows = RowsTableModel([("File", "name"), ("What it holds", "description"), ("Size", "size_text")], self)
        rows.set_rows([_ItemRow(i) for i in items])
        view = table_view()
        view.setModel(rows)
        view.resizeColumnsToContents()
        view.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        layout.addWidget(view)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)


class _ItemRow:
    def __init__(self, item: BundleItem) -> None:
        self.name, self.description, self.size_text = item.name, item.description, _size(item.size)


def _size(size: int) -> str:
    return f"{size} B" if size < 1024 else f"{size / 1024:.1f} KB"


class LogsPage(QWidget):
    """Shows a LogsViewModel."""

    def __init__(self, model: LogsViewModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = model
        layout = page_layout(self, tr("Logs"), tr(
            "What the server, the task consumer and this console recorded, newest at the bottom."))
        filters = QHBoxLayout()
        filters.addWidget(QLabel(tr("Level")))
        self.level = QComboBox()
        for level in LEVELS:
            self.level.addItem(level.title(), level)
        filters.addWidget(self.level)
        filters.addWidget(QLabel(tr("Source")))
        self.source = QComboBox()
        self.source.addItem(tr("All sources"), "")
        self.source.setMinimumWidth(160)
        filters.addWidget(self.source)
        self.text = QLineEdit()
        self.text.setPlaceholderText(tr("Search the messages"))
        self.text.setClearButtonEnabled(True)
        filters.addWidget(self.text, 1)
        self.window_choice = QComboBox()
        for value, label in WINDOWS:
            self.window_choice.addItem(tr(label), value)
        self.window_choice.setCurrentIndex(1)
        filters.addWidget(self.window_choice)
        self.export = QPushButton(tr("Export support bundle…"))
        filters.addWidget(self.export)
        layout.addLayout(filters)
        self.view = table_view()
        self.view.setModel(model.table)
        self.view.setColumnWidth(0, 160)
        self.view.setColumnWidth(1, 80)
        self.view.setColumnWidth(2, 120)
        layout.addWidget(self.view, 1)
        self.empty = empty_state(tr("No log records yet. Start the server on the Server page; what it "
                                    "records appears here as it happens."))
        layout.addWidget(self.empty, 1)
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(300)
        self._debounce.timeout.connect(lambda: model.set_filters(text=self.text.text()))
        self.text.textChanged.connect(lambda _t: self._debounce.start())
        self.level.currentIndexChanged.connect(lambda _i: model.set_filters(min_level=self.level.currentData()))
        self.source.currentIndexChanged.connect(lambda _i: model.set_filters(source=self.source.currentData() or ""))
        self.export.clicked.connect(lambda: model.preview_bundle(self.window_choice.currentData()))
        model.records_added.connect(self._records_added)
        model.table.modelReset.connect(self._show_empty)
        model.sources_changed.connect(self._fill_sources)
        model.bundle_previewed.connect(self._preview)
        model.bundle_saved.connect(self._saved)
        model.failed.connect(self._failed)
        self._show_empty()

    def _records_added(self, count: int) -> None:
        self._show_empty()
        if count:
            self.view.scrollToBottom()

    def _show_empty(self) -> None:
        has_rows = self.model.table.rowCount() > 0
        self.view.setVisible(has_rows)
        self.empty.setVisible(not has_rows)
        if not has_rows and (self.model.filters.text or self.model.filters.source or self.model.filters.min_level != "DEBUG"):
            self.empty.setText(tr("No record matches these filters. Widen them to see more."))
        elif not has_rows:
            self.empty.setText(tr("No log records yet. Start the server on the Server page; what it records "
                                  "appears here as it happens."))

    def _fill_sources(self) -> None:
        current = self.source.currentData()
        self.source.blockSignals(True)
        self.source.clear()
        self.source.addItem(tr("All sources"), "")
        for source in self.model.sources:
            self.source.addItem(source, source)
        index = self.source.findData(current)
        self.source.setCurrentIndex(max(index, 0))
        self.source.blockSignals(False)

    def _preview(self, items: list[BundleItem]) -> None:
        window = self.window_choice.currentData()
        dialog = BundlePreviewDialog(items, window, self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        from orion_server.support_bundle import bundle_name

        target, _filter = QFileDialog.getSaveFileName(self, tr("Save support bundle"), str(Path.home() / bundle_name()),
                                                      tr("Zip files (*.zip)"))
        if target:
            self.model.save_bundle(window, target)

    def _saved(self, path: str) -> None:
        from orion_desktop.qt import QMessageBox

        QMessageBox.information(self, tr("Support bundle saved"), tr("The support bundle was saved to {path}.", path=path))

    def _failed(self, failure: Failure) -> None:
        show_failure(self, failure, tr("Logs"))
