"""Backlogs: work a module keeps waiting in an outbox of its own (e-mails to send), so the
operator's task page can say how much waits and since when without knowing the module.

A module declares ``provides={BacklogReporter: ".providers:..."}``; the monitoring module asks
every reporter enabled on a platform for its ``Backlog`` there.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol, runtime_checkable


@dataclass(frozen=True)
class Backlog:
    """What waits in one outbox of one platform."""

    key: str
    """Stable name of the outbox, ``<module>.<outbox>`` (``messaging.email_outbox``)."""
    label_key: str
    """Translation key of its name."""
    waiting: int
    """Items still to be done (queued, being sent, waiting for a retry)."""
    failed: int
    """Items given up on, waiting for an operator."""
    oldest_waiting_at: datetime | None
    """When the oldest waiting item was made; None when nothing waits."""


@runtime_checkable
class BacklogReporter(Protocol):
    """Reports the backlog of a module's outbox."""

    def backlog(self, db: Any, platform_id: int) -> Backlog:
        """The outbox's backlog on platform ``platform_id`` now."""
        ...
