"""The Platforms & stores page: both lists with a search box, create and edit dialogs, and the
storefront of a store one click away."""

from __future__ import annotations

from orion_desktop.dialogs import PlatformDialog, StoreDialog
from orion_desktop.qt import (
    QDesktopServices,
    QHBoxLayout,
    QHeaderView,
    QKeySequence,
    QLabel,
    QLineEdit,
    QPushButton,
    QStyle,
    QUrl,
    QWidget,
)
from orion_desktop.strings import tr
from orion_desktop.viewmodels.platforms import PlatformsViewModel
from orion_desktop.widgets import empty_state, page_layout, show_failure, table_view


class PlatformsPage(QWidget):
    """Shows a PlatformsViewModel and opens its dialogs."""

    def __init__(self, model: PlatformsViewModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = model
        self.dialog: PlatformDialog | StoreDialog | None = None
        layout = page_layout(self, tr("Platforms & stores"), tr(
            "Every platform and store of this installation. Double-click a row to edit it."))
        style = self.style()
        self.search = QLineEdit()
        self.search.setPlaceholderText(tr("Search by code, name, domain or language (Ctrl+F)"))
        self.search.setClearButtonEnabled(True)
        self.search.addAction(style.standardIcon(QStyle.StandardPixmap.SP_FileDialogContentsView),
                              QLineEdit.ActionPosition.LeadingPosition)
        layout.addWidget(self.search)

        self.platforms_title = QLabel(tr("Platforms"))
        self.new_platform = self._button(tr("New platform"), QStyle.StandardPixmap.SP_FileDialogNewFolder,
                                         "Ctrl+Shift+N", tr("Create a platform (Ctrl+Shift+N)"))
        self.edit_platform = self._button(tr("Edit"), QStyle.StandardPixmap.SP_FileDialogDetailedView, "",
                                          tr("Edit the selected platform (or double-click it)"))
        layout.addLayout(self._header(self.platforms_title, self.new_platform, self.edit_platform))
        self.platforms = table_view(stretch=1)
        self.platforms.setModel(model.platforms_view)
        self.platforms.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)  # the name
        layout.addWidget(self.platforms, 1)

        self.stores_title = QLabel(tr("Stores"))
        self.new_store = self._button(tr("New store"), QStyle.StandardPixmap.SP_FileIcon, "Ctrl+N",
                                      tr("Create a store (Ctrl+N)"))
        self.edit_store = self._button(tr("Edit"), QStyle.StandardPixmap.SP_FileDialogDetailedView, "Ctrl+E",
                                       tr("Edit the selected store (Ctrl+E, or double-click it)"))
        self.open_storefront = self._button(tr("Open storefront"), QStyle.StandardPixmap.SP_ArrowForward, "Ctrl+O",
                                            tr("Open the selected store's storefront in the browser (Ctrl+O)"))
        layout.addLayout(self._header(self.stores_title, self.new_store, self.edit_store, self.open_storefront))
        self.stores = table_view(stretch=1)
        self.stores.setModel(model.stores_view)
        self.stores.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)  # the name
        layout.addWidget(self.stores, 2)
        self.empty = empty_state("")
        layout.addWidget(self.empty, 1)
        self.notice = QLabel()
        self.notice.setWordWrap(True)
        self.notice.setStyleSheet("color: #57606a;")
        self.notice.setVisible(False)
        layout.addWidget(self.notice)

        focus_search = QPushButton(self)  # invisible: carries the Ctrl+F shortcut
        focus_search.setShortcut(QKeySequence("Ctrl+F"))
        focus_search.setFixedSize(0, 0)
        focus_search.clicked.connect(lambda: (self.search.setFocus(), self.search.selectAll()))

        self.search.textChanged.connect(model.filter)
        self.new_platform.clicked.connect(self.create_platform)
        self.edit_platform.clicked.connect(self.edit_selected_platform)
        self.new_store.clicked.connect(self.create_store)
        self.edit_store.clicked.connect(self.edit_selected_store)
        self.open_storefront.clicked.connect(self.open_selected_storefront)
        self.platforms.doubleClicked.connect(lambda index: self.edit_platform_row(index.row()))
        self.stores.doubleClicked.connect(lambda index: self.edit_store_row(index.row()))
        self.platforms.selectionModel().selectionChanged.connect(lambda *_: self._selection_changed())
        self.stores.selectionModel().selectionChanged.connect(lambda *_: self._selection_changed())
        model.changed.connect(self.refresh)
        model.failed.connect(lambda failure: show_failure(self, failure, tr("Platforms & stores")))
        self.refresh()

    def _button(self, text: str, icon: QStyle.StandardPixmap, shortcut: str, tip: str) -> QPushButton:
        button = QPushButton(self.style().standardIcon(icon), text)
        if shortcut:
            button.setShortcut(QKeySequence(shortcut))
        button.setToolTip(tip)
        return button

    @staticmethod
    def _header(title: QLabel, *buttons: QPushButton) -> QHBoxLayout:
        title.setStyleSheet("font-weight: 600; font-size: 15px;")
        row = QHBoxLayout()
        row.addWidget(title)
        row.addStretch(1)
        for button in buttons:
            row.addWidget(button)
        return row

    # -- state ------------------------------------------------------------------------------------

    def refresh(self) -> None:
        for view in (self.platforms, self.stores):
            view.resizeColumnsToContents()
        has_platforms = self.model.platforms_view.rowCount() > 0
        has_stores = self.model.stores_view.rowCount() > 0
        self.platforms.setVisible(has_platforms)
        self.stores.setVisible(has_stores)
        self.new_store.setEnabled(self.model.platforms.rowCount() > 0)
        self.empty.setText(self.model.empty_text)
        self.empty.setVisible(not has_stores)
        self._selection_changed()

    def _selection_changed(self) -> None:
        self.edit_platform.setEnabled(self.selected_platform_row() is not None)
        has_store = self.selected_store_row() is not None
        self.edit_store.setEnabled(has_store)
        self.open_storefront.setEnabled(has_store)

    def selected_platform_row(self) -> int | None:
        rows = self.platforms.selectionModel().selectedRows()
        return rows[0].row() if rows else None

    def selected_store_row(self) -> int | None:
        rows = self.stores.selectionModel().selectedRows()
        return rows[0].row() if rows else None

    # -- actions ----------------------------------------------------------------------------------

    def create_platform(self) -> None:
        self._open(PlatformDialog(self.model, parent=self))

    def edit_selected_platform(self) -> None:
        row = self.selected_platform_row()
        if row is not None:
            self.edit_platform_row(row)

    def edit_platform_row(self, view_row: int) -> None:
        platform = self.model.platform_at(view_row)
        if platform is not None:
            self._open(PlatformDialog(self.model, platform, parent=self))

    def create_store(self) -> None:
        if self.model.platforms.rowCount() == 0:
            return
        selected = self.model.platform_at(self.selected_platform_row() or 0)
        self._open(StoreDialog(self.model, parent=self, platform=selected.code if selected else ""))

    def edit_selected_store(self) -> None:
        row = self.selected_store_row()
        if row is not None:
            self.edit_store_row(row)

    def edit_store_row(self, view_row: int) -> None:
        store = self.model.store_at(view_row)
        if store is not None:
            self._open(StoreDialog(self.model, store, parent=self))

    def open_selected_storefront(self) -> str:
        """Open the selected store's storefront in the browser; returns its address."""
        row = self.selected_store_row()
        store = self.model.store_at(row) if row is not None else None
        if store is None:
            return ""
        url = self.model.storefront_url(store)
        server = self.model.server
        self.notice.setVisible(True)
        if server is not None and not server.can_stop:
            self.notice.setText(tr("The server is not running, so the storefront cannot open. "
                                   "Start it with Ctrl+R, then press “Open storefront” again."))
            return ""
        self.notice.setText(tr("Opened {url} in the browser.", url=url))
        QDesktopServices.openUrl(QUrl(url))
        return url

    def _open(self, dialog: PlatformDialog | StoreDialog) -> None:
        self.dialog = dialog
        dialog.finished.connect(lambda _result: setattr(self, "dialog", None))
        dialog.open()
