"""Store dashboard pages of Analytics: the sales, products, customers and VAT reports of the
store for a chosen period, each chart an SVG image of its own and each table also as CSV (basic
analytics); the analytics dashboard (Professional) and the advanced statistics (Business), each
behind its plan's feature, which the basic pages point to while the plan lacks them."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from fastapi import Request
from fastapi.responses import Response, StreamingResponse

from modules.analytics.exceptions import OrdersUnavailableError
from modules.analytics.services import charts, csv_export, dashboard, reports, statistics
from modules.analytics.services.periods import parse_period, today
from orion_server.deps import SessionDep, StaffContext, StaffWith
from orion_server.errors import NotFoundError
from orion_server.features import has_feature, locked_feature, require_feature
from orion_server.i18n import t
from orion_server.modules.context import get_store_context
from orion_server.routing import ModuleRouter
from orion_server.templating import render

router = ModuleRouter()

ACTIVE = "analytics"
REPORTS = {
    "sales": reports.sales_report,
    "products": reports.products_report,
    "customers": reports.customers_report,
    "vat": reports.vat_report,
}
"""Each report page and the service function that makes it."""
PAGES = {"dashboard": "analytics_dashboard", "statistics": "advanced_analytics"}
"""The pages beyond the basic reports, and the plan feature each needs."""
Reporter = StaffWith("analytics.view")
BasicReports = require_feature("basic_analytics")
DashboardPlan = require_feature("analytics_dashboard")
AdvancedPlan = require_feature("advanced_analytics")


def _base(staff: StaffContext) -> str:
    return f"/store/{staff.store.code}/analytics"


def _report_url(base: str, name: str) -> str:
    return base if name == "sales" else f"{base}/{name}"


def _locked_here(db: SessionDep, staff: StaffContext, language: str, name: str) -> list[Any]:
    return [] if name in PAGES else _locked(db, staff, language)


def _tabs(base: str, language: str, query: str) -> list[tuple[str, str, str]]:
    """The reports' tabs, then the dashboard and the statistics."""
    tabs = [(key, t(f"analytics.reports.{key}", language), f"{_report_url(base, key)}?{query}") for key in REPORTS]
    return [*tabs, *((key, t(f"analytics.reports.{key}", language), f"{base}/{key}") for key in PAGES)]


def _locked(db: SessionDep, staff: StaffContext, language: str) -> list[Any]:
    """What the plan withholds of analytics (the upgrade notes the basic pages show): the
    dashboard, the statistics, the custom reports."""
    found = (locked_feature(db, store_id=staff.store.id, feature=feature, language=language)
             for feature in (*PAGES.values(), "custom_reports"))
    return [locked for locked in found if locked is not None]


def _page(request: Request, db: SessionDep, staff: StaffContext, name: str) -> Response:
    language = request.state.language
    values = {key: request.query_params.get(key, "") for key in ("from", "to", "by")}
    period, problems = parse_period(values, on=today())
    errors = {field: t(f"analytics.errors.{code}", language) for field, code in problems.items()}
    base = _base(staff)
    query = urlencode(period.query())
    scope = reports.store_scope(db, store_id=staff.store.id, language=language)
    report: Any = None
    unavailable = False
    try:
        report = {**REPORTS, "statistics": statistics.statistics_report}[name](db, scope=scope, period=period)
    except OrdersUnavailableError:
        unavailable = True
    context = get_store_context(
        request,
        db,
        page_title=t("analytics.title", language),
        active=ACTIVE,
        report_name=name,
        report=report,
        unavailable=unavailable,
        period=period,
        values=values if problems else period.query(),
        errors=errors,
        action=_report_url(base, name),
        tabs=_tabs(base, language, query),
        locked=_locked_here(db, staff, language, name),
        custom_url=f"{base}/custom" if has_feature(db, store_id=staff.store.id, feature="custom_reports") else None,
        export=lambda table: f"{base}/export/{table}.csv?{query}",
        chart_url=lambda chart: f"{base}/charts/{chart}.svg?{query}",
        granularities=[(key, t(f"analytics.by.{key}", language)) for key in ("day", "week", "month")],
    )
    return render(request, f"analytics/store/{name}.html", context, status_code=422 if errors else 200)


@router.get("/{store_code}/analytics")
def sales(request: Request, db: SessionDep, staff: Reporter, plan: None = BasicReports) -> Response:
    """Sales over time beside the previous period, average order value, orders by status,
    payment and shipping methods."""
    return _page(request, db, staff, "sales")


@router.get("/{store_code}/analytics/products")
def products(request: Request, db: SessionDep, staff: Reporter, plan: None = BasicReports) -> Response:
    """The best-selling products and categories, by revenue and by units."""
    return _page(request, db, staff, "products")


@router.get("/{store_code}/analytics/customers")
def customers(request: Request, db: SessionDep, staff: Reporter, plan: None = BasicReports) -> Response:
    """New against returning customers, beside the previous period."""
    return _page(request, db, staff, "customers")


@router.get("/{store_code}/analytics/vat")
def vat(request: Request, db: SessionDep, staff: Reporter, plan: None = BasicReports) -> Response:
    """VAT collected per rate over the period, as the invoices say."""
    return _page(request, db, staff, "vat")


@router.get("/{store_code}/analytics/dashboard")
def analytics_dashboard(request: Request, db: SessionDep, staff: Reporter, plan: None = DashboardPlan) -> Response:
    """Today, 7 and 30 days beside the days before, the last 30 days' trend, the best sellers."""
    language = request.state.language
    base = _base(staff)
    scope = reports.store_scope(db, store_id=staff.store.id, language=language)
    board: dashboard.Dashboard | None = None
    try:
        board = dashboard.dashboard(db, scope=scope, on=today())
    except OrdersUnavailableError:
        pass
    query = urlencode(board.month.query()) if board else ""
    context = get_store_context(
        request, db, page_title=t("analytics.dashboard.title", language), active=ACTIVE, report_name="dashboard",
        board=board, unavailable=board is None, tabs=_tabs(base, language, query),
        chart_url=lambda chart: f"{base}/charts/{chart}.svg?{query}",
    )
    return render(request, "analytics/store/dashboard.html", context)


@router.get("/{store_code}/analytics/statistics")
def advanced_statistics(request: Request, db: SessionDep, staff: Reporter, plan: None = AdvancedPlan) -> Response:
    """Cohorts of returning customers and the products bought together, over the period."""
    return _page(request, db, staff, "statistics")


@router.get("/{store_code}/analytics/export/{table}.csv")
def export(request: Request, table: str, db: SessionDep, staff: Reporter, plan: None = BasicReports) -> Response:
    """One report table as CSV for the period asked (the default period when it is unreadable)."""
    if table not in csv_export.TABLES:
        raise NotFoundError(f"no report table {table!r}")
    values = {key: request.query_params.get(key, "") for key in ("from", "to", "by")}
    period, _ = parse_period(values, on=today())
    scope = reports.store_scope(db, store_id=staff.store.id, language=request.state.language)
    try:
        rows = csv_export.table_rows(db, table=table, scope=scope, period=period)
    except OrdersUnavailableError as exc:
        raise NotFoundError(str(exc)) from exc
    name = csv_export.file_name(staff.store.code, table, period)
    return StreamingResponse(
        csv_export.csv_lines(rows),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


CHART_POLICY = "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'"
"""An SVG chart styles itself from within (pygal's ``<style>``) and runs nothing; shown through
``<img>`` it can run nothing anyway, and the page around it keeps the strict policy."""


@router.get("/{store_code}/analytics/charts/{chart}.svg")
def chart(request: Request, chart: str, db: SessionDep, staff: Reporter, plan: None = BasicReports,
          theme: str = "light") -> Response:
    """One report chart as an SVG image, light or dark, for the period asked."""
    if chart not in charts.CHARTS:
        raise NotFoundError(f"no chart {chart!r}")
    values = {key: request.query_params.get(key, "") for key in ("from", "to", "by")}
    period, _ = parse_period(values, on=today())
    scope = reports.store_scope(db, store_id=staff.store.id, language=request.state.language)
    try:
        svg = charts.chart_svg(db, chart=chart, scope=scope, period=period, theme=theme)
    except OrdersUnavailableError as exc:
        raise NotFoundError(str(exc)) from exc
    return Response(svg, media_type="image/svg+xml", headers={
        "Content-Security-Policy": CHART_POLICY, "Cache-Control": "private, max-age=60"})


# Custom reports (Enterprise) live in their own file; mounted here, under the same module gate.
from modules.analytics.routes.pages.store_custom import router as custom_router  # noqa: E402

router.include_router(custom_router)
