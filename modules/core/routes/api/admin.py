"""Admin API of the core module: a platform's figures from every module enabled there."""

from __future__ import annotations

from fastapi import Request

from modules.contracts.metrics import MetricPeriod
from modules.core.routes.api.metrics_views import PeriodName, metrics_out
from modules.core.schemas import MetricsOut
from orion_server.dashboards import platform_metrics
from orion_server.deps import Reach, SessionDep
from orion_server.routing import ModuleRouter

router = ModuleRouter()


@router.get("/platforms/{code}/metrics", response_model=MetricsOut)
def get_platform_metrics(
    request: Request, code: str, db: SessionDep, reach: Reach, period: PeriodName = "this_month"
) -> MetricsOut:
    """Every enabled module's figures for all stores of the platform over ``period`` (a
    platform out of the admin's reach answers 404)."""
    platform = reach.chosen_platform(db, request, code)
    chosen = MetricPeriod.named(period)
    found = platform_metrics(db, platform_id=platform.id, period=chosen)
    return metrics_out(chosen, found, request.state.language, shown=lambda _code: True)
