"""The Server page: status, start/stop/restart, port and binding, storefront addresses, output."""

from __future__ import annotations

from orion_desktop.qt import (
    QButtonGroup,
    QDesktopServices,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QSpinBox,
    Qt,
    QUrl,
    QWidget,
)
from orion_desktop.server_control import ServerState
from orion_desktop.strings import tr
from orion_desktop.viewmodels.server import ServerViewModel
from orion_desktop.viewmodels.tables import RowsTableModel
from orion_desktop.widgets import empty_state, page_layout, table_view

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
        from orion_desktop.qt import QVBoxLayout

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
        for button in (self.start_button, self.stop_button, self.restart_button):
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

        layout.addWidget(self._section(tr("Storefronts")))
        self.links = RowsTableModel([("Store", "name"), ("Platform", "platform"), ("Address", "url")], self)
        self.links_view = table_view(stretch=2)
        self.links_view.setModel(self.links)
        self.links_view.doubleClicked.connect(self._open_link)
        self.links_view.setToolTip(tr("Double-click an address to open it in your browser."))
        self.no_links = empty_state(tr("No store yet. Create one with `orion stores create CODE --name NAME`, "
                                       "then its address appears here."))
        layout.addWidget(self.links_view, 1)
        layout.addWidget(self.no_links, 1)

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
        model.controller.output_received.connect(self.output.appendPlainText)
        self.refresh()
        self.refresh_links()

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

    def refresh_links(self) -> None:
        rows = [_LinkRow(link.name, link.platform, url) for link in self.model.storefront_links() for url in link.urls]
        self.links.set_rows(rows)
        self.links_view.resizeColumnsToContents()
        self.links_view.setVisible(bool(rows))
        self.no_links.setVisible(not rows)

    def _open_link(self, index) -> None:
        QDesktopServices.openUrl(QUrl(self.links.rows[index.row()].url))
