"""Store dashboard pages of custom reports (Enterprise): the builder and its result as a table,
a chart over time (an SVG image of its own) and CSV; the store's saved reports, opened,
renamed and deleted. Running asks for ``analytics.view``, saving for
``analytics.reports.manage``; every route asks for the plan feature ``custom_reports``."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any
from urllib.parse import urlencode

from fastapi import Depends, Request
from fastapi.responses import RedirectResponse, Response, StreamingResponse

from modules.analytics.exceptions import OrdersUnavailableError, ReportInputError
from modules.analytics.models import SavedReport
from modules.analytics.services import csv_export, custom_charts, custom_reports, reports
from modules.analytics.services.custom_reports import (
    CUSTOM_RANGE,
    DIMENSIONS,
    MEASURES,
    RANGES,
    CustomReport,
    ReportDefinition,
)
from modules.analytics.services.periods import ReportPeriod, today
from orion_server.deps import SessionDep, StaffContext, StaffWith, not_found_as_404
from orion_server.errors import NotFoundError
from orion_server.features import require_feature
from orion_server.flash import with_done
from orion_server.forms import PostedForm, form_text, form_texts
from orion_server.i18n import t
from orion_server.modules.context import get_store_context
from orion_server.routing import ModuleRouter
from orion_server.templating import render

router = ModuleRouter(dependencies=[Depends(not_found_as_404)])

ACTIVE = "analytics"
Reporter = StaffWith("analytics.view")
Manager = StaffWith("analytics.reports.manage")
CustomReports = require_feature("custom_reports")
DONE = ("saved", "renamed", "deleted")
CHART_POLICY = "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'"
"""As the other charts: the SVG styles itself and runs nothing."""


def _base(staff: StaffContext) -> str:
    return f"/store/{staff.store.code}/analytics/custom"


def _asked(values: Mapping[str, Any], many: Any) -> dict[str, Any]:
    """The builder's fields from a query or a posted form."""
    return {
        "d": [d for d in many("d") if d.strip()], "m": [m for m in many("m") if m.strip()],
        "range": (values.get("range") or CUSTOM_RANGE).strip(), "from": values.get("from") or "",
        "to": values.get("to") or "",
    }


def _from_query(request: Request) -> dict[str, Any]:
    return _asked(request.query_params, request.query_params.getlist)


def _query(definition: ReportDefinition, period: ReportPeriod) -> str:
    return urlencode([*definition.query(), ("range", CUSTOM_RANGE), ("from", period.first.isoformat()),
                      ("to", period.last.isoformat())])


def _read(values: dict[str, Any]) -> tuple[ReportDefinition, ReportPeriod]:
    return custom_reports.read_request(dimensions=values["d"], measures=values["m"], range_code=values["range"],
                                       first=values["from"], last=values["to"], on=today())


def _run(db: SessionDep, staff: StaffContext, language: str, values: dict[str, Any]) -> CustomReport:
    definition, period = _read(values)
    scope = reports.store_scope(db, store_id=staff.store.id, language=language)
    try:
        return custom_reports.run_report(db, scope=scope, definition=definition, period=period)
    except OrdersUnavailableError as exc:
        raise NotFoundError(str(exc)) from exc


def _choices(prefix: str, codes: Sequence[str], language: str) -> list[tuple[str, str]]:
    return [(code, t(f"analytics.custom.{prefix}.{code}", language)) for code in codes]


def _builder(
    request: Request, db: SessionDep, staff: StaffContext, *, values: dict[str, Any],
    errors: dict[str, str] | None = None, opened: SavedReport | None = None, status_code: int = 200,
    done: str = "", run: bool = True,
) -> Response:
    language = request.state.language
    base = _base(staff)
    errors = dict(errors or {})
    report: CustomReport | None = None
    unavailable = False
    if run and not errors and (values["d"] or values["m"]):
        try:
            report = _run(db, staff, language, values)
        except ReportInputError as exc:
            errors = exc.field_messages(language)
            status_code = 422
        except NotFoundError:
            unavailable = True
    query = _query(report.definition, report.period) if report else ""
    context = get_store_context(
        request,
        db,
        page_title=t("analytics.custom.title", language),
        active=ACTIVE,
        base=base,
        values=values,
        errors=errors,
        report=report,
        unavailable=unavailable,
        opened=opened,
        saved=custom_reports.list_saved(db, store_id=staff.store.id),
        can_manage=staff.can("analytics.reports.manage"),
        dimensions=_choices("dimension", DIMENSIONS, language),
        measures=_choices("measure", MEASURES, language),
        ranges=_choices("range", (*RANGES, CUSTOM_RANGE), language),
        saved_ranges=_choices("range", RANGES, language),
        money=custom_reports.MONEY_MEASURES,
        export_url=f"{base}/export.csv?{query}" if report else "",
        chart_url=f"{base}/chart.svg?{query}" if report and report.definition.time_dimension else "",
        flash={"kind": "ok", "message": t(f"analytics.custom.done.{done}", language)} if done in DONE else None,
    )
    return render(request, "analytics/store/custom.html", context,
                  status_code=422 if errors and status_code < 400 else status_code)


@router.get("/{store_code}/analytics/custom")
def builder(request: Request, db: SessionDep, staff: Reporter, plan: None = CustomReports,
            done: str = "") -> Response:
    """The builder; with dimensions and measures asked, their report below it."""
    return _builder(request, db, staff, values=_from_query(request), done=done)


@router.get("/{store_code}/analytics/custom/export.csv")
def export(request: Request, db: SessionDep, staff: Reporter, plan: None = CustomReports) -> Response:
    """The report's table as CSV (422 when it cannot be run)."""
    report = _run(db, staff, request.state.language, _from_query(request))
    name = csv_export.file_name(staff.store.code, "custom", report.period)
    return StreamingResponse(csv_export.csv_lines(custom_reports.csv_rows(report)),
                             media_type="text/csv; charset=utf-8",
                             headers={"Content-Disposition": f'attachment; filename="{name}"'})


@router.get("/{store_code}/analytics/custom/chart.svg")
def chart(request: Request, db: SessionDep, staff: Reporter, plan: None = CustomReports,
          theme: str = "light") -> Response:
    """The report's chart over time as an SVG image (404 for a report not over time)."""
    report = _run(db, staff, request.state.language, _from_query(request))
    if report.definition.time_dimension is None:
        raise NotFoundError("a report without a time dimension has no chart")
    svg = custom_charts.chart_svg(report, language=request.state.language, theme=theme)
    return Response(svg, media_type="image/svg+xml", headers={
        "Content-Security-Policy": CHART_POLICY, "Cache-Control": "private, max-age=60"})


@router.post("/{store_code}/analytics/custom/save")
def save(request: Request, db: SessionDep, staff: Manager, form: PostedForm,
         plan: None = CustomReports) -> Response:
    """Save the builder's definition under a name; the builder comes back with messages when
    something is wrong."""
    values = _asked(form, lambda name: form_texts(form, name))
    values["name"] = form_text(form, "name")
    values["default_range"] = form_text(form, "default_range", strip=True)
    try:
        saved = custom_reports.save_report(
            db, store_id=staff.store.id, name=values["name"], dimensions=values["d"], measures=values["m"],
            default_range=values["default_range"], user_id=staff.user.id)
    except ReportInputError as exc:
        db.rollback()
        return _builder(request, db, staff, values=values, errors=exc.field_messages(request.state.language),
                        status_code=422, run=False)
    return RedirectResponse(with_done(f"{_base(staff)}/{saved.id}", "saved"), status_code=303)


@router.get("/{store_code}/analytics/custom/{report_id}")
def open_saved(request: Request, report_id: int, db: SessionDep, staff: Reporter, plan: None = CustomReports,
               done: str = "") -> Response:
    """A saved report over its default period (or the dates asked)."""
    saved = custom_reports.get_saved(db, store_id=staff.store.id, report_id=report_id)
    asked = _from_query(request)
    values = {"d": list(saved.dimensions), "m": list(saved.measures), "range": saved.default_range,
              "from": "", "to": "", "name": saved.name, "default_range": saved.default_range}
    if asked["range"] in RANGES or (asked["range"] == CUSTOM_RANGE and (asked["from"] or asked["to"])):
        values.update({key: asked[key] for key in ("range", "from", "to")})
    return _builder(request, db, staff, values=values, opened=saved, done=done)


@router.post("/{store_code}/analytics/custom/{report_id}/rename")
def rename(request: Request, report_id: int, db: SessionDep, staff: Manager, form: PostedForm,
           plan: None = CustomReports) -> Response:
    """Give a saved report another name."""
    saved = custom_reports.get_saved(db, store_id=staff.store.id, report_id=report_id)
    try:
        custom_reports.rename_report(db, store_id=staff.store.id, report_id=saved.id,
                                     name=form_text(form, "name"))
    except ReportInputError as exc:
        db.rollback()
        saved = custom_reports.get_saved(db, store_id=staff.store.id, report_id=report_id)
        values = {"d": list(saved.dimensions), "m": list(saved.measures), "range": saved.default_range,
                  "from": "", "to": "", "rename": saved.id}
        messages = exc.field_messages(request.state.language)
        return _builder(request, db, staff, values=values, opened=saved, status_code=422,
                        errors={f"rename-{saved.id}": messages.get("name", "")})
    return RedirectResponse(with_done(_base(staff), "renamed"), status_code=303)


@router.post("/{store_code}/analytics/custom/{report_id}/delete")
def delete(report_id: int, db: SessionDep, staff: Manager, plan: None = CustomReports) -> Response:
    """Delete a saved report."""
    custom_reports.delete_report(db, store_id=staff.store.id, report_id=report_id)
    return RedirectResponse(with_done(_base(staff), "deleted"), status_code=303)
