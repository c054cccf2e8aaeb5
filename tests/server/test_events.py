"""Events between modules: written with the change, delivered after its commit to the listeners
of modules enabled on the event's platform, each in its own unit of work, at least once."""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import timedelta

import pytest
from sqlalchemy import text, update

from modules.contracts.events import StaffNotice
from orion_server import events
from orion_server.database import db as database
from orion_server.database import utcnow
from orion_server.events import Event, emit
from orion_server.models import EventDelivery, EventRecord
from orion_server.modules import registry
from orion_server.modules.base import ModuleDefinition
from orion_server.modules.service import module_service
from orion_server.testing.events import undelivered


@dataclass(frozen=True, kw_only=True)
class Ping(Event):
    """An event only the probe module listens to."""

    store_id: int
    word: str


@dataclass(frozen=True, kw_only=True)
class Echo(Event):
    """An event the probe announces while it handles a Ping."""

    word: str


@dataclass(frozen=True, kw_only=True)
class Unheard(Event):
    """An event nobody listens to."""

    word: str


class Probe:
    """The probe module's listeners: what they heard, and whether they should fail."""

    def __init__(self) -> None:
        self.heard: list[tuple[str, int, str]] = []
        self.failing = False

    def on_ping(self, db, event: Ping) -> None:
        if self.failing:
            raise RuntimeError("probe is down")
        self.heard.append(("ping", event.platform_id, event.word))
        emit(db, Echo(platform_id=event.platform_id, word=event.word + "!"))

    def on_echo(self, db, event: Echo) -> None:
        self.heard.append(("echo", event.platform_id, event.word))


@pytest.fixture
def probe(monkeypatch):
    """An optional module ``probe`` listening to Ping and Echo, in the registry for this test."""
    listener = Probe()
    definition = ModuleDefinition(
        code="probe",
        name="Probe",
        listeners={Ping: listener.on_ping, Echo: listener.on_echo},
    )
    definition.package = "tests.server"
    monkeypatch.setitem(registry.MODULES, "probe", definition)
    monkeypatch.setitem(registry.OPTIONAL_MODULES, "probe", definition)
    events.declared.reset()
    yield listener
    monkeypatch.undo()
    events.declared.reset()


@pytest.fixture
def two_platforms(factories, db_session, probe):
    """Platforms ``a`` and ``b`` with the probe on, a store on ``a``."""
    a = factories.platform(code="a")
    b = factories.platform(code="b")
    for platform in (a, b):
        module_service.enable_module(db_session, platform.id, "probe")
    store = factories.store(a, code="shop-a")
    return a, b, store


def ping(db, platform, word: str = "hello", store_id: int = 0) -> None:
    """Announce a Ping in ``db``'s transaction (not committed)."""
    emit(db, Ping(platform_id=platform.id, store_id=store_id, word=word))


def test_an_event_is_delivered_after_the_commit_not_before(db_session, two_platforms, probe):
    """Nothing runs while the transaction is open; the listener runs once it commits."""
    a, _b, _store = two_platforms

    ping(db_session, a)
    assert probe.heard == []
    db_session.commit()

    assert probe.heard[0] == ("ping", a.id, "hello")


def test_a_rollback_forgets_the_event(db_session, two_platforms, probe):
    """A rolled-back change announces nothing and leaves nothing in the outbox."""
    a, _b, _store = two_platforms

    ping(db_session, a)
    db_session.rollback()
    db_session.commit()

    assert probe.heard == []
    assert db_session.query(EventRecord).count() == 0


def test_events_nobody_listens_to_are_not_stored(db_session, two_platforms):
    """The outbox keeps only events some module declares a listener for."""
    emit(db_session, Unheard(platform_id=two_platforms[0].id, word="lost"))
    db_session.commit()

    assert db_session.query(EventRecord).count() == 0


def test_a_listeners_own_events_follow_the_one_that_caused_them(db_session, two_platforms, probe):
    """The Echo a Ping listener announces is delivered after the Ping, in the same process."""
    a, _b, _store = two_platforms

    ping(db_session, a)
    db_session.commit()

    assert probe.heard == [("ping", a.id, "hello"), ("echo", a.id, "hello!")]
    assert undelivered(db_session) == []


def test_only_modules_enabled_on_the_events_platform_are_called(db_session, two_platforms, probe):
    """Disabled on platform a: a's events reach nobody, b's still reach the probe."""
    a, b, _store = two_platforms
    module_service.disable_module(db_session, a.id, "probe")

    ping(db_session, a, "to a")
    ping(db_session, b, "to b")
    db_session.commit()

    assert [(kind, platform) for kind, platform, _word in probe.heard] == [("ping", b.id), ("echo", b.id)]


def test_disabling_elsewhere_stops_the_listener_within_a_second(db_session, two_platforms, probe):
    """A change made by another process (straight in the database, as the console would) is
    seen by this one within a second, for that platform only."""
    a, b, _store = two_platforms
    ping(db_session, a, "warm")
    db_session.commit()  # the enabled modules are cached now
    with database.engine.begin() as connection:  # "another process"
        connection.execute(
            text("UPDATE platform_modules SET is_enabled = :off WHERE platform_id = :p AND module_code = 'probe'"),
            {"off": False, "p": a.id},
        )
        connection.execute(text("UPDATE config_revision SET value = value + 1 WHERE id = 1"))

    started = time.monotonic()
    while True:
        sent_at = time.monotonic() - started  # when this round's events were announced
        probe.heard.clear()
        ping(db_session, a, "after")
        ping(db_session, b, "after")
        db_session.commit()
        if ("ping", a.id, "after") not in probe.heard:
            break
        assert sent_at < 1.0, "platform a still hears the probe after a second"
        time.sleep(0.02)

    assert ("ping", b.id, "after") in probe.heard


def test_a_failing_listener_keeps_the_change_and_is_retried_later(db_session, two_platforms, probe, monkeypatch):
    """The change commits; the event waits with its error and a retry time; the next delivery
    after that time runs the listener again and completes the event."""
    a, _b, store = two_platforms
    probe.failing = True

    ping(db_session, a, "retry me", store_id=store.id)
    db_session.commit()

    [waiting] = undelivered(db_session)
    assert waiting.name == "Ping" and waiting.attempts == 1 and "probe is down" in waiting.last_error
    assert waiting.next_attempt_at > utcnow()
    assert events.deliver_due() == 0  # not due yet

    probe.failing = False
    db_session.execute(update(EventRecord).values(next_attempt_at=utcnow() - timedelta(seconds=1)))
    db_session.commit()
    assert events.deliver_due() == 2  # the Ping, and the Echo its listener announced

    assert ("ping", a.id, "retry me") in probe.heard
    assert undelivered(db_session) == []


def test_a_listener_that_succeeded_is_not_called_again_when_another_one_is_retried(
    db_session, two_platforms, probe, monkeypatch
):
    """Each listener's success is recorded with its own commit; a retry runs only the others."""
    a, _b, store = two_platforms
    calls: list[str] = []

    def failing_notice(db, event):
        calls.append("messaging")
        raise RuntimeError("notifications are down")

    def probe_notice(db, event):
        calls.append("probe")

    monkeypatch.setattr("modules.messaging.listeners.deliver_staff_notice", failing_notice)
    registry.MODULES["probe"].listeners[StaffNotice] = probe_notice
    events.declared.reset()

    emit(db_session, StaffNotice(platform_id=a.id, store_id=store.id, kind="x", title="T", body="", link=""))
    db_session.commit()
    db_session.execute(update(EventRecord).values(next_attempt_at=utcnow()))
    db_session.commit()
    events.deliver_due()

    assert calls == ["messaging", "probe", "messaging"]
    assert [row.listener.split(":")[0] for row in db_session.query(EventDelivery)] == ["probe"]


def test_an_event_whose_retries_run_out_is_marked_failed_and_can_be_retried(db_session, two_platforms, probe):
    """After the last retry the event is failed (never delivered by itself); retry_failed
    gives it a fresh start."""
    a, _b, _store = two_platforms
    probe.failing = True
    ping(db_session, a)
    db_session.commit()
    for _ in events.RETRY_DELAYS:
        db_session.execute(update(EventRecord).values(next_attempt_at=utcnow() - timedelta(seconds=1)))
        db_session.commit()
        events.deliver_due()

    [failed] = undelivered(db_session)
    assert failed.failed_at is not None and failed.attempts == len(events.RETRY_DELAYS) + 1
    assert events.deliver_due() == 0

    probe.failing = False
    assert events.retry_failed(db_session) == 1
    assert events.deliver_due() == 2  # the Ping, and its Echo
    assert undelivered(db_session) == []


def test_two_deliveries_of_one_event_at_once_run_its_listener_once(db_session, two_platforms, probe):
    """An event claimed by one process is skipped by another until the claim runs out."""
    a, _b, _store = two_platforms
    probe.failing = True
    ping(db_session, a)
    db_session.commit()
    [row] = undelivered(db_session)
    probe.failing = False
    db_session.execute(
        update(EventRecord).values(next_attempt_at=utcnow(), claimed_until=utcnow() + timedelta(minutes=1))
    )
    db_session.commit()

    assert events.deliver(row.id) is False
    assert probe.heard == []


def test_old_delivered_events_are_pruned(db_session, two_platforms, probe):
    """Delivered events older than a week go; recent ones stay for support."""
    a, _b, _store = two_platforms
    ping(db_session, a, "old")
    db_session.commit()
    ping(db_session, a, "new")
    db_session.commit()
    oldest = db_session.query(EventRecord).order_by(EventRecord.id).first()
    db_session.execute(
        update(EventRecord).where(EventRecord.id == oldest.id).values(delivered_at=utcnow() - timedelta(days=8))
    )
    db_session.commit()

    assert events.prune(db_session) == 1
    assert db_session.query(EventRecord).count() == 3  # the new Ping and both Echoes
