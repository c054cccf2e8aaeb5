"""Orion's icons (drawn at every size, so they stay sharp on high-DPI screens) and the tray icon.

The tray shows the server state where the desktop has a tray. Closing the window while the
server runs then hides it to the tray (said once); quitting (tray menu or Ctrl+Q) still asks
whether to stop the server.
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING

from orion_desktop.qt import (
    QAction,
    QApplication,
    QColor,
    QIcon,
    QKeySequence,
    QLinearGradient,
    QMenu,
    QObject,
    QPainter,
    QPixmap,
    QPointF,
    QRectF,
    QSystemTrayIcon,
    Qt,
    Signal,
)
from orion_desktop.server_control import ServerState
from orion_desktop.strings import tr

if TYPE_CHECKING:
    from orion_desktop.main_window import MainWindow

ICON_SIZES = (16, 20, 24, 32, 40, 48, 64, 96, 128, 256)
STATE_COLOURS = {
    ServerState.READY: "#2da44e",
    ServerState.STARTING: "#d4a72c",
    ServerState.STOPPING: "#d4a72c",
    ServerState.NOT_READY: "#cf222e",
    ServerState.FAILED: "#cf222e",
    ServerState.STOPPED: "#8c959f",
}
# The three stars of Orion's belt, in a 1×1 square.
_BELT = ((0.30, 0.64), (0.50, 0.50), (0.70, 0.36))


def _draw_logo(painter: QPainter, side: float) -> None:
    gradient = QLinearGradient(QPointF(0, 0), QPointF(side, side))
    gradient.setColorAt(0.0, QColor("#3b4cca"))
    gradient.setColorAt(1.0, QColor("#151d5c"))
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(gradient)
    radius = side * 0.22
    painter.drawRoundedRect(QRectF(side * 0.04, side * 0.04, side * 0.92, side * 0.92), radius, radius)
    painter.setBrush(QColor("#ffffff"))
    for index, (x, y) in enumerate(_BELT):
        r = side * (0.085 if index == 1 else 0.07)
        painter.drawEllipse(QPointF(x * side, y * side), r, r)


def _pixmap(size: int, state: ServerState | None) -> QPixmap:
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    _draw_logo(painter, size)
    if state is not None:
        r = size * 0.2
        centre = QPointF(size - r - size * 0.02, size - r - size * 0.02)
        painter.setBrush(QColor("#ffffff"))
        painter.drawEllipse(centre, r + max(1.0, size * 0.04), r + max(1.0, size * 0.04))
        painter.setBrush(QColor(STATE_COLOURS[state]))
        painter.drawEllipse(centre, r, r)
    painter.end()
    return pixmap


@cache
def app_icon() -> QIcon:
    """Orion's application icon, drawn at every common size."""
    icon = QIcon()
    for size in ICON_SIZES:
        icon.addPixmap(_pixmap(size, None))
    return icon


@cache
def state_icon(state: ServerState) -> QIcon:
    """The application icon with a dot in the colour of the server state."""
    icon = QIcon()
    for size in ICON_SIZES:
        icon.addPixmap(_pixmap(size, ServerState(state)))
    return icon


def tray_available() -> bool:
    """Whether this desktop has a system tray (offscreen and some Wayland desktops have none)."""
    return QSystemTrayIcon.isSystemTrayAvailable()


class ConsoleTray(QObject):
    """The tray icon and menu of a main window, and its Quit action (Ctrl+Q, also without a tray)."""

    minimised = Signal()

    def __init__(self, window: MainWindow, *, available: bool | None = None) -> None:
        super().__init__(window)
        self.window = window
        self.available = tray_available() if available is None else available
        self.told = False
        self._quitting = False
        self.state: ServerState = window.server.state
        self.quit_action = QAction(tr("Quit Orion"), window)
        self.quit_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Quit))
        if self.quit_action.shortcut().isEmpty():
            self.quit_action.setShortcut(QKeySequence("Ctrl+Q"))
        self.quit_action.setShortcutContext(Qt.ShortcutContext.ApplicationShortcut)
        self.quit_action.triggered.connect(self.quit)
        window.addAction(self.quit_action)
        self.quit_app = QApplication.quit  # tests replace it: they own the event loop
        self.icon: QSystemTrayIcon | None = None
        self.menu: QMenu | None = None
        if self.available:
            self._build()
        window.server.changed.connect(self.refresh)
        self.refresh()

    def _build(self) -> None:
        server = self.window.server
        self.menu = QMenu()
        self.open_action = self.menu.addAction(tr("Open console"), self.window.bring_forward)
        self.menu.addSeparator()
        self.start_action = self.menu.addAction(tr("Start server"), server.start)
        self.stop_action = self.menu.addAction(tr("Stop server"), server.stop)
        self.menu.addSeparator()
        self.menu.addAction(self.quit_action)
        self.icon = QSystemTrayIcon(state_icon(self.state), self)
        self.icon.setContextMenu(self.menu)
        self.icon.activated.connect(self._activated)
        self.icon.show()

    def refresh(self) -> None:
        """Follow the server: icon, tooltip and which menu entries apply."""
        server = self.window.server
        self.state = server.state
        if self.icon is None:
            return
        self.icon.setIcon(state_icon(self.state))
        self.icon.setToolTip(tr("Orion — server: {state}", state=server.status_title))
        self.start_action.setEnabled(server.can_start)
        self.stop_action.setEnabled(server.can_stop)

    def _activated(self, reason: QSystemTrayIcon.ActivationReason) -> None:
        if reason in (QSystemTrayIcon.ActivationReason.Trigger, QSystemTrayIcon.ActivationReason.DoubleClick):
            if self.window.isVisible() and not self.window.isMinimized():
                self.window.hide()
            else:
                self.window.bring_forward()

    def intercept_close(self, event) -> bool:
        """Hide to the tray instead of closing while the server runs; True when it did."""
        if self._quitting or self.icon is None or not self.window.server.can_stop:
            return False
        event.ignore()
        self.window.hide()
        if not self.told:
            self.told = True
            self.icon.showMessage(
                tr("Orion is still running"),
                tr("The server keeps running. Open the console from the Orion icon in the tray; "
                   "choose Quit there to stop."),
                QSystemTrayIcon.MessageIcon.Information, 8000)
        self.window.statusBar().showMessage(tr("The console was hidden in the tray; the server kept running."), 15000)
        self.minimised.emit()
        return True

    def quit(self) -> None:
        """Quit the console (the window asks whether to stop a running server)."""
        self._quitting = True
        try:
            closed = self.window.close()
        finally:
            self._quitting = False
        if closed:
            if self.icon is not None:
                self.icon.hide()
            self.quit_app()
