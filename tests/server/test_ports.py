"""Who holds a port: named with its pid when something listens, None when the port is free."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

from orion_server.ports import _holder_pid_proc, port_holder
from orion_server.server import port_problem
from tests.support.servers import free_port

LISTENER = textwrap.dedent("""
    import socket, sys
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    s.listen()
    print(s.getsockname()[1], flush=True)
    sys.stdin.read()
""")


@pytest.fixture
def listener():
    """Another process listening on a port; it ends when its stdin closes."""
    process = subprocess.Popen([sys.executable, "-c", LISTENER], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    port = int(process.stdout.readline())
    yield process, port
    process.stdin.close()
    process.wait(timeout=10)


def test_the_holder_of_a_listening_port_is_named_with_its_pid(listener):
    """The other process is found: its program name and pid."""
    process, port = listener
    holder = port_holder(port)
    assert holder is not None
    assert holder.endswith(f"(pid {process.pid})")
    assert holder.lower().startswith("python")


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="/proc exists on Linux only")
def test_the_proc_fallback_finds_the_same_process(listener):
    """Without psutil's view (no rights), /proc/net/tcp and /proc/*/fd find the holder."""
    process, port = listener
    assert _holder_pid_proc(port) == process.pid


def test_a_free_port_has_no_holder():
    """Nothing listens: None, and no error."""
    assert port_holder(free_port()) is None


def test_orion_serve_names_the_holder_in_its_port_message(listener):
    """`orion serve`'s pre-check says which program holds the port."""
    process, port = listener
    problem = port_problem("127.0.0.1", port)
    assert problem is not None
    assert f"port {port} is already in use on 127.0.0.1 by " in problem
    assert f"(pid {process.pid})" in problem
