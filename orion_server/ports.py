"""Who holds a TCP port: the program named in "port in use" messages, when it can be found."""

from __future__ import annotations

import os
from pathlib import Path

_LISTEN = "0A"  # TCP_LISTEN in /proc/net/tcp*


def port_holder(port: int) -> str | None:
    """``"name (pid N)"`` of the process listening on ``port``, or None when unknown or free."""
    pid = _holder_pid_psutil(port)
    if pid is None:
        pid = _holder_pid_proc(port)
    if pid is None:
        return None
    return f"{_process_name(pid)} (pid {pid})"


def _holder_pid_psutil(port: int) -> int | None:
    try:
        import psutil

        connections = psutil.net_connections(kind="tcp")
    except Exception:  # AccessDenied on macOS without root, or psutil missing: try /proc
        return None
    for conn in connections:
        if conn.status == "LISTEN" and conn.laddr and conn.laddr.port == port and conn.pid:
            return conn.pid
    return None


def _holder_pid_proc(port: int) -> int | None:
    """Linux without psutil's rights: match the listening socket's inode in /proc/*/fd."""
    inodes = _listening_inodes(port)
    if not inodes:
        return None
    targets = {f"socket:[{inode}]" for inode in inodes}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            for fd in (entry / "fd").iterdir():
                if os.readlink(fd) in targets:
                    return int(entry.name)
        except OSError:  # another user's process, or it just ended
            continue
    return None


def _listening_inodes(port: int) -> set[str]:
    found: set[str] = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            lines = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            fields = line.split()
            if len(fields) < 10:
                continue
            local_port = int(fields[1].rsplit(":", 1)[1], 16)
            if local_port == port and fields[3] == _LISTEN:
                found.add(fields[9])
    return found


def _process_name(pid: int) -> str:
    try:
        import psutil

        return psutil.Process(pid).name()
    except Exception:
        try:
            return Path(f"/proc/{pid}/comm").read_text().strip() or "a program"
        except OSError:
            return "a program"
