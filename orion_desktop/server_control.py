"""Running ``orion serve`` as a child process: start, stop, restart, health and crash limits.

The state shown to the operator comes from polling ``/health/ready``, not from the process
being alive. A crash is restarted at most ``MAX_RESTARTS`` times within ``RESTART_WINDOW``
seconds; then the console stops trying and says why, with the last lines of the output.
"""

from __future__ import annotations

import logging
import os
import sys
import time
from collections import deque
from enum import StrEnum

from orion_desktop.qt import (
    QAbstractSocket,
    QNetworkAccessManager,
    QNetworkInterface,
    QNetworkReply,
    QNetworkRequest,
    QObject,
    QProcess,
    QProcessEnvironment,
    QTimer,
    QUrl,
    Signal,
)
from orion_desktop.strings import tr
from orion_server.server import PARENT_PID_ENV

logger = logging.getLogger(__name__)

LOCAL_HOST = "127.0.0.1"
LAN_HOST = "0.0.0.0"
DEFAULT_PORT = 8000
MAX_RESTARTS = 4
RESTART_WINDOW = 60.0
OUTPUT_LINES = 200


class ServerState(StrEnum):
    """What the operator is told about the server."""

    STOPPED = "stopped"
    STARTING = "starting"
    READY = "ready"
    NOT_READY = "not_ready"
    STOPPING = "stopping"
    FAILED = "failed"


def server_command(host: str, port: int) -> list[str]:
    """The program and arguments that run ``orion serve`` (also inside a frozen bundle)."""
    if getattr(sys, "frozen", False):
        return [sys.executable, "serve", "--host", host, "--port", str(port)]
    return [sys.executable, "-m", "orion_server", "serve", "--host", host, "--port", str(port)]


def port_message(host: str, port: int) -> str | None:
    """A sentence naming the port when the server cannot listen there, else None."""
    from orion_server.server import port_problem

    problem = port_problem(host, port)
    if problem is None:
        return None
    where = tr("this computer") if host == LOCAL_HOST else tr("the network")
    if "already in use" in problem:
        from orion_server.ports import port_holder

        if holder := port_holder(port):
            return tr(
                "Port {port} is already in use on {where} by {holder}. Choose another port, or stop "
                "that program.",
                port=port,
                where=where,
                holder=holder,
            )
        return tr(
            "Port {port} is already in use on {where}. Choose another port, or stop the program "
            "that uses it.",
            port=port,
            where=where,
        )
    if "permission" in problem:
        return tr("Orion may not use port {port} here. Choose a port above 1024.", port=port)
    return tr("Orion cannot use port {port}: {problem}.", port=port, problem=problem)


def lan_addresses() -> list[str]:
    """This computer's IPv4 addresses on the local network (loopback excluded)."""
    found = []
    for address in QNetworkInterface.allAddresses():
        if address.protocol() != QAbstractSocket.NetworkLayerProtocol.IPv4Protocol:
            continue
        if address.isLoopback() or address.isLinkLocal():
            continue
        found.append(address.toString())
    return sorted(set(found))


class ServerController(QObject):
    """One ``orion serve`` child process and what is known about it."""

    state_changed = Signal(str)
    message_changed = Signal(str)
    output_received = Signal(str)

    def __init__(
        self,
        parent: QObject | None = None,
        *,
        poll_ms: int = 500,
        restart_delay_ms: int = 500,
        max_restarts: int = MAX_RESTARTS,
        restart_window: float = RESTART_WINDOW,
    ) -> None:
        super().__init__(parent)
        self.host = LOCAL_HOST
        self.port = DEFAULT_PORT
        self.state = ServerState.STOPPED
        self.message = tr("The server is stopped. Press Start to run it.")
        self.output: deque[str] = deque(maxlen=OUTPUT_LINES)
        self.max_restarts = max_restarts
        self.restart_window = restart_window
        self.restart_delay_ms = restart_delay_ms
        self.restarts: deque[float] = deque()
        self.process: QProcess | None = None
        self._stopping = False
        self._was_ready = False
        self._pending_restart = False
        self._partial = ""
        self._network = QNetworkAccessManager(self)
        self._poll = QTimer(self)
        self._poll.setInterval(poll_ms)
        self._poll.timeout.connect(self._check_health)
        self._health_reply: QNetworkReply | None = None

    # -- what the operator asks for ------------------------------------------------------------

    @property
    def running(self) -> bool:
        """Whether a server process exists (whatever its health)."""
        return self.process is not None and self.process.state() != QProcess.ProcessState.NotRunning

    @property
    def base_url(self) -> str:
        """Where this computer reaches the server."""
        return f"http://{LOCAL_HOST}:{self.port}"

    def configure(self, *, host: str | None = None, port: int | None = None) -> None:
        """Choose where the next start listens."""
        if host is not None:
            self.host = host
        if port is not None:
            self.port = port

    def start(self) -> bool:
        """Start the server; False (and a message naming the port) when it cannot."""
        if self.running:
            return True
        self.restarts.clear()
        if problem := port_message(self.host, self.port):
            self._set(ServerState.FAILED, problem)
            return False
        self._launch()
        return True

    def stop(self, timeout_ms: int = 10_000) -> None:
        """Stop the server and wait for it to end."""
        self._pending_restart = False
        if not self.running:
            self._poll.stop()
            if self.state != ServerState.FAILED:
                self._set(ServerState.STOPPED, tr("The server is stopped. Press Start to run it."))
            return
        self._stopping = True
        self._set(ServerState.STOPPING, tr("Stopping the server…"))
        assert self.process is not None
        self.process.terminate()
        if not self.process.waitForFinished(timeout_ms):
            self.process.kill()
            self.process.waitForFinished(2000)

    def restart(self) -> None:
        """Stop the server when it runs, then start it again."""
        self.stop()
        self.start()

    def last_output(self, lines: int = 10) -> list[str]:
        """The last lines the server wrote."""
        return list(self.output)[-lines:]

    # -- the child process -----------------------------------------------------------------------

    def _launch(self) -> None:
        program, *arguments = server_command(self.host, self.port)
        process = QProcess(self)
        process.setProcessChannelMode(QProcess.ProcessChannelMode.MergedChannels)
        environment = QProcessEnvironment.systemEnvironment()
        environment.insert(PARENT_PID_ENV, str(os.getpid()))  # the server ends with the console
        process.setProcessEnvironment(environment)
        process.readyReadStandardOutput.connect(lambda: self._read(process))
        process.finished.connect(lambda code, status: self._finished(process, code, status))
        process.errorOccurred.connect(lambda error: self._process_error(process, error))
        self.process = process
        self._stopping = False
        self._was_ready = False
        self._partial = ""
        self._set(ServerState.STARTING, tr("Starting the server on port {port}…", port=self.port))
        logger.info("starting the server: %s %s", program, " ".join(arguments))
        process.start(program, arguments)
        self._poll.start()

    def _read(self, process: QProcess) -> None:
        text = self._partial + bytes(process.readAllStandardOutput().data()).decode("utf-8", "replace")
        *lines, self._partial = text.split("\n")
        for line in lines:
            line = line.rstrip("\r")
            if line.strip():
                self.output.append(line)
                self.output_received.emit(line)

    def _process_error(self, process: QProcess, error: QProcess.ProcessError) -> None:
        if error == QProcess.ProcessError.FailedToStart and process is self.process:
            self._poll.stop()
            self.process = None
            self._set(ServerState.FAILED, tr("The server program could not be started: {reason}.",
                                             reason=process.errorString()))

    def _finished(self, process: QProcess, code: int, status: QProcess.ExitStatus) -> None:
        if process is not self.process:
            return
        self._read(process)
        if self._partial.strip():
            self.output.append(self._partial.strip())
            self._partial = ""
        self._poll.stop()
        self.process = None
        process.deleteLater()
        if self._stopping:
            self._stopping = False
            self._set(ServerState.STOPPED, tr("The server is stopped. Press Start to run it."))
            return
        crashed = status == QProcess.ExitStatus.CrashExit or self._was_ready
        if not crashed:
            self._set(ServerState.FAILED, self._start_failure(code))
            return
        self._crashed()

    def _start_failure(self, code: int) -> str:
        reason = next(
            (line.split(":", 1)[1].strip() for line in reversed(self.output)
             if line.lower().startswith("error:")),
            "",
        )
        if reason:
            reason = reason[0].upper() + reason[1:]
            return tr("The server did not start. {reason}.", reason=reason.rstrip("."))
        return tr("The server did not start (exit code {code}). See its output below and the Logs page.", code=code)

    def _crashed(self) -> None:
        now = time.monotonic()
        while self.restarts and now - self.restarts[0] > self.restart_window:
            self.restarts.popleft()
        if len(self.restarts) >= self.max_restarts:
            tail = "\n".join(self.last_output(8)) or tr("(the server wrote nothing)")
            self._set(
                ServerState.FAILED,
                tr(
                    "The server stopped unexpectedly {count} times within a minute, so the console "
                    "stopped restarting it. Check the Logs page, then press Start. Its last lines:\n{tail}",
                    count=len(self.restarts) + 1,
                    tail=tail,
                ),
            )
            return
        self.restarts.append(now)
        self._pending_restart = True
        self._set(
            ServerState.STARTING,
            tr("The server stopped unexpectedly; restarting it ({count} of {limit})…",
               count=len(self.restarts), limit=self.max_restarts),
        )
        QTimer.singleShot(self.restart_delay_ms, self._restart_after_crash)

    def _restart_after_crash(self) -> None:
        if not self._pending_restart or self.running:
            return
        self._pending_restart = False
        if problem := port_message(self.host, self.port):
            self._set(ServerState.FAILED, problem)
            return
        self._launch()

    # -- health ---------------------------------------------------------------------------------

    def _check_health(self) -> None:
        if self._health_reply is not None or not self.running:
            return
        request = QNetworkRequest(QUrl(f"{self.base_url}/health/ready"))
        request.setTransferTimeout(2000)
        reply = self._network.get(request)
        self._health_reply = reply
        reply.finished.connect(lambda: self._health_answered(reply))

    def _health_answered(self, reply: QNetworkReply) -> None:
        self._health_reply = None
        status = reply.attribute(QNetworkRequest.Attribute.HttpStatusCodeAttribute)
        reply.deleteLater()
        if not self.running or self._stopping:
            return
        if status == 200:
            self._was_ready = True
            self._set(ServerState.READY, tr("The server is running at {url}", url=self.base_url + "/"))
        elif status == 503:
            self._was_ready = True
            self._set(ServerState.NOT_READY, tr("The server runs but is not ready: its database or a module "
                                                 "reports a problem. See the Logs page."))
        elif self._was_ready:
            self._set(ServerState.NOT_READY, tr("The server does not answer."))

    def _set(self, state: ServerState, message: str) -> None:
        changed_state = state != self.state
        changed_message = message != self.message
        self.state, self.message = state, message
        if changed_state:
            logger.info("server state: %s", state.value)
            self.state_changed.emit(state.value)
        if changed_message:
            self.message_changed.emit(message)
