"""Who is using the data folder: every server and task consumer holds a shared lock on
``orion.running`` there for as long as it runs; what must have the database to itself (a
restore, a migration) takes the lock exclusively, and fails at once while any of them runs,
whatever port it listens on and whoever started it.

The lock is the operating system's (``fcntl.flock``): it goes with the process, so a server
killed with ``kill -9`` leaves no stale lock behind. On Windows, which has no ``flock``, the
console's own process management stands in (it stops the server before a restore).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from typing import IO

from orion_server.config import Settings
from orion_server.errors import ConflictError

LOCK_FILE = "orion.running"

try:
    import fcntl
except ImportError:  # Windows
    fcntl = None  # type: ignore[assignment]


class InstanceRunning(ConflictError):
    """A server or task consumer uses the data folder: stop it first."""

    code = "orion_running"


_held: IO[str] | None = None


def hold_shared(settings: Settings) -> None:
    """Mark this process as a user of the data folder until it ends (servers, consumers)."""
    global _held
    if fcntl is None or _held is not None:
        return
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    handle = open(settings.data_dir / LOCK_FILE, "a+")  # noqa: SIM115 - held for the process's life
    fcntl.flock(handle.fileno(), fcntl.LOCK_SH)
    os.set_inheritable(handle.fileno(), False)
    _held = handle


@contextmanager
def exclusive(settings: Settings, what: str) -> Iterator[None]:
    """Have the data folder to oneself while ``what`` runs; InstanceRunning while a server or
    task consumer runs."""
    if fcntl is None:
        yield
        return
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    with open(settings.data_dir / LOCK_FILE, "a+") as handle:
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise InstanceRunning(
                f"an Orion server or task consumer is using this installation: stop it before {what}"
            ) from None
        try:
            yield
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


def running(settings: Settings) -> bool:
    """Whether a server or task consumer uses the data folder now."""
    try:
        with exclusive(settings, "checking"):
            return False
    except InstanceRunning:
        return True
