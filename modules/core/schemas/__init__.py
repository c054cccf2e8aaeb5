"""Core: request and response schemas."""

from modules.core.schemas.metrics import MetricOut, MetricsOut, ModuleMetricsOut

__all__ = ["MetricOut", "MetricsOut", "ModuleMetricsOut"]
