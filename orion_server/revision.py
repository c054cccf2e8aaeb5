"""Cached configuration keyed by the database's revision counter.

Every change to cached configuration (module toggles, platforms, stores) bumps the counter in
the same transaction. Each process re-reads the counter at most every
``revision_poll_seconds`` and drops its caches when it moved, so a change made anywhere (the
console, the CLI, another worker) is seen everywhere within a second, without a restart.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any, TypeVar

from sqlalchemy import event, select, update
from sqlalchemy.orm import Session

from orion_server.models.revision import ConfigRevision

T = TypeVar("T")
_BUMPED = "orion_revision_bumped"
MISSING: Any = object()
"""What ``RevisionCache.peek`` answers when it would have to ask the database."""


class RevisionCache:
    """Values computed from the database, valid while the revision stays the same."""

    def __init__(self, poll_seconds: float = 0.5) -> None:
        self.poll_seconds = poll_seconds
        self._lock = threading.Lock()
        self._revision: int | None = None
        self._checked_at = 0.0
        self._values: dict[Any, Any] = {}

    def current(self, db: Session) -> int:
        """The revision, read from the database at most every ``poll_seconds``."""
        now = time.monotonic()
        if self._revision is not None and now - self._checked_at < self.poll_seconds:
            return self._revision
        value = db.scalar(select(ConfigRevision.value).where(ConfigRevision.id == 1)) or 0
        with self._lock:
            if value != self._revision:
                self._values.clear()
                self._revision = value
            self._checked_at = now
        return value

    def get(self, db: Session, key: Any, loader: Callable[[Session], T]) -> T:
        """The cached value for ``key``, loaded with ``loader(db)`` when missing or stale."""
        revision = self.current(db)
        with self._lock:
            if key in self._values:
                return self._values[key]
        value = loader(db)
        with self._lock:
            if self._revision == revision:
                self._values[key] = value
        return value

    def peek(self, key: Any) -> Any:
        """The cached value for ``key`` when the revision was read less than ``poll_seconds``
        ago, else ``MISSING``: what the event loop may use without waiting on the database
        (every page asks for the platforms and the enabled modules; a worker thread to answer
        from memory cost more than the answer)."""
        with self._lock:
            if self._revision is None or time.monotonic() - self._checked_at >= self.poll_seconds:
                return MISSING
            return self._values.get(key, MISSING)

    def invalidate(self) -> None:
        """Forget everything; the next read goes to the database."""
        with self._lock:
            self._values.clear()
            self._revision = None
            self._checked_at = 0.0


config_cache = RevisionCache()


def bump_revision(db: Session) -> None:
    """Move the counter forward inside the current transaction; caches drop after commit."""
    result = db.execute(
        update(ConfigRevision).where(ConfigRevision.id == 1).values(value=ConfigRevision.value + 1)
    )
    if result.rowcount == 0:  # type: ignore[attr-defined]
        db.add(ConfigRevision(id=1, value=1))
        db.flush()
    db.info[_BUMPED] = True


@event.listens_for(Session, "after_commit")
def _after_commit(session: Session) -> None:
    if session.info.pop(_BUMPED, False):
        config_cache.invalidate()


@event.listens_for(Session, "after_rollback")
def _after_rollback(session: Session) -> None:
    session.info.pop(_BUMPED, None)
