"""``GET /metrics``: the installation's figures in the Prometheus text format.

Off until ``ORION_METRICS_TOKEN`` is set: then ``/metrics`` answers 404, and nothing is counted
(no middleware, no files). With a token, a scraper sends ``Authorization: Bearer <token>``;
without one it gets 401, with a wrong one 403.

Figures counted as they happen (``prometheus_client``'s multiprocess mode, so the server's
workers and the task consumer add up; ``orion serve`` points ``PROMETHEUS_MULTIPROC_DIR`` at
``<data>/metrics``, emptied when the server starts, and a worker that stops marks itself dead):

- ``orion_http_requests_total`` / ``orion_http_request_duration_seconds``: per route template
  (``/_sf/products/{slug}``, never the visited path, so bogus URLs add no series), module
  (the route's first tag; ``framework`` for Orion's own routes), method and status class;
- ``orion_tasks_total`` / ``orion_task_duration_seconds``: huey tasks per name and outcome
  (huey's signals);
- ``orion_db_pool_connections``: connections open and checked out, summed over live processes.

Figures read when scraped (``StateCollector``): the event outbox and the task queue backlog,
and what each enabled module reports through its metrics provider's optional
``get_platform_gauges`` (``modules.contracts.metrics.GaugeValue``: orders per status, open
carts, the e-mail outbox), per platform. The framework imports no module: it asks the
registry and ``orion_server.dashboards``.
"""

from __future__ import annotations

import hmac
import logging
import os
import shutil
import threading
import time
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from orion_server.config import Settings

logger = logging.getLogger(__name__)

MULTIPROC_ENV = "PROMETHEUS_MULTIPROC_DIR"
FRAMEWORK = "framework"
"""The ``module`` label of routes that belong to no module (``/health``, ``/metrics``, static files)."""
UNMATCHED = "unmatched"
"""The ``route`` label of requests no route answered (a 404 for an unknown path)."""
LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
TASK_BUCKETS = (0.01, 0.05, 0.1, 0.5, 1.0, 5.0, 10.0, 30.0, 60.0, 300.0)


def metrics_dir(settings: Settings) -> Path:
    """Where the processes of this installation write their figures (multiprocess mode)."""
    return settings.data_dir / "metrics"


def prepare_multiprocess(settings: Settings, *, clean: bool) -> None:
    """Point prometheus_client at the data folder's ``metrics`` folder, before it is imported
    (it chooses its storage on import). ``clean`` empties the folder: a server that starts
    counts from zero, and files of processes long gone are not summed forever."""
    if not settings.metrics_token:
        return
    folder = metrics_dir(settings)
    if clean and folder.exists():
        shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True, exist_ok=True)
    os.environ[MULTIPROC_ENV] = str(folder)


def multiprocess() -> bool:
    return bool(os.environ.get(MULTIPROC_ENV))


class _Instruments:
    """The counters and histograms, made on first use (after ``prepare_multiprocess``)."""

    def __init__(self) -> None:
        from prometheus_client import (
            CollectorRegistry,
            Counter,
            Gauge,
            Histogram,
            disable_created_metrics,
        )

        disable_created_metrics()  # the *_created series double what is sent for nothing Orion shows

        # A private registry: in a single process (tests) it is what /metrics reads; in
        # multiprocess mode the figures are read back from the files instead.
        self.registry = CollectorRegistry(auto_describe=True)
        self.requests = Counter(
            "orion_http_requests", "HTTP requests answered, per route template",
            ["module", "route", "method", "status"], registry=self.registry,
        )
        self.latency = Histogram(
            "orion_http_request_duration_seconds", "Time to answer an HTTP request, per route template",
            ["module", "route"], buckets=LATENCY_BUCKETS, registry=self.registry,
        )
        self.tasks = Counter(
            "orion_tasks", "Background tasks run, per task and outcome",
            ["task", "outcome"], registry=self.registry,
        )
        self.task_duration = Histogram(
            "orion_task_duration_seconds", "Time a background task ran",
            ["task"], buckets=TASK_BUCKETS, registry=self.registry,
        )
        self.pool = Gauge(
            "orion_db_pool_connections", "Database connections of the server and task processes",
            ["state"], multiprocess_mode="livesum", registry=self.registry,
        )
        self.pool_open = self.pool.labels("open")
        self.pool_in_use = self.pool.labels("in_use")


_made: _Instruments | None = None
_made_lock = threading.Lock()


def instruments() -> _Instruments:
    global _made
    if _made is None:
        with _made_lock:
            if _made is None:
                _made = _Instruments()
    return _made


# --- requests -------------------------------------------------------------------------------

class RequestMetricsMiddleware:
    """Counts every HTTP request and its time, labelled by the route that answered it.

    Outermost but for the security headers, so a page served from the page cache counts too
    (the cache remembers the route of the page it keeps). Per request it costs one clock read
    at each end and two dictionary look-ups; the labelled children are made once per route."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        made = instruments()
        self._requests = made.requests
        self._latency = made.latency
        self._children: dict[tuple[int, str, int], tuple[Any, Any, Any]] = {}
        """``(id(route), method, status class)`` -> the labelled counter and histogram (and the
        route, so its id is never another's: routes are not hashable)."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500

        async def send_noting_status(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, send_noting_status)
        finally:
            route = scope.get("route")
            children = self._children.get((id(route), scope["method"], status // 100))
            if children is None:
                children = self._child(route, scope["method"], status // 100)
            children[1].inc()
            children[2].observe(time.perf_counter() - started)

    def _child(self, route: Any, method: str, status_class: int) -> tuple[Any, Any, Any]:
        template, module = route_labels(route)
        label = method if len(method) <= 10 and method.isalpha() else "OTHER"
        children = (
            route,
            self._requests.labels(module, template, label, f"{status_class}xx"),
            self._latency.labels(module, template),
        )
        if len(self._children) < 5000:  # routes x methods x classes; bounded all the same
            self._children[(id(route), method, status_class)] = children
        return children


def route_labels(route: Any) -> tuple[str, str]:
    """``(route template, module code)`` of a Starlette route (None: no route matched)."""
    if route is None:
        return UNMATCHED, FRAMEWORK
    template = getattr(route, "path", None) or UNMATCHED
    tags = getattr(route, "tags", None) or ()
    return template, str(tags[0]) if tags else FRAMEWORK


# --- tasks ----------------------------------------------------------------------------------

_watched: set[int] = set()


def watch_tasks(huey: Any) -> None:
    """Count the tasks ``huey`` runs, with their durations, through its signals."""
    if id(huey) in _watched:
        return
    _watched.add(id(huey))
    from huey import signals

    made = instruments()
    started: dict[str, float] = {}

    def on_executing(signal: str, task: Any, *args: Any) -> None:
        started[task.id] = time.perf_counter()

    def on_finished(signal: str, task: Any, *args: Any) -> None:
        outcome = {
            signals.SIGNAL_COMPLETE: "complete",
            signals.SIGNAL_ERROR: "error",
            signals.SIGNAL_LOCKED: "locked",
            signals.SIGNAL_CANCELED: "canceled",
            signals.SIGNAL_REVOKED: "revoked",
            signals.SIGNAL_EXPIRED: "expired",
        }.get(signal, signal)
        made.tasks.labels(task.name, outcome).inc()
        begun = started.pop(task.id, None)
        if begun is not None:
            made.task_duration.labels(task.name).observe(time.perf_counter() - begun)

    huey.signal(signals.SIGNAL_EXECUTING)(on_executing)
    huey.signal(
        signals.SIGNAL_COMPLETE, signals.SIGNAL_ERROR, signals.SIGNAL_LOCKED, signals.SIGNAL_CANCELED,
        signals.SIGNAL_REVOKED, signals.SIGNAL_EXPIRED,
    )(on_finished)


# --- database pool --------------------------------------------------------------------------

_pool_watched = False


def watch_pools() -> None:
    """Follow every SQLAlchemy pool of this process: connections opened, closed, checked out."""
    global _pool_watched
    if _pool_watched:
        return
    _pool_watched = True
    from sqlalchemy import event
    from sqlalchemy.pool import Pool

    made = instruments()
    event.listen(Pool, "connect", lambda *_: made.pool_open.inc())
    event.listen(Pool, "close", lambda *_: made.pool_open.dec())
    event.listen(Pool, "close_detached", lambda *_: made.pool_open.dec())
    event.listen(Pool, "checkout", lambda *_: made.pool_in_use.inc())
    event.listen(Pool, "checkin", lambda *_: made.pool_in_use.dec())


def mark_dead(pid: int | None = None) -> None:
    """Drop the live gauges of a process that stops (its counters keep counting)."""
    if multiprocess():
        from prometheus_client import multiprocess as mp

        mp.mark_process_dead(pid or os.getpid())


# --- state read when scraped ---------------------------------------------------------------

class StateCollector:
    """Backlogs and module gauges, read from the database at each scrape."""

    def describe(self) -> list[Any]:
        return []  # read from the database only when scraped, never on registration

    def collect(self) -> Iterator[Any]:
        from prometheus_client.core import GaugeMetricFamily
        from sqlalchemy import func, select

        from orion_server import dashboards
        from orion_server.database import db
        from orion_server.models import EventRecord, Platform

        session = db.session()
        try:
            pending = session.scalar(select(func.count(EventRecord.id)).where(
                EventRecord.delivered_at.is_(None), EventRecord.failed_at.is_(None))) or 0
            failed = session.scalar(select(func.count(EventRecord.id)).where(
                EventRecord.failed_at.is_not(None))) or 0
            outbox = GaugeMetricFamily("orion_event_outbox", "Events in the outbox by state", labels=["state"])
            outbox.add_metric(["pending"], pending)
            outbox.add_metric(["failed"], failed)
            yield outbox
            yield from _task_queue()
            families: dict[str, Any] = {}
            for platform_id, code in session.execute(select(Platform.id, Platform.code).order_by(Platform.id)):
                for gauge in dashboards.platform_gauges(session, platform_id=platform_id):
                    names = ["platform", *(name for name, _ in gauge.labels)]
                    family = families.get(gauge.name)
                    if family is None:
                        family = families[gauge.name] = GaugeMetricFamily(
                            gauge.name, gauge.documentation, labels=names)
                    if list(family._labelnames) != names:
                        logger.warning("gauge %s reported with labels %s, expected %s", gauge.name, names,
                                       family._labelnames)
                        continue
                    family.add_metric([code, *(value for _, value in gauge.labels)], gauge.value)
            yield from families.values()
        finally:
            session.close()


def _task_queue() -> Iterable[Any]:
    from prometheus_client.core import GaugeMetricFamily

    from orion_server.task_queue import huey

    family = GaugeMetricFamily("orion_task_queue", "Background tasks waiting, by kind", labels=["kind"])
    try:
        family.add_metric(["pending"], huey.pending_count())
        family.add_metric(["scheduled"], huey.scheduled_count())
    except Exception:
        logger.warning("cannot read the task queue for the metrics", exc_info=True)
        return []
    return [family]


_state = StateCollector()


def exposition() -> bytes:
    """Every figure, in the Prometheus text format."""
    from prometheus_client import CollectorRegistry, generate_latest

    if multiprocess():
        from prometheus_client import multiprocess as mp

        registry = CollectorRegistry()
        mp.MultiProcessCollector(registry)
        registry.register(_state)
        return generate_latest(registry)
    made = instruments()
    if _state not in made.registry._collector_to_names:
        made.registry.register(_state)
    return generate_latest(made.registry)


# --- the route ------------------------------------------------------------------------------

def metrics_endpoint(request: Request) -> Response:
    """The Prometheus scrape: 404 while no token is set, 401 without a token, 403 with a wrong one."""
    token = request.app.state.settings.metrics_token
    if not token:
        return PlainTextResponse("not found\n", status_code=404)
    scheme, _, given = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not given:
        return PlainTextResponse("a bearer token is needed\n", status_code=401,
                                 headers={"WWW-Authenticate": 'Bearer realm="metrics"'})
    if not hmac.compare_digest(given.strip().encode(), token.encode()):
        return PlainTextResponse("wrong token\n", status_code=403)
    from prometheus_client import CONTENT_TYPE_LATEST

    return Response(exposition(), media_type=CONTENT_TYPE_LATEST)
