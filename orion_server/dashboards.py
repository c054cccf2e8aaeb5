"""Collecting dashboard widgets and metrics from the modules enabled on a platform.

Each module's ``widget_provider`` / ``metrics_provider`` (factories named in its definition,
made once per process) is asked in dependency order, so the cards keep a stable order. A
provider that raises is logged and rolled back; its module shows one ``UnavailableWidget``
card (and no metrics) while every other module's still show.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from orion_server.modules import hooks, registry
from orion_server.modules.base import ModuleDefinition
from orion_server.modules.service import module_service

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class UnavailableWidget:
    """The card of a module whose widgets could not be made this time."""

    key: str
    module: str
    """The module's display name."""
    unavailable: bool = True


@dataclass(frozen=True)
class ModuleMetrics:
    """One module's figures, or the note that they could not be read."""

    module: str
    """The module's code."""
    values: list[Any]
    """``MetricValue`` objects (modules.contracts.metrics)."""
    available: bool = True


class _Factories:
    """The providers made from the definitions, one per module and kind."""

    def __init__(self) -> None:
        self._made: dict[tuple[str, str], Any] = {}
        self._lock = threading.Lock()

    def reset(self) -> None:
        """Make them again on next use (the registry was reloaded)."""
        with self._lock:
            self._made.clear()

    def get(self, module: ModuleDefinition, kind: str) -> Any:
        """The module's ``widget_provider`` or ``metrics_provider`` object."""
        key = (module.code, kind)
        with self._lock:
            if key in self._made:
                return self._made[key]
        made = module.resolve(getattr(module, kind))()
        with self._lock:
            return self._made.setdefault(key, made)


_factories = _Factories()
hooks.on_registry_reload(_factories.reset)


def _enabled(db: Session, platform_id: int, kind: str) -> list[ModuleDefinition]:
    enabled = module_service.get_enabled_module_codes(db, platform_id)
    return [m for m in registry.MODULES.values() if m.code in enabled and getattr(m, kind)]


def _widgets(db: Session, platform_id: int, ask: str, *args: Any) -> list[Any]:
    cards: list[Any] = []
    for module in _enabled(db, platform_id, "widget_provider"):
        try:
            provider = _factories.get(module, "widget_provider")
            made = list(getattr(provider, ask)(db, *args))
        except Exception:
            logger.exception("the dashboard widgets of module %s failed", module.code)
            db.rollback()
            cards.append(UnavailableWidget(key=f"{module.code}.unavailable", module=module.name))
            continue
        cards.extend(sorted(made, key=lambda widget: getattr(widget, "order", 100)))
    return cards


def store_widgets(db: Session, *, platform_id: int, store_id: int, language: str) -> list[Any]:
    """The cards of every module enabled on the platform for one store's dashboard home."""
    return _widgets(db, platform_id, "get_store_widgets", store_id, language)


def platform_widgets(db: Session, *, platform_id: int, language: str) -> list[Any]:
    """The cards of every module enabled on the platform for the admin dashboard."""
    return _widgets(db, platform_id, "get_platform_widgets", platform_id, language)


def _metrics(db: Session, platform_id: int, ask: str, *args: Any) -> list[ModuleMetrics]:
    found: list[ModuleMetrics] = []
    for module in _enabled(db, platform_id, "metrics_provider"):
        try:
            provider = _factories.get(module, "metrics_provider")
            values = list(getattr(provider, ask)(db, *args))
        except Exception:
            logger.exception("the metrics of module %s failed", module.code)
            db.rollback()
            found.append(ModuleMetrics(module=module.code, values=[], available=False))
            continue
        found.append(ModuleMetrics(module=module.code, values=values))
    return found


def store_metrics(db: Session, *, platform_id: int, store_id: int, period: Any) -> list[ModuleMetrics]:
    """Every enabled module's figures for one store over ``period`` (a ``MetricPeriod``)."""
    return _metrics(db, platform_id, "get_store_metrics", store_id, period)


def platform_metrics(db: Session, *, platform_id: int, period: Any) -> list[ModuleMetrics]:
    """Every enabled module's figures for a whole platform over ``period``."""
    return _metrics(db, platform_id, "get_platform_metrics", platform_id, period)


def platform_gauges(db: Session, *, platform_id: int) -> list[Any]:
    """The ``GaugeValue`` figures of every module enabled on the platform whose metrics
    provider answers ``get_platform_gauges`` (for ``GET /metrics``); a provider that raises is
    logged and left out."""
    gauges: list[Any] = []
    for module in _enabled(db, platform_id, "metrics_provider"):
        try:
            provider = _factories.get(module, "metrics_provider")
            ask = getattr(provider, "get_platform_gauges", None)
            if ask is not None:
                gauges.extend(ask(db, platform_id))
        except Exception:
            logger.exception("the gauges of module %s failed", module.code)
            db.rollback()
    return gauges
