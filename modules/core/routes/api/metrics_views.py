"""Turning the modules' figures into the metrics API's answer (shared by the admin and store APIs)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Literal

from modules.contracts.metrics import MetricPeriod
from modules.core.schemas import MetricOut, MetricsOut, ModuleMetricsOut
from orion_server.dashboards import ModuleMetrics
from orion_server.i18n import t

PeriodName = Literal["today", "last_7_days", "last_30_days", "this_month", "this_year", "all_time"]
"""The ``period`` query parameter (``modules.contracts.metrics.PERIODS``)."""


def metrics_out(
    period: MetricPeriod, found: list[ModuleMetrics], language: str, *, shown: Callable[[str], bool]
) -> MetricsOut:
    """The answer, with the modules ``shown`` lets through and labels in ``language``."""
    return MetricsOut(
        period=period.name,
        start=period.start,
        end=period.end,
        modules=[
            ModuleMetricsOut(
                module=entry.module,
                available=entry.available,
                values=[
                    MetricOut(key=v.key, label=t(v.label_key, language), value=v.value, unit=v.unit)
                    for v in entry.values
                ],
            )
            for entry in found
            if shown(entry.module)
        ],
    )
