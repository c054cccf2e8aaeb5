"""One console at a time: a second launch asks the first to come forward, then exits.

Who is first is decided by an exclusive lock file in the data folder (``QLockFile``: created
atomically, and a lock left by a crashed console is recognised as stale by its process id).
The data folder is private to the user, so another local account can neither take the lock
nor make a console believe one is running; the local socket only carries the "come forward"
knock, and only this user may connect to it."""

from __future__ import annotations

import getpass
import hashlib
from pathlib import Path

from orion_desktop.qt import QLocalServer, QLocalSocket, QLockFile, QObject, Signal

SHOW = b"show"


def instance_name(data_dir: str) -> str:
    """The local socket name for this user and data folder."""
    digest = hashlib.sha256(f"{getpass.getuser()}:{data_dir}".encode()).hexdigest()[:16]
    return f"orion-console-{digest}"


class SingleInstance(QObject):
    """Listens for later launches; ``activation_requested`` fires when one knocks."""

    activation_requested = Signal()

    def __init__(self, name: str, lock_path: Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.name = name
        self.server: QLocalServer | None = None
        lock_path.parent.mkdir(parents=True, exist_ok=True)
        self.lock = QLockFile(str(lock_path))
        self.lock.setStaleLockTime(0)  # stale only when its process is gone, however long it ran

    def acquire(self) -> bool:
        """Become the running console: True unless another holds the lock (atomic, no race
        between two launches at the same moment)."""
        return self.lock.tryLock(0)

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
        """Take knocks from later launches (after ``acquire``; a socket left by a crash is
        removed, which is safe since the lock says no console runs)."""
        QLocalServer.removeServer(self.name)
        self.server = QLocalServer(self)
        self.server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
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
        """Stop listening and let the next console start (the server object stays until this
        object is deleted)."""
        if self.server is not None:
            self.server.close()
        self.lock.unlock()
