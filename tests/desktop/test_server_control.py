"""Server control: a real ``orion serve`` started, watched, stopped and restarted by the console."""

from __future__ import annotations

import os
import signal
import socket

import httpx
import pytest

from orion_desktop.server_control import ServerController, ServerState, port_message, server_command
from tests.support.servers import free_port

pytestmark = pytest.mark.slow
READY_MS = 40_000


@pytest.fixture
def controller(qtbot, console_env):
    """A controller on a free port, stopped and deleted after the test."""
    control = ServerController(poll_ms=200, restart_delay_ms=100)
    control.configure(port=free_port())
    yield control
    control.stop()
    control.deleteLater()
    qtbot.wait(50)


def test_the_server_command_runs_orion_serve_with_host_and_port():
    """Not frozen: ``python -m orion_server serve --host H --port P``."""
    assert server_command("0.0.0.0", 8123)[1:] == ["-m", "orion_server", "serve", "--host", "0.0.0.0", "--port", "8123"]


def test_a_started_server_becomes_ready_answers_and_stops(qtbot, controller):
    """Start, see READY from /health/ready, fetch the health URL, stop."""
    assert controller.start()
    qtbot.waitUntil(lambda: controller.state == ServerState.READY, timeout=READY_MS)
    assert httpx.get(controller.base_url + "/health/ready").json()["status"] == "ready"
    assert str(controller.port) in controller.message
    controller.stop()
    assert controller.state == ServerState.STOPPED
    assert not controller.running
    with pytest.raises(httpx.ConnectError):
        httpx.get(controller.base_url + "/health")


def test_a_taken_port_is_refused_before_start_with_a_message_naming_it(qtbot, controller):
    """A socket already listening on the port: no process, and the message names the port."""
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", controller.port))
        holder.listen()
        assert not controller.start()
        assert controller.process is None
        assert controller.state == ServerState.FAILED
        assert f"Port {controller.port} is already in use" in controller.message
        assert port_message("127.0.0.1", controller.port) == controller.message


def test_a_start_failure_from_the_server_is_shown_in_words(qtbot, controller, monkeypatch, tmp_path):
    """The server exits with its one-line reason (migrations pending); the console shows it, no restart."""
    monkeypatch.setenv("ORION_DATABASE_URL", f"sqlite:///{tmp_path / 'empty.db'}")
    assert controller.start()
    qtbot.waitUntil(lambda: controller.state == ServerState.FAILED, timeout=READY_MS)
    assert controller.message.startswith("The server did not start. The database needs migrations")
    assert "orion db upgrade" in controller.message
    assert not controller.restarts


def test_a_killed_server_is_restarted_and_then_given_up_after_the_limit(qtbot, controller):
    """Kill the child: restarted; a fifth crash within a minute stops the retries with the last lines."""
    assert controller.start()
    qtbot.waitUntil(lambda: controller.state == ServerState.READY, timeout=READY_MS)
    first_pid = controller.process.processId()
    os.kill(first_pid, signal.SIGKILL)
    qtbot.waitUntil(lambda: len(controller.restarts) == 1 and controller.state == ServerState.READY, timeout=READY_MS)
    assert controller.process.processId() != first_pid
    for crash in range(2, controller.max_restarts + 2):
        qtbot.waitUntil(lambda: controller.running and controller.process.processId() > 0, timeout=5000)
        os.kill(controller.process.processId(), signal.SIGKILL)
        qtbot.waitUntil(
            lambda crash=crash: len(controller.restarts) == crash or controller.state == ServerState.FAILED,
            timeout=5000,
        )
    assert controller.state == ServerState.FAILED
    assert not controller.running
    assert "5 times within a minute" in controller.message
    assert "stopped restarting" in controller.message
    assert "Its last lines:" in controller.message
