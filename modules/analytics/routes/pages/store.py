"""Store dashboard pages of Analytics: the sales, products, customers and VAT reports of the
store for a chosen period, each chart an SVG image of its own and each table also as CSV."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from fastapi import Request
from fastapi.responses import Response, StreamingResponse

from modules.analytics.exceptions import OrdersUnavailableError
from modules.analytics.services import charts, csv_export, reports
from modules.analytics.services.periods import parse_period, today
from orion_server.deps import SessionDep, StaffContext, StaffWith
from orion_server.errors import NotFoundError
from orion_server.features import require_feature
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
Reporter = StaffWith("analytics.view")
BasicReports = require_feature("basic_analytics")


def _base(staff: StaffContext) -> str:
    return f"/store/{staff.store.code}/analytics"


def _report_url(base: str, name: str) -> str:
    return base if name == "sales" else f"{base}/{name}"


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
        report = REPORTS[name](db, scope=scope, period=period)
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
        tabs=[(key, t(f"analytics.reports.{key}", language), f"{_report_url(base, key)}?{query}") for key in REPORTS],
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
