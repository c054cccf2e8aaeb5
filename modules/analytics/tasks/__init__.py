"""Background tasks of the Analytics module (imported so huey registers them)."""

from modules.analytics.tasks.aggregates import build_daily_figures, run_build_daily_figures

__all__ = ["build_daily_figures", "run_build_daily_figures"]
