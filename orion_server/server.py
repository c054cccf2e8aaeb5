"""Running Orion: the web server (uvicorn) with a task consumer beside it, or a consumer alone."""

from __future__ import annotations

import ctypes
import errno
import gc
import logging
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

import click

from orion_server.config import get_settings
from orion_server.metrics import prepare_multiprocess
from orion_server.running_lock import hold_shared

logger = logging.getLogger(__name__)
PARENT_PID_ENV = "ORION_PARENT_PID"


def port_problem(host: str, port: int) -> str | None:
    """Why the server cannot listen on host:port, or None when it can."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                from orion_server.ports import port_holder

                if holder := port_holder(port):
                    return (f"port {port} is already in use on {host} by {holder}; "
                            "choose another with --port or stop that program")
                return f"port {port} is already in use on {host}; choose another with --port"
            if exc.errno == errno.EACCES:
                return f"no permission to listen on port {port}; choose a port above 1024"
            return f"cannot listen on {host}:{port}: {exc.strerror}"
    return None


def worker_command() -> list[str]:
    """How to start ``orion worker`` as a child process (also inside a PyInstaller bundle)."""
    if getattr(sys, "frozen", False):
        return [sys.executable, "worker"]
    return [sys.executable, "-m", "orion_server", "worker"]


def _print_urls(host: str, port: int) -> None:
    from orion_server.database import db
    from orion_server.models import Platform, Store

    shown = "127.0.0.1" if host in ("0.0.0.0", "::") else host
    base = f"http://{shown}:{port}"
    settings = get_settings()
    click.echo(f"Orion is running at {base}/")
    click.echo(f"  Admin:           {base}/admin/")
    with db.session() as session:
        for store in session.query(Store).join(Platform).order_by(Platform.code, Store.code):
            platform = store.platform
            click.echo(f"  Storefront:      {base}/platforms/{platform.code}/storefront/{store.code}/  ({store.name})")
            click.echo(f"  Store dashboard: {base}/store/{store.code}/")
    if settings.base_url != base:
        click.echo(f"  Links in e-mails use ORION_BASE_URL={settings.base_url}")


def run_server(*, host: str, port: int, workers: int, with_worker: bool) -> None:
    """Check the port and the database, build the app, start a task consumer, then serve until
    stopped."""
    import uvicorn

    settings = get_settings()
    prepare_multiprocess(settings, clean=True)  # before prometheus_client is imported
    fewer_malloc_arenas()
    with _long_lived_objects():
        from orion_server.database import db
        from orion_server.logs import setup_logging
        from orion_server.migrations import pending_heads

        setup_logging("server")
        _stop_with_parent("server")  # started by the console: end with it, even when it is killed
        if problem := port_problem(host, port):
            raise click.ClickException(problem)
        hold_shared(settings)  # a restore or a migration now waits for this server to stop
        pending = pending_heads(db.engine)
        if pending:
            raise click.ClickException(
                "the database needs migrations (" + ", ".join(sorted(pending)) + "): run `orion db upgrade`"
            )
        _print_urls(host, port)
        _build_app(workers)
    consumer = None
    if with_worker and not settings.tasks_immediate:
        env = {**os.environ, PARENT_PID_ENV: str(os.getpid())}
        consumer = subprocess.Popen(worker_command(), env=env)
    try:
        uvicorn.run(
            "orion_server.asgi:app",
            host=host,
            port=port,
            workers=workers,
            proxy_headers=False,  # X-Forwarded-* are handled by the platform context middleware
            log_level=settings.log_level.lower(),
            log_config=None,  # uvicorn's records go through Orion's handlers (file, logs.db)
            access_log=False,
        )
    finally:
        if consumer is not None:
            consumer.terminate()
            try:
                consumer.wait(timeout=10)
            except subprocess.TimeoutExpired:
                consumer.kill()


M_ARENA_MAX = -8
"""glibc's ``mallopt`` parameter for the number of heaps (``MALLOC_ARENA_MAX``)."""


def fewer_malloc_arenas(arenas: int = 2) -> None:
    """Let the threads of this process (and of the workers forked from it) share two heaps.

    glibc gives threads up to eight heaps per core, each keeping memory freed by requests for
    later; a worker's 20 to 40 request threads each took one, which was 23 MB of a worker's
    172 MB after ``make bench`` (149 MB with two). This is what ``MALLOC_ARENA_MAX=2`` does,
    the setting threaded Python servers are usually run with; an operator's own
    ``MALLOC_ARENA_MAX`` is left alone, and where there is no glibc nothing changes."""
    if os.environ.get("MALLOC_ARENA_MAX") or not sys.platform.startswith("linux"):
        return
    try:
        ctypes.CDLL("libc.so.6").mallopt(M_ARENA_MAX, arenas)
    except (OSError, AttributeError):  # musl and others: no such library or function
        pass


@contextmanager
def _long_lived_objects() -> Iterator[None]:
    """Start-up creates some 350,000 objects that live as long as the process (modules, classes,
    models, routes), and Python's cycle collector scanned them again and again while they were
    made: about 0.4 s of a 2.5 s start. Each full collection while serving then paused a worker
    for about 0.25 s to find them all alive again. So collection is off while Orion starts; what
    was built is then frozen (never scanned again, its memory pages staying shared with the
    workers forked from it) and collection resumes for what requests create."""
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        gc.enable()


def _build_app(workers: int) -> None:
    """Build the app in this process when it serves it (one worker) or forks the workers that
    do. Spawned, each worker imported Orion and built the app itself (some 2.5 s of CPU each, on
    the same cores, as the shop came back from a crash); forked from here, each serves at once.
    Where there is no fork (Windows), uvicorn spawns several workers as before."""
    import multiprocessing
    from multiprocessing.context import BaseContext

    import uvicorn._subprocess

    forking = workers >= 2 and hasattr(os, "fork") and isinstance(getattr(uvicorn._subprocess, "spawn", None),
                                                                   BaseContext)
    if workers >= 2 and not forking:
        return
    import orion_server.asgi  # noqa: F401 - builds the app served here, or by the forked workers

    if forking:
        from orion_server.database import db
        from orion_server.logs import fork_with_logging

        db.dispose()  # no connection of this process is shared with the workers
        fork_with_logging()
        uvicorn._subprocess.spawn = multiprocessing.get_context("fork")


def run_worker(*, workers: int) -> None:
    """Consume background tasks until stopped."""
    settings = get_settings()
    prepare_multiprocess(settings, clean=False)  # the server beside it emptied the folder
    fewer_malloc_arenas()
    with _long_lived_objects():
        from huey.consumer import Consumer

        from orion_server.logs import setup_logging
        from orion_server.task_queue import discover_tasks, huey

        setup_logging("worker")
        _stop_with_parent("task consumer")
        hold_shared(get_settings())
        codes = discover_tasks()
    logger.info("task consumer started with tasks of: %s", ", ".join(codes) or "no module")
    if settings.metrics_token:
        from orion_server.metrics import mark_dead, watch_pools, watch_tasks

        watch_tasks(huey.instance)
        watch_pools()
    try:
        Consumer(huey.instance, workers=workers, worker_type="thread").run()
    finally:
        if settings.metrics_token:
            mark_dead()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _stop_with_parent(what: str) -> None:
    """A process started by another (the consumer by ``orion serve``, the server by the console)
    stops when its parent is gone, however the parent ended: ``PARENT_PID_ENV`` names it."""
    parent = os.environ.get(PARENT_PID_ENV)
    if not parent or not parent.isdigit():
        return
    if os.getppid() != int(parent):
        if not _alive(int(parent)):  # it ended while this process was still starting
            logger.info("the process that started this %s ended before it was ready; stopping", what)
            raise SystemExit(0)
        return  # not started by the process the variable names (an inherited, stale value)

    def watch() -> None:
        while os.getppid() == int(parent):
            time.sleep(1.0)
        logger.info("the process that started this %s ended; stopping", what)
        os.kill(os.getpid(), signal.SIGTERM)

    threading.Thread(target=watch, name="orion-parent-watch", daemon=True).start()
