"""Admin pages of Analytics: the sales report of a platform's stores together, with each store's
share, for a platform in the admin's reach (``?platform=code``; others answer 404) where
analytics is on."""

from __future__ import annotations

from urllib.parse import urlencode

from fastapi import Depends, Request
from fastapi.responses import Response

from modules.analytics.exceptions import OrdersUnavailableError
from modules.analytics.services import reports
from modules.analytics.services.periods import parse_period, today
from orion_server.deps import Reach, SessionDep, not_found_as_404
from orion_server.errors import NotFoundError
from orion_server.i18n import t
from orion_server.modules.context import get_admin_context
from orion_server.modules.service import module_service
from orion_server.routing import ModuleRouter
from orion_server.templating import render

router = ModuleRouter(dependencies=[Depends(not_found_as_404)])

BASE = "/admin/analytics"


@router.get("/analytics")
def platform_report(request: Request, db: SessionDep, reach: Reach, platform: str = "") -> Response:
    """Sales of every store of the chosen platform over the period, beside the previous one, and
    each store's orders and revenue."""
    language = request.state.language
    chosen = reach.chosen_platform(db, request, platform)
    if not module_service.is_module_enabled(db, chosen.id, "analytics"):
        raise NotFoundError(f"analytics is off on platform {chosen.code}")
    values = {key: request.query_params.get(key, "") for key in ("from", "to", "by")}
    period, problems = parse_period(values, on=today())
    errors = {field: t(f"analytics.errors.{code}", language) for field, code in problems.items()}
    scope = reports.platform_scope(db, platform_id=chosen.id, language=language)
    report = None
    stores = []
    try:
        if scope.store_ids:
            report = reports.sales_report(db, scope=scope, period=period)
            stores = reports.store_totals(db, scope=scope, period=period)
    except OrdersUnavailableError:
        report = None
    context = get_admin_context(
        request, db, page_title=t("analytics.admin.title", language), active="analytics-admin",
        platforms=reach.platforms(db), edited_platform=chosen, base=BASE, report=report, stores=stores,
        no_stores=not scope.store_ids, period=period, values=values if problems else period.query(),
        errors=errors, hidden={"platform": chosen.code},
        granularities=[(key, t(f"analytics.by.{key}", language)) for key in ("day", "week", "month")],
        query=urlencode({"platform": chosen.code, **period.query()}),
    )
    return render(request, "analytics/admin/platform.html", context, status_code=422 if errors else 200)
