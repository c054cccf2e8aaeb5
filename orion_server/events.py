"""Events between modules: announced inside a transaction, delivered after it, at least once.

A module announces an event with ``emit(db, event)`` in the same transaction as the change
that caused it; the event is written to the outbox (``event_outbox``) with that change, so it
survives a crash after the commit. Once the transaction commits, the events are delivered in
this process; whatever is left (a crash, a failing listener) is delivered by the task
consumer's periodic ``deliver_due``. Each listener runs in its own unit of work, only for
modules enabled on the event's platform, and its success is recorded with its own commit: a
listener that fails is logged and retried later without undoing the change or the other
listeners. Listeners must be idempotent (an event can arrive twice after a crash).

Listeners are declared in a module's definition: ``listeners={OrderPaid: ".listeners:on_paid"}``.
"""

from __future__ import annotations

import dataclasses
import logging
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, ClassVar

from sqlalchemy import delete, or_, select, update
from sqlalchemy import event as sa_event
from sqlalchemy import inspect as sa_inspect
from sqlalchemy.orm import Session

from orion_server.database import begin_write, utcnow
from orion_server.database import db as database
from orion_server.models.events import EventDelivery, EventRecord
from orion_server.modules import hooks

# The registry and the module service are imported where used: module definitions import the
# event classes of modules.contracts, which import this file while the registry discovers them.

logger = logging.getLogger(__name__)

CLAIM = timedelta(minutes=5)
"""How long one delivery attempt owns an event before another process may take it over."""
RETRY_DELAYS = (
    timedelta(seconds=30),
    timedelta(minutes=2),
    timedelta(minutes=10),
    timedelta(minutes=30),
    timedelta(hours=1),
    timedelta(hours=3),
    timedelta(hours=6),
    timedelta(hours=12),
)
"""Wait before each retry of a failing listener; after the last one the event is marked failed."""
KEEP_DELIVERED = timedelta(days=7)
"""How long delivered events stay in the outbox (for support) before ``prune`` removes them."""


@dataclass(frozen=True, kw_only=True)
class Event:
    """Base of every event: which platform and store it concerns.

    Subclasses are frozen keyword-only dataclasses in ``modules/contracts``; their fields must
    be JSON values (numbers, strings, lists, dicts, None), as they are stored in the outbox.
    """

    event_name: ClassVar[str] = ""
    """The event's stored name, unique across modules; defaults to the class name."""

    platform_id: int
    store_id: int | None = None

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "event_name" not in cls.__dict__:
            cls.event_name = cls.__name__

    def payload(self) -> dict[str, Any]:
        """The fields as stored in the outbox."""
        return dataclasses.asdict(self)


@dataclass(frozen=True)
class Listener:
    """One declared listener: the module, the event it wants and where its function lives."""

    module: str
    event: type[Event]
    target: str

    @property
    def key(self) -> str:
        """Stable identity of the listener, recorded with each delivery."""
        return f"{self.module}:{self.target}"

    def call(self, db: Session, event: Event) -> None:
        """Run the listener's function (resolved now, so tests may replace it)."""
        from orion_server.modules import registry

        registry.MODULES[self.module].resolve(self.target)(db, event)


class _Listeners:
    """The declared listeners of every discovered module, indexed by event name."""

    def __init__(self) -> None:
        self._by_name: dict[str, list[Listener]] | None = None
        self._lock = threading.Lock()

    def reset(self) -> None:
        """Read the definitions again on next use (the registry was reloaded)."""
        with self._lock:
            self._by_name = None

    def _index(self) -> dict[str, list[Listener]]:
        from orion_server.modules import registry

        with self._lock:
            if self._by_name is None:
                index: dict[str, list[Listener]] = {}
                for module in registry.MODULES.values():  # dependency order: stable
                    for event_class, target in module.listeners.items():
                        index.setdefault(event_class.event_name, []).append(
                            Listener(module.code, event_class, target)
                        )
                self._by_name = index
            return self._by_name

    def of(self, name: str) -> list[Listener]:
        """The listeners of the event called ``name``, in module dependency order."""
        return self._index().get(name, [])

    def event_class(self, name: str) -> type[Event] | None:
        """The class of the event called ``name``, when some module listens to it."""
        found = self.of(name)
        return found[0].event if found else None


declared = _Listeners()
hooks.on_registry_reload(declared.reset)


# -- announcing ---------------------------------------------------------------------------------

_PENDING = "orion_events_pending"


def emit(db: Session, event: Event) -> None:
    """Announce ``event`` as part of ``db``'s transaction: stored with it, delivered after its
    commit, forgotten with its rollback. Nothing is stored when no module listens to it."""
    if not declared.of(event.event_name):
        return
    now = utcnow()
    record = EventRecord(
        name=event.event_name,
        payload=event.payload(),
        platform_id=event.platform_id,
        store_id=event.store_id,
        created_at=now,
        next_attempt_at=now,
    )
    db.add(record)
    db.info.setdefault(_PENDING, []).append(record)


_COMMITTED = "orion_events_committed"


@sa_event.listens_for(Session, "after_commit")
def _after_commit(session: Session) -> None:
    records = session.info.pop(_PENDING, None)
    if records:
        ids = [identity[0] for identity in (sa_inspect(r).identity for r in records) if identity]
        session.info.setdefault(_COMMITTED, []).extend(ids)


@sa_event.listens_for(Session, "after_soft_rollback")
def _after_rollback(session: Session, previous_transaction: Any) -> None:
    if previous_transaction.parent is None:  # the outermost transaction: its events are gone
        session.info.pop(_PENDING, None)


@sa_event.listens_for(Session, "after_transaction_end")
def _after_transaction_end(session: Session, transaction: Any) -> None:
    # Delivered once the committing session has given its connection back, so a listener
    # never waits for a connection its own caller holds.
    if transaction.parent is None:
        ids = session.info.pop(_COMMITTED, None)
        if ids:
            deliver_now(ids)


# -- delivering ---------------------------------------------------------------------------------

_local = threading.local()


def deliver_now(event_ids: Iterable[int]) -> int:
    """Deliver these events in this thread, after any delivery already under way here (the
    events a listener announces wait for the one that caused them); how many were done."""
    queue: list[int] | None = getattr(_local, "queue", None)
    if queue is not None:
        queue.extend(event_ids)
        return 0
    _local.queue = queue = list(event_ids)
    done = 0
    try:
        while queue:
            event_id = queue.pop(0)
            try:
                done += deliver(event_id)
            except Exception:  # the outbox keeps it: the consumer tries again
                logger.exception("delivering event %s failed; the task consumer will retry", event_id)
    finally:
        _local.queue = None
    return done


def deliver(event_id: int) -> bool:
    """Deliver one event to the listeners that have not had it yet; True when it is done.

    Claims the event first, so two processes never deliver it at the same moment."""
    from orion_server.modules.service import module_service

    now = utcnow()
    with database.session() as db:
        begin_write(db)
        claimed = db.execute(
            update(EventRecord)
            .where(
                EventRecord.id == event_id,
                EventRecord.delivered_at.is_(None),
                EventRecord.failed_at.is_(None),
                or_(EventRecord.claimed_until.is_(None), EventRecord.claimed_until < now),
            )
            .values(claimed_until=now + CLAIM)
        ).rowcount
        db.commit()
        if claimed != 1:
            return False
        record = db.get(EventRecord, event_id)
        assert record is not None
        name, payload, platform_id, attempts = record.name, record.payload, record.platform_id, record.attempts
        done = set(db.scalars(select(EventDelivery.listener).where(EventDelivery.event_id == event_id)))
        enabled = module_service.get_enabled_module_codes(db, platform_id) if platform_id else None
        db.rollback()
    event_class = declared.event_class(name)
    errors: list[str] = []
    if event_class is None:
        logger.info("event %s (%s) has no listener any more", event_id, name)
    else:
        event = event_class(**payload)
        for listener in declared.of(name):
            if listener.key in done:
                continue
            if enabled is not None and listener.module not in enabled:
                continue
            error = _run(listener, event_id, event)
            if error:
                errors.append(f"{listener.key}: {error}")
    _finish(event_id, attempts, errors)
    return not errors


def _run(listener: Listener, event_id: int, event: Event) -> str | None:
    """Call one listener in its own session; None on success, else the error in one line."""
    session = database.session()
    try:
        begin_write(session)  # listeners read, then write: take the write lock first (SQLite)
        listener.call(session, event)
        session.add(EventDelivery(event_id=event_id, listener=listener.key, delivered_at=utcnow()))
        session.commit()
        return None
    except Exception as exc:
        session.rollback()
        logger.exception("listener %s failed for event %s (%s)", listener.key, event_id, event.event_name)
        return f"{exc.__class__.__name__}: {exc}"[:500]
    finally:
        session.close()


def _finish(event_id: int, attempts: int, errors: list[str]) -> None:
    now = utcnow()
    values: dict[str, Any] = {"claimed_until": None}
    if not errors:
        values["delivered_at"] = now
    else:
        attempts += 1
        values.update(attempts=attempts, last_error="\n".join(errors)[:2000])
        if attempts > len(RETRY_DELAYS):
            values["failed_at"] = now
            logger.error("event %s failed %s times; giving up (orion events retry)", event_id, attempts)
        else:
            values["next_attempt_at"] = now + RETRY_DELAYS[attempts - 1]
    with database.session() as db:
        begin_write(db)
        db.execute(update(EventRecord).where(EventRecord.id == event_id).values(**values))
        db.commit()


def due_ids(db: Session, *, limit: int = 100) -> list[int]:
    """Events waiting for delivery whose time has come, oldest first."""
    now = utcnow()
    return list(
        db.scalars(
            select(EventRecord.id)
            .where(
                EventRecord.delivered_at.is_(None),
                EventRecord.failed_at.is_(None),
                EventRecord.next_attempt_at <= now,
                or_(EventRecord.claimed_until.is_(None), EventRecord.claimed_until < now),
            )
            .order_by(EventRecord.id)
            .limit(limit)
        )
    )


def deliver_due(*, limit: int = 500) -> int:
    """Deliver what is waiting (left by a crash, or due for a retry); how many were done."""
    with database.session() as db:
        ids = due_ids(db, limit=limit)
    return deliver_now(ids)


def retry_failed(db: Session) -> int:
    """Give every event whose retries ran out a fresh start; how many."""
    begin_write(db)
    count = db.execute(
        update(EventRecord)
        .where(EventRecord.failed_at.is_not(None), EventRecord.delivered_at.is_(None))
        .values(failed_at=None, attempts=0, next_attempt_at=utcnow(), claimed_until=None)
    ).rowcount
    db.commit()
    return int(count or 0)


def prune(db: Session, *, older_than: timedelta = KEEP_DELIVERED) -> int:
    """Remove delivered events older than ``older_than``; how many."""
    begin_write(db)
    cutoff = utcnow() - older_than
    old = select(EventRecord.id).where(EventRecord.delivered_at.is_not(None), EventRecord.delivered_at < cutoff)
    db.execute(delete(EventDelivery).where(EventDelivery.event_id.in_(old)))
    count = db.execute(delete(EventRecord).where(EventRecord.id.in_(old))).rowcount
    db.commit()
    return int(count or 0)


def listeners_of(event_class: type[Event]) -> list[Listener]:
    """Who listens to ``event_class`` (for tools such as the module explorer)."""
    return list(declared.of(event_class.event_name))


EventListener = Callable[[Session, Event], None]
"""What a declared listener is: ``(db, event)``, in its own transaction, committed after it."""
