"""The Platforms & stores page: both lists with a search box (read-only in this version)."""

from __future__ import annotations

from orion_desktop.qt import QLabel, QLineEdit, QTimer, QWidget
from orion_desktop.strings import tr
from orion_desktop.viewmodels.platforms import PlatformsViewModel
from orion_desktop.widgets import empty_state, page_layout, show_failure, table_view


class PlatformsPage(QWidget):
    """Shows a PlatformsViewModel."""

    def __init__(self, model: PlatformsViewModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = model
        layout = page_layout(self, tr("Platforms & stores"), tr(
            "Every platform and store of this installation. Create and edit them in the web admin for now."))
        self.search = QLineEdit()
        self.search.setPlaceholderText(tr("Search by code or name"))
        self.search.setClearButtonEnabled(True)
        layout.addWidget(self.search)
        self.platforms_title = QLabel(tr("Platforms"))
        self.platforms_title.setStyleSheet("font-weight: 600;")
        layout.addWidget(self.platforms_title)
        self.platforms = table_view(stretch=1)
        self.platforms.setModel(model.platforms)
        layout.addWidget(self.platforms, 1)
        self.stores_title = QLabel(tr("Stores"))
        self.stores_title.setStyleSheet("font-weight: 600;")
        layout.addWidget(self.stores_title)
        self.stores = table_view(stretch=1)
        self.stores.setModel(model.stores)
        layout.addWidget(self.stores, 2)
        self.empty = empty_state("")
        layout.addWidget(self.empty, 1)
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(250)
        self._debounce.timeout.connect(lambda: model.load(self.search.text()))
        self.search.textChanged.connect(lambda _text: self._debounce.start())
        model.changed.connect(self.refresh)
        model.failed.connect(lambda failure: show_failure(self, failure, tr("Platforms & stores")))
        self.refresh()

    def refresh(self) -> None:
        for view in (self.platforms, self.stores):
            view.resizeColumnsToContents()
        has_platforms = self.model.platforms.rowCount() > 0
        has_stores = self.model.stores.rowCount() > 0
        self.platforms.setVisible(has_platforms)
        self.platforms_title.setVisible(has_platforms)
        self.stores.setVisible(has_stores)
        self.stores_title.setVisible(has_stores)
        self.empty.setText(self.model.empty_text)
        self.empty.setVisible(not has_stores)
