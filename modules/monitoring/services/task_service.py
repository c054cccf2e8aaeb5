"""Background tasks as an operator sees them: what waits in huey's queue and schedule, what ran
lately (result, duration, error) and what failed; retrying a failed task and revoking a waiting
one; and the outboxes' backlogs.

Runs are kept where the queue is (huey's key-value store: the SQLite ``tasks.db`` beside the
database, Redis when scaled out, memory in tests), written by the consumer that ran them
(``modules.monitoring.tasks.history``), the most recent ``KEEP_RUNS``. A failed run keeps the
task's message, so "retry" enqueues the same task with the same arguments again.
"""

from __future__ import annotations

import base64
import itertools
import json
import re
import time
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, select

from modules.contracts.backlogs import Backlog, BacklogReporter
from modules.monitoring.exceptions import TaskNotFoundError
from orion_server.logs import redact
from orion_server.models import EventRecord, Platform
from orion_server.pagination import Page, clamp_page
from orion_server.providers import get_providers

RUN_PREFIX = "orion:monitoring:run:"
KEEP_RUNS = 500
"""Runs kept (the oldest beyond go); failed runs not yet retried are kept besides them."""
PRUNE_EVERY = 25
"""A process looks for runs to forget after this many of its own."""
SHOWN_WAITING = 100
"""Pending and scheduled tasks listed at most (the counts are exact)."""
ARGUMENT_CHARS = 300
RESULT_CHARS = 200
SECRET_NAME = re.compile(r"(?i)(password|passwd|secret|token|key|credential|authorization|cookie)")
STATUSES = ("complete", "failed", "retrying", "revoked", "expired", "locked", "canceled")

_recorded = itertools.count(1)


@dataclass(frozen=True)
class TaskRun:
    """One execution (or skip) of a task."""

    key: str
    task_id: str
    name: str
    """The task's dotted name (``modules.messaging.tasks.outbox.send_outbox``)."""
    status: str
    finished_at: datetime
    started_at: datetime | None = None
    duration_ms: float | None = None
    arguments: str = ""
    """Arguments and keyword arguments, secrets redacted, cut short."""
    result: str = ""
    error: str = ""
    message: str = ""
    """The task's huey message (base64), kept for a retry of a failed run."""
    retried_as: str = ""
    """Id of the task enqueued by a retry of this run."""

    @property
    def short_name(self) -> str:
        return self.name.rsplit(".", 1)[-1]

    @property
    def can_retry(self) -> bool:
        return self.status == "failed" and bool(self.message) and not self.retried_as

    def as_json(self) -> bytes:
        data = {k: v for k, v in self.__dict__.items() if k not in ("key", "finished_at", "started_at")}
        data["finished_at"] = self.finished_at.timestamp()
        data["started_at"] = self.started_at.timestamp() if self.started_at else None
        return json.dumps(data, ensure_ascii=False).encode()

    @classmethod
    def from_json(cls, key: str, raw: Any) -> TaskRun:
        data = json.loads(raw)
        data["finished_at"] = datetime.fromtimestamp(data["finished_at"], UTC)
        data["started_at"] = datetime.fromtimestamp(data["started_at"], UTC) if data.get("started_at") else None
        return cls(key=key, **data)


@dataclass(frozen=True)
class WaitingTask:
    """A task in the queue (pending) or the schedule (to run at ``eta``)."""

    task_id: str
    name: str
    arguments: str
    eta: datetime | None
    retries: int
    revoked: bool

    @property
    def short_name(self) -> str:
        return self.name.rsplit(".", 1)[-1]


@dataclass(frozen=True)
class TaskSummary:
    """The kept runs of one task: how many, how many failed, how long they took."""

    name: str
    runs: int
    failed: int
    average_ms: float | None
    longest_ms: float | None
    last_status: str
    last_at: datetime

    @property
    def short_name(self) -> str:
        return self.name.rsplit(".", 1)[-1]


@dataclass(frozen=True)
class TasksOverview:
    """Everything the tasks page shows."""

    storage: str
    pending: list[WaitingTask]
    pending_count: int
    scheduled: list[WaitingTask]
    scheduled_count: int
    failed: list[TaskRun]
    recent: Page[TaskRun]
    summaries: list[TaskSummary]
    backlogs: list[Backlog] = field(default_factory=list)


# --- redaction ----------------------------------------------------------------------------

def redact_value(value: Any, depth: int = 0) -> Any:
    """``value`` with the values of secret-named keys replaced by ``***`` and secrets in text
    (tokens, passwords in URLs) redacted, at every level."""
    if depth > 5:
        return "…"
    if isinstance(value, dict):
        return {k: "***" if SECRET_NAME.search(str(k)) else redact_value(v, depth + 1) for k, v in value.items()}
    if isinstance(value, list):
        return [redact_value(v, depth + 1) for v in value]
    if isinstance(value, tuple):
        return tuple(redact_value(v, depth + 1) for v in value)
    if isinstance(value, str):
        return redact(value)
    if isinstance(value, (int, float, bool)) or value is None:
        return value
    return redact(repr(value))


def describe_arguments(args: Iterable[Any], kwargs: dict[str, Any]) -> str:
    """``(1, 'x', token='***')``: a task's arguments as shown to the operator."""
    parts = [repr(redact_value(a)) for a in args or ()]
    parts += [f"{k}={'***' if SECRET_NAME.search(k) else repr(redact_value(v))}" for k, v in (kwargs or {}).items()]
    text = f"({', '.join(parts)})"
    return text if len(text) <= ARGUMENT_CHARS else text[: ARGUMENT_CHARS - 1] + "…"


def _short(text: str, limit: int) -> str:
    text = redact(text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


# --- recording ----------------------------------------------------------------------------

def _error_text(exception: BaseException) -> str:
    """``RuntimeError: oven 7 is cold`` (the type alone when the exception says nothing), with
    the place it was raised at in Orion's own code."""
    from orion_server.error_reports import place_of

    said = str(exception).strip()
    text = f"{type(exception).__name__}: {said}" if said else type(exception).__name__
    try:
        place = place_of(exception)
    except Exception:
        place = ""
    return f"{text} ({place})" if place and place != "unknown" else text


def _key_text(key: Any) -> str:
    return key.decode() if isinstance(key, bytes) else str(key)


def record_run(huey: Any, task: Any, status: str, *, started: float | None = None, value: Any = None,
               exception: BaseException | None = None, now: float | None = None) -> TaskRun:
    """Keep one run of ``task`` in the queue's store (a failed one with its message, for a
    retry); forgets the oldest runs now and then."""
    finished = now if now is not None else time.time()
    message = ""
    if status == "failed":
        try:
            message = base64.b64encode(huey.serialize_task(task)).decode()
        except Exception:  # a task that cannot be serialised again cannot be retried
            message = ""
    run = TaskRun(
        key=f"{RUN_PREFIX}{finished:017.6f}:{task.id}",
        task_id=task.id,
        name=type(task).__module__ + "." + type(task).__name__,
        status=status,
        finished_at=datetime.fromtimestamp(finished, UTC),
        started_at=datetime.fromtimestamp(started, UTC) if started else None,
        duration_ms=round((finished - started) * 1000, 1) if started else None,
        arguments=describe_arguments(getattr(task, "args", ()), getattr(task, "kwargs", {})),
        result=_short(repr(value), RESULT_CHARS) if value is not None and exception is None else "",
        error=_short(_error_text(exception), 500) if exception is not None else "",
        message=message,
    )
    huey.storage.put_data(run.key, run.as_json())
    if next(_recorded) % PRUNE_EVERY == 0:
        prune_runs(huey)
    return run


def _stored_runs(huey: Any) -> list[TaskRun]:
    runs = []
    for key, raw in huey.storage.result_items().items():
        name = _key_text(key)
        if name.startswith(RUN_PREFIX):
            try:
                runs.append(TaskRun.from_json(name, raw))
            except (ValueError, TypeError, KeyError):
                continue
    runs.sort(key=lambda r: r.key, reverse=True)
    return runs


def prune_runs(huey: Any, keep: int = KEEP_RUNS) -> int:
    """Forget the runs beyond the ``keep`` most recent (failed ones waiting for a retry stay);
    how many went."""
    gone = 0
    for run in _stored_runs(huey)[keep:]:
        if run.can_retry:
            continue
        huey.storage.delete_data(run.key)
        gone += 1
    return gone


# --- reading ------------------------------------------------------------------------------

def _waiting(huey: Any, tasks: list[Any]) -> list[WaitingTask]:
    found = []
    for task in tasks:
        eta = task.eta
        if eta is not None and eta.tzinfo is None:
            eta = eta.replace(tzinfo=UTC)  # huey keeps UTC times without a zone
        found.append(WaitingTask(
            task_id=task.id, name=type(task).__module__ + "." + type(task).__name__,
            arguments=describe_arguments(task.args, task.kwargs), eta=eta, retries=task.retries or 0,
            revoked=bool(huey.is_revoked(task)),
        ))
    return found


def event_backlog(db: Any) -> Backlog:
    """The event outbox: events not yet delivered to every listener, and those given up on."""
    waiting, oldest = db.execute(
        select(func.count(EventRecord.id), func.min(EventRecord.created_at))
        .where(EventRecord.delivered_at.is_(None), EventRecord.failed_at.is_(None))
    ).one()
    failed = db.scalar(select(func.count(EventRecord.id)).where(EventRecord.failed_at.is_not(None))) or 0
    return Backlog(key="events", label_key="monitoring.tasks.event_outbox", waiting=waiting or 0, failed=failed,
                   oldest_waiting_at=oldest)


def backlogs(db: Any) -> list[Backlog]:
    """The event outbox's backlog, then each module outbox's, added up over the platforms."""
    found: dict[str, Backlog] = {}
    for platform_id in db.scalars(select(Platform.id).order_by(Platform.id)):
        for reporter in get_providers(db, BacklogReporter, platform_id=platform_id):
            backlog = reporter.backlog(db, platform_id)
            known = found.get(backlog.key)
            if known is None:
                found[backlog.key] = backlog
                continue
            oldest = [t for t in (known.oldest_waiting_at, backlog.oldest_waiting_at) if t is not None]
            found[backlog.key] = replace(known, waiting=known.waiting + backlog.waiting,
                                         failed=known.failed + backlog.failed,
                                         oldest_waiting_at=min(oldest) if oldest else None)
    return [event_backlog(db), *found.values()]


def _summaries(runs: list[TaskRun]) -> list[TaskSummary]:
    by_name: dict[str, list[TaskRun]] = {}
    for run in runs:
        by_name.setdefault(run.name, []).append(run)
    summaries = []
    for name, kept in by_name.items():
        durations = [r.duration_ms for r in kept if r.duration_ms is not None]
        summaries.append(TaskSummary(
            name=name, runs=len(kept), failed=sum(1 for r in kept if r.status == "failed"),
            average_ms=round(sum(durations) / len(durations), 1) if durations else None,
            longest_ms=max(durations) if durations else None,
            last_status=kept[0].status, last_at=kept[0].finished_at,
        ))
    return sorted(summaries, key=lambda s: s.last_at, reverse=True)


def storage_name(huey: Any) -> str:
    return type(huey.storage).__name__.replace("Storage", "") or "?"


def overview(db: Any, huey: Any, *, page: int = 1, per_page: int = 25, status: str = "") -> TasksOverview:
    """The queue, the schedule, the failed runs, a page of the recent runs (of one status, or
    all) with a summary per task, and the backlogs."""
    runs = _stored_runs(huey)
    shown = [r for r in runs if r.status == status] if status in STATUSES else runs
    page = clamp_page(page, len(shown), per_page)
    start = (page - 1) * per_page
    return TasksOverview(
        storage=storage_name(huey),
        pending=_waiting(huey, huey.pending(limit=SHOWN_WAITING)),
        pending_count=huey.pending_count(),
        scheduled=_waiting(huey, huey.scheduled(limit=SHOWN_WAITING)),
        scheduled_count=huey.scheduled_count(),
        failed=[r for r in runs if r.can_retry],
        recent=Page(items=shown[start:start + per_page], total=len(shown), page=page, per_page=per_page),
        summaries=_summaries(runs),
        backlogs=backlogs(db),
    )


# --- actions ------------------------------------------------------------------------------

def _run_by_task_id(huey: Any, task_id: str) -> TaskRun:
    for run in _stored_runs(huey):
        if run.task_id == task_id and run.can_retry:
            return run
    raise TaskNotFoundError("no failed task with this id")


def retry(huey: Any, task_id: str) -> str:
    """Enqueue the failed task ``task_id`` again, with its arguments and its own number of
    retries; the failed run says which task retried it. Returns the new task's id."""
    run = _run_by_task_id(huey, task_id)
    try:
        failed = huey.deserialize_task(base64.b64decode(run.message))
    except Exception as exc:  # the task is no longer registered (a module was removed)
        raise TaskNotFoundError("this task can no longer be run") from exc
    fresh = type(failed)(failed.args, failed.kwargs)
    huey.storage.put_data(run.key, replace(run, retried_as=fresh.id).as_json())
    huey.enqueue(fresh)
    return fresh.id


def revoke(huey: Any, task_id: str) -> None:
    """Mark the pending or scheduled task ``task_id`` so a consumer skips it."""
    waiting = itertools.chain(huey.pending(), huey.scheduled())
    if not any(task.id == task_id for task in waiting):
        raise TaskNotFoundError("no waiting task with this id")
    huey.revoke_by_id(task_id)
