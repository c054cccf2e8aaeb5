"""The metrics API's answers: every enabled module's figures over a period."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field


class MetricOut(BaseModel):
    """One figure."""

    key: str = Field(description="Stable identifier, e.g. orders.revenue")
    label: str = Field(description="Its name in the asked language")
    value: int | float
    unit: Literal["count", "cents"] = Field(description="cents for money in EUR")


class ModuleMetricsOut(BaseModel):
    """One module's figures (``available`` false when they could not be read this time)."""

    module: str
    available: bool
    values: list[MetricOut]


class MetricsOut(BaseModel):
    """The figures of every module enabled there, in dependency order."""

    period: str
    start: datetime | None = Field(description="Start of the period (UTC); null for all time")
    end: datetime
    modules: list[ModuleMetricsOut]
