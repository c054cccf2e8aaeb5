"""The Server page: status, start/stop/restart, port and binding, storefront addresses with a QR
code of the chosen one, "Open storefront" and "Open admin" (signed in by a one-time link), output."""

from __future__ import annotations

from orion_desktop.qrcode_image import qr_pixmap
from orion_desktop.qt import (
    QButtonGroup,
    QComboBox,
    QDesktopServices,
    QFrame,
    QGuiApplication,
    QHBoxLayout,
    QKeySequence,
    QLabel,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QRadioButton,
    QSpinBox,
    Qt,
    QUrl,
    QVBoxLayout,
    QWidget,
)
from orion_desktop.server_control import ServerState
from orion_desktop.strings import tr
from orion_desktop.viewmodels.server import ServerViewModel
from orion_desktop.viewmodels.tables import RowsTableModel
from orion_desktop.widgets import empty_state, page_layout, show_failure, table_view

QR_SIZE = 168

STATE_COLOURS = {
    ServerState.READY: "#1a7f37",
    ServerState.STARTING: "#9a6700",
    ServerState.STOPPING: "#9a6700",
    ServerState.NOT_READY: "#cf222e",
    ServerState.FAILED: "#cf222e",
    ServerState.STOPPED: "#57606a",
}


class _LinkRow:
    def __init__(self, name: str, platform: str, url: str) -> None:
        self.name, self.platform, self.url = name, platform, url


def dashboards_open_on_lan() -> bool:
    """Whether the operator let other computers open the dashboards (Settings page)."""
    from orion_server.config import get_settings

    try:
        return get_settings().staff_from_lan
    except Exception:  # the page must draw even when the installation's settings are wrong
        return False


def lan_notice(dashboards_open: bool) -> str:
    """What serving the local network means, said plainly."""
    text = tr("On the local network Orion speaks plain HTTP: anyone on the network could read what "
              "passes, including a password typed at a sign-in form. ")
    if dashboards_open:
        return text + tr("You let other computers open the admin and store dashboards (Settings): staff "
                         "passwords cross the network unencrypted. Prefer a reverse proxy with HTTPS.")
    return text + tr("Other computers reach the storefronts only; the admin and store dashboards open on "
                     "this computer (Settings can change that).")


class ServerPage(QWidget):
    """Shows a ServerViewModel."""

    def __init__(self, model: ServerViewModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = model
        layout = page_layout(self, tr("Server"), tr(
            "Orion's web server runs beside this console. Shops and admins reach it in a browser."))

        card = QFrame()
        card.setObjectName("statusCard")
        card.setFrameShape(QFrame.Shape.StyledPanel)
        card_layout = QHBoxLayout(card)
        self.dot = QLabel("●")
        self.dot.setStyleSheet("font-size: 22px;")
        self.status = QLabel()
        self.status.setStyleSheet("font-size: 16px; font-weight: 600;")
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        texts = QWidget()
        texts_layout = QVBoxLayout(texts)
        texts_layout.setContentsMargins(0, 0, 0, 0)
        texts_layout.addWidget(self.status)
        texts_layout.addWidget(self.message)
        card_layout.addWidget(self.dot, 0, Qt.AlignmentFlag.AlignTop)
        card_layout.addWidget(texts, 1)
        layout.addWidget(card)

        controls = QHBoxLayout()
        self.start_button = QPushButton(tr("Start"))
        self.start_button.setToolTip(tr("Start the server (Ctrl+R)"))
        self.stop_button = QPushButton(tr("Stop"))
        self.stop_button.setToolTip(tr("Stop the server (Ctrl+.)"))
        self.restart_button = QPushButton(tr("Restart"))
        self.admin_button = QPushButton(tr("Open admin"))
        self.admin_button.setShortcut(QKeySequence("Ctrl+Shift+A"))
        self.admin_button.setToolTip(tr("Open the admin in your browser, already signed in (Ctrl+Shift+A)"))
        for button in (self.start_button, self.stop_button, self.restart_button, self.admin_button):
            controls.addWidget(button)
        controls.addSpacing(24)
        controls.addWidget(QLabel(tr("Port")))
        self.port = QSpinBox()
        self.port.setRange(1024, 65535)
        self.port.setValue(model.port)
        controls.addWidget(self.port)
        controls.addSpacing(24)
        self.local = QRadioButton(tr("This computer only"))
        self.lan = QRadioButton(tr("Local network"))
        self.lan.setToolTip(tr("Phones and other computers on your network can open the shop."))
        group = QButtonGroup(self)
        group.addButton(self.local)
        group.addButton(self.lan)
        (self.lan if model.on_lan else self.local).setChecked(True)
        controls.addWidget(self.local)
        controls.addWidget(self.lan)
        controls.addStretch(1)
        layout.addLayout(controls)
        self.lan_notice = QLabel()
        self.lan_notice.setWordWrap(True)
        self.lan_notice.setStyleSheet(
            "background: #fff8c5; color: #3b2300; border: 1px solid #d4a72c; border-radius: 6px; padding: 8px;"
        )
        layout.addWidget(self.lan_notice)

        layout.addWidget(self._section(tr("Storefronts")))
        self.links = RowsTableModel([("Store", "name"), ("Platform", "platform"), ("Address", "url")], self)
        self.links_view = table_view(stretch=2)
        self.links_view.setModel(self.links)
        self.links_view.doubleClicked.connect(self._open_link)
        self.links_view.setToolTip(tr("Double-click an address to open it in your browser."))
        self.no_links = empty_state(tr("No store yet. Create one on the “Platforms & stores” page; "
                                       "its address appears here."))
        storefronts = QHBoxLayout()
        addresses = QVBoxLayout()
        addresses.addWidget(self.links_view, 1)
        addresses.addWidget(self.no_links, 1)
        storefronts.addLayout(addresses, 1)
        storefronts.addWidget(self._share_card())
        layout.addLayout(storefronts, 1)

        self.work_title = self._section(tr("Background work"))
        layout.addWidget(self.work_title)
        self.work_box = QWidget()
        self.work_rows = QVBoxLayout(self.work_box)
        self.work_rows.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.work_box)

        layout.addWidget(self._section(tr("Server output")))
        self.output = QPlainTextEdit()
        self.output.setReadOnly(True)
        self.output.setMaximumBlockCount(500)
        self.output.setPlaceholderText(tr("What the server writes appears here once it runs."))
        self.output.setStyleSheet("font-family: monospace;")
        layout.addWidget(self.output, 1)

        self.start_button.clicked.connect(model.start)
        self.stop_button.clicked.connect(model.stop)
        self.restart_button.clicked.connect(model.restart)
        self.port.valueChanged.connect(model.set_port)
        self.lan.toggled.connect(model.set_on_lan)
        model.changed.connect(self.refresh)
        model.storefronts_changed.connect(self.refresh_links)
        model.work_changed.connect(self.refresh_work)
        model.controller.output_received.connect(self.output.appendPlainText)
        self.admin_button.clicked.connect(model.open_admin)
        self.picker.currentIndexChanged.connect(model.choose)
        self.copy_button.clicked.connect(self.copy_link)
        self.open_button.clicked.connect(model.open_storefront)
        model.chosen_changed.connect(self.refresh_share)
        model.admin_failed.connect(lambda failure: show_failure(self, failure, tr("Open admin")))
        self.refresh()
        self.refresh_links()
        self.refresh_work()

    def _share_card(self) -> QFrame:
        """The chosen storefront: picker, QR code, address, Copy link and Open storefront."""
        card = QFrame()
        card.setObjectName("shareCard")
        card.setFrameShape(QFrame.Shape.StyledPanel)
        card.setFixedWidth(QR_SIZE + 90)
        column = QVBoxLayout(card)
        # The card never gets less height than its contents need (else the address overlaps the code).
        column.setSizeConstraint(QVBoxLayout.SizeConstraint.SetMinimumSize)
        self.picker = QComboBox()
        self.picker.setToolTip(tr("The storefront shown as a QR code"))
        column.addWidget(self.picker)
        self.qr = QLabel()
        self.qr.setObjectName("qrCode")
        self.qr.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.qr.setFixedSize(QR_SIZE + 8, QR_SIZE + 8)  # the code never shrinks under its address
        self.qr.setToolTip(tr("Scan with a phone's camera to open the shop."))
        column.addWidget(self.qr, 0, Qt.AlignmentFlag.AlignHCenter)
        self.share_url = QLabel()
        self.share_url.setWordWrap(True)
        self.share_url.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.share_url.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.share_url.setStyleSheet("font-family: monospace; font-size: 11px;")
        column.addWidget(self.share_url)
        self.share_hint = QLabel()
        self.share_hint.setWordWrap(True)
        self.share_hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.share_hint.setStyleSheet("color: #57606a; font-size: 11px;")
        column.addWidget(self.share_hint)
        buttons = QHBoxLayout()
        self.copy_button = QPushButton(tr("Copy link"))
        self.copy_button.setShortcut(QKeySequence("Ctrl+Shift+C"))
        self.copy_button.setToolTip(tr("Copy the address above (Ctrl+Shift+C)"))
        self.open_button = QPushButton(tr("Open storefront"))
        self.open_button.setShortcut(QKeySequence("Ctrl+Shift+O"))
        self.open_button.setToolTip(tr("Open the chosen storefront in your browser (Ctrl+Shift+O)"))
        buttons.addWidget(self.copy_button)
        buttons.addWidget(self.open_button)
        column.addLayout(buttons)
        column.addStretch(1)
        self.share_card = card
        return card

    @staticmethod
    def _section(text: str) -> QLabel:
        label = QLabel(text)
        label.setStyleSheet("font-weight: 600; margin-top: 8px;")
        return label

    def refresh(self) -> None:
        model = self.model
        self.status.setText(model.status_title)
        self.dot.setStyleSheet(f"font-size: 22px; color: {STATE_COLOURS[model.state]};")
        self.message.setText(model.message)
        self.start_button.setEnabled(model.can_start)
        self.stop_button.setEnabled(model.can_stop)
        self.restart_button.setEnabled(model.can_stop)
        self.port.setEnabled(model.can_start)
        self.local.setEnabled(model.can_start)
        self.lan.setEnabled(model.can_start)
        self.admin_button.setEnabled(model.state in (ServerState.READY, ServerState.NOT_READY))
        self.lan_notice.setVisible(model.on_lan)
        self.lan_notice.setText(lan_notice(dashboards_open_on_lan()))
        if self.port.value() != model.port:
            self.port.setValue(model.port)

    def refresh_links(self) -> None:
        rows = [_LinkRow(link.name, link.platform, url) for link in self.model.storefront_links() for url in link.urls]
        self.links.set_rows(rows)
        self.links_view.resizeColumnsToContents()
        self.links_view.setVisible(bool(rows))
        self.no_links.setVisible(not rows)
        names = [link.name for link in self.model.storefront_links()]
        if names != [self.picker.itemText(i) for i in range(self.picker.count())]:
            self.picker.blockSignals(True)
            self.picker.clear()
            self.picker.addItems(names)
            self.picker.blockSignals(False)
        self.picker.setCurrentIndex(self.model.chosen if names else -1)
        self.refresh_share()

    def refresh_work(self) -> None:
        """One line and a progress bar per piece of background work; the section shows only
        while there is some (a catalogue import, say)."""
        while self.work_rows.count():
            item = self.work_rows.takeAt(0)
            if item.widget() is not None:
                item.widget().deleteLater()
        for work in self.model.work:
            row = QWidget()
            line = QHBoxLayout(row)
            line.setContentsMargins(0, 0, 0, 0)
            text = QLabel(tr("{store}: {title} ({state})", store=work.store, title=work.title, state=work.state))
            text.setObjectName("workText")
            bar = QProgressBar()
            bar.setObjectName("workBar")
            bar.setRange(0, max(work.total, 1))
            bar.setValue(min(work.done, max(work.total, 1)))
            bar.setFormat(tr("{done} of {total} rows", done=f"{work.done:,}", total=f"{work.total:,}")
                          if work.total else tr("waiting"))
            bar.setMinimumWidth(260)
            bar.setMaximumWidth(360)
            line.addWidget(text, 1)
            line.addWidget(bar)
            self.work_rows.addWidget(row)
        self.work_title.setVisible(bool(self.model.work))
        self.work_box.setVisible(bool(self.model.work))

    def refresh_share(self) -> None:
        """Draw the QR code and address of the chosen storefront."""
        url = self.model.share_url()
        self.share_card.setVisible(url is not None)
        if url is None:
            self.qr.clear()
            return
        if self.picker.currentIndex() != self.model.chosen:
            self.picker.setCurrentIndex(self.model.chosen)
        self.qr.setPixmap(qr_pixmap(url, QR_SIZE, self.devicePixelRatioF()))
        self.share_url.setText(url)
        if self.model.shared_on_lan:
            self.share_hint.setText(tr("Phones on your network open the shop by scanning this code."))
        else:
            self.share_hint.setText(tr("This address works on this computer only. Choose “Local network” "
                                       "before starting so phones can open the shop."))

    def copy_link(self) -> None:
        """Put the chosen storefront's address on the clipboard."""
        url = self.model.share_url()
        if url:
            QGuiApplication.clipboard().setText(url)

    def _open_link(self, index) -> None:
        QDesktopServices.openUrl(QUrl(self.links.rows[index.row()].url))
