"""Store API of the core module: the store's figures from every enabled module."""

from __future__ import annotations

from fastapi import Request

from modules.contracts.metrics import MetricPeriod
from modules.core.routes.api.metrics_views import PeriodName, metrics_out
from modules.core.schemas import MetricsOut
from orion_server.dashboards import store_metrics
from orion_server.deps import SessionDep, StaffWith
from orion_server.modules import registry
from orion_server.routing import ModuleRouter

router = ModuleRouter()



@router.get("/metrics", response_model=MetricsOut)
def get_store_metrics(
    request: Request, db: SessionDep, staff: StaffWith("core.dashboard.view"), period: PeriodName = "this_month"
) -> MetricsOut:
    """Every enabled module's figures for this store over ``period``; a module's figures are
    left out for a member who may not view that module (``<module>.view``)."""
    chosen = MetricPeriod.named(period)
    found = store_metrics(db, platform_id=staff.store.platform_id, store_id=staff.store.id, period=chosen)

    def shown(code: str) -> bool:
        view = f"{code}.view"
        module = registry.get_module(code)
        return module is None or view not in module.permission_ids() or staff.can(view)

    return metrics_out(chosen, found, request.state.language, shown=shown)
