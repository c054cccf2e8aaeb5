"""The one huey instance: SQLite in the data directory, Redis for scale-out, immediate in tests."""

from __future__ import annotations

import importlib
import importlib.util
import logging
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from orion_server.config import get_settings


@contextmanager
def _absent_while_imported(names: list[str]) -> Iterator[None]:
    """Modules ``names`` look absent (an import of them fails) inside the block, unless they
    were imported already; afterwards they import as usual for whoever needs them."""
    hidden = [name for name in names if name not in sys.modules]
    for name in hidden:
        sys.modules[name] = None  # type: ignore[assignment]
    try:
        yield
    finally:
        for name in hidden:
            if name in sys.modules and sys.modules[name] is None:
                del sys.modules[name]


def _uses_redis() -> bool:
    return get_settings().tasks_url.startswith(("redis://", "rediss://"))


# huey's storage module imports psycopg whenever it is installed, for a PostgreSQL task
# storage Orion never uses (SQLite or Redis are): 9 MB of every server worker on SQLite. It
# imports the Redis client too (about a tenth of a worker's start), which only a process whose
# queue is in Redis (ORION_TASKS_URL, read once at start) needs.
with _absent_while_imported(["psycopg"] + ([] if _uses_redis() else ["redis"])):
    from huey import Huey, MemoryHuey, RedisHuey, SqliteHuey

logger = logging.getLogger(__name__)


def _make_huey() -> Huey:
    settings = get_settings()
    if settings.tasks_immediate:
        return MemoryHuey("orion", immediate=True)
    if _uses_redis():
        return RedisHuey("orion", url=settings.tasks_url)
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    return SqliteHuey("orion", filename=str(settings.data_dir / "tasks.db"))


class _HueyProxy:
    """Lets modules write ``@huey.task()`` at import time while the real instance is made lazily."""

    def __init__(self) -> None:
        self._huey: Huey | None = None
        self._lock = threading.Lock()

    @property
    def instance(self) -> Huey:
        with self._lock:
            if self._huey is None:
                self._huey = _make_huey()
            return self._huey

    def __getattr__(self, name: str) -> Any:
        return getattr(self.instance, name)


huey: Any = _HueyProxy()


def discover_tasks() -> list[str]:
    """Import the framework's tasks and every module's ``tasks`` package so huey registers
    them; returns the codes of the modules that have tasks."""
    import orion_server.event_tasks  # noqa: F401  (event delivery)
    import orion_server.log_tasks  # noqa: F401  (log retention)
    from orion_server.modules import registry

    # Every module's models first: the consumer runs tasks in threads, and a task importing a
    # module's models on first use (a provider's, lazily) while another thread's query
    # configures the mappers would find that module half-defined.
    for module in registry.MODULES.values():
        dotted = f"{module.package}.models"
        try:
            spec = importlib.util.find_spec(dotted)
        except ModuleNotFoundError:
            spec = None
        if spec is not None:
            importlib.import_module(dotted)
    loaded = []
    for module in registry.MODULES.values():
        dotted = f"{module.package}.tasks"
        try:
            spec = importlib.util.find_spec(dotted)
        except ModuleNotFoundError:
            spec = None
        if spec is not None:
            importlib.import_module(dotted)
            loaded.append(module.code)
    return loaded
