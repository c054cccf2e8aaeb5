"""One console at a time: a second launch asks the first to come forward, then exits."""

from __future__ import annotations

import getpass
import hashlib

from orion_desktop.qt import QLocalServer, QLocalSocket, QObject, Signal

SHOW = b"show"


def instance_name(data_dir: str) -> str:
    """The local socket name for this user and data folder."""
    digest = hashlib.sha256(f"{getpass.getuser()}:{data_dir}".encode()).hexdigest()[:16]
    return f"orion-console-{digest}"


class SingleInstance(QObject):
    """Listens for later launches; ``activation_requested`` fires when one knocks."""

    activation_requested = Signal()

    def __init__(self, name: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.name = name
        self.server: QLocalServer | None = None

    def notify_running(self, timeout_ms: int = 500) -> bool:
        """True when another console runs (it was asked to come forward)."""
        socket = QLocalSocket()
        socket.connectToServer(self.name)
        if not socket.waitForConnected(timeout_ms):
            return False
        socket.write(SHOW)
        socket.flush()
        socket.waitForBytesWritten(timeout_ms)
        socket.disconnectFromServer()
        return True

    def listen(self) -> bool:
        """Become the running console (removing a stale socket left by a crash)."""
        QLocalServer.removeServer(self.name)
        self.server = QLocalServer(self)
        self.server.newConnection.connect(self._knock)
        return self.server.listen(self.name)

    def _knock(self) -> None:
        assert self.server is not None
        while self.server.hasPendingConnections():
            connection = self.server.nextPendingConnection()
            # The connection is a child of the server and goes with it; deleting it on
            # "disconnected" races with the server's own teardown.
            connection.readyRead.connect(lambda c=connection: self._read(c))
            if connection.bytesAvailable():
                self._read(connection)

    def _read(self, connection: QLocalSocket) -> None:
        if SHOW in bytes(connection.readAll().data()):
            self.activation_requested.emit()

    def close(self) -> None:
        """Stop listening (the server object stays until this object is deleted)."""
        if self.server is not None:
            self.server.close()
