"""Metrics: figures a module reports for a store or a platform over a period, for dashboards,
reports and the API.

A module declares ``metrics_provider=".dashboard:Metrics"`` in its definition; the factory
returns a ``MetricsProviderProtocol``. Values are numbers (money in cents), never formatted
text: whoever shows them formats them.

A provider may also answer ``get_platform_gauges(db, platform_id) -> list[GaugeValue]``
(``GaugesProviderProtocol``): figures of this moment (orders per status, open carts) that
``GET /metrics`` hands to Prometheus with the platform's code as a label.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Literal, Protocol, runtime_checkable
from zoneinfo import ZoneInfo

LOCAL_ZONE = ZoneInfo("Europe/Luxembourg")
"""Days and months start at midnight in Luxembourg, where the shops are."""
PERIODS = ("today", "last_7_days", "last_30_days", "this_month", "this_year", "all_time")
"""The periods that can be asked for by name."""


@dataclass(frozen=True)
class MetricPeriod:
    """A time span ``[start, end)`` in UTC, with the name it was asked by."""

    name: str
    start: datetime | None
    """None for all time."""
    end: datetime

    @classmethod
    def named(cls, name: str, *, now: datetime | None = None) -> MetricPeriod:
        """The period called ``name`` (one of ``PERIODS``) ending now; ValueError otherwise."""
        now = (now or datetime.now(UTC)).astimezone(UTC)
        local = now.astimezone(LOCAL_ZONE)
        midnight = local.replace(hour=0, minute=0, second=0, microsecond=0)
        starts = {
            "today": midnight,
            "last_7_days": midnight - timedelta(days=6),
            "last_30_days": midnight - timedelta(days=29),
            "this_month": midnight.replace(day=1),
            "this_year": midnight.replace(month=1, day=1),
            "all_time": None,
        }
        if name not in starts:
            raise ValueError(f"unknown period {name!r}; choose one of {', '.join(PERIODS)}")
        start = starts[name]
        return cls(name=name, start=start.astimezone(UTC) if start else None, end=now)

    def contains(self, moment: datetime) -> bool:
        """Whether ``moment`` falls in the period."""
        return (self.start is None or moment >= self.start) and moment < self.end


@dataclass(frozen=True)
class MetricValue:
    """One figure of one module."""

    key: str
    """Stable identifier, ``<module>.<what>``, e.g. ``orders.revenue``."""
    label_key: str
    """Translation key of its name."""
    value: int | float
    unit: Literal["count", "cents"] = "count"
    """``cents`` for money (in EUR), ``count`` for everything else."""


@runtime_checkable
class MetricsProviderProtocol(Protocol):
    """Figures of one module (``metrics_provider`` in its definition)."""

    def get_store_metrics(self, db: Any, store_id: int, period: MetricPeriod) -> list[MetricValue]:
        """The module's figures for store ``store_id`` over ``period``."""
        ...

    def get_platform_metrics(self, db: Any, platform_id: int, period: MetricPeriod) -> list[MetricValue]:
        """The module's figures for every store of platform ``platform_id`` over ``period``."""
        ...


@dataclass(frozen=True)
class GaugeValue:
    """A figure of this moment for monitoring (a Prometheus gauge) of one platform."""

    name: str
    """Prometheus metric name, ``orion_<module>_<what>``, e.g. ``orion_orders``."""
    documentation: str
    """One line saying what is counted (the metric's HELP)."""
    value: int | float
    labels: tuple[tuple[str, str], ...] = ()
    """Further labels besides ``platform``, the same names for every value of ``name``."""


@runtime_checkable
class GaugesProviderProtocol(Protocol):
    """The optional part of a metrics provider read by ``GET /metrics``."""

    def get_platform_gauges(self, db: Any, platform_id: int) -> list[GaugeValue]:
        """The module's figures of this moment for platform ``platform_id``."""
        ...
