"""Reading the event outbox in tests: what a module announced, and what is left to deliver."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from orion_server.events import Event
from orion_server.models import EventRecord

E = TypeVar("E", bound=Event)


def _fresh(db: Session) -> None:
    """End ``db``'s transaction (SQLite keeps a reader's snapshot) and forget what it loaded."""
    db.commit()
    db.expire_all()


def announced(db: Session, event_class: type[E]) -> list[E]:
    """Every ``event_class`` event in the outbox, oldest first (events nobody declares a
    listener for are never stored, so only those of listened-to classes show here)."""
    _fresh(db)
    rows = db.scalars(
        select(EventRecord).where(EventRecord.name == event_class.event_name).order_by(EventRecord.id)
    )
    return [event_class(**row.payload) for row in rows]


def undelivered(db: Session) -> list[EventRecord]:
    """Events still waiting for a listener (failed for now, or left by a crash), oldest first."""
    _fresh(db)
    return list(
        db.scalars(select(EventRecord).where(EventRecord.delivered_at.is_(None)).order_by(EventRecord.id))
    )


class Announced(Sequence[Any]):
    """A live list of the ``event_class`` events in the outbox, each shaped by ``shape``: it
    reads the outbox each time it is looked at, so a fixture can hand it out before the test
    acts (``assert heard == [...]``)."""

    def __init__(self, db: Session, event_class: type[E], shape: Callable[[E], Any] = lambda e: e) -> None:
        self.db = db
        self.event_class = event_class
        self.shape = shape

    def _items(self) -> list[Any]:
        return [self.shape(event) for event in announced(self.db, self.event_class)]

    def __len__(self) -> int:
        return len(self._items())

    def __getitem__(self, index: Any) -> Any:
        return self._items()[index]

    def __eq__(self, other: object) -> bool:
        return self._items() == other

    def __repr__(self) -> str:
        return repr(self._items())
