"""Admin pages of the Monitoring module: the installation's health, its unhandled errors, its
logs (with the support bundle) and its background tasks."""

from __future__ import annotations

from fastapi import Depends, HTTPException, Request
from fastapi.responses import RedirectResponse, Response

from modules.monitoring.exceptions import LogFilterError
from modules.monitoring.services import error_service, health_service, log_service, task_service
from orion_server.config import get_settings
from orion_server.deps import AdminReach, CurrentUser, Reach, SessionDep, not_found_as_404
from orion_server.flash import flash_for, with_done
from orion_server.forms import PostedForm, field_messages
from orion_server.i18n import t
from orion_server.models import Platform
from orion_server.modules.context import get_admin_context
from orion_server.pagination import page_number
from orion_server.routing import ModuleRouter
from orion_server.task_queue import huey
from orion_server.templating import render


async def admins_only(user: CurrentUser) -> None:
    """An internal module: anyone but a platform admin is told there is nothing here."""
    if not user.is_admin:
        raise HTTPException(status_code=404)


router = ModuleRouter(dependencies=[Depends(not_found_as_404), Depends(admins_only)])


@router.get("/monitoring/health")
def health_page(request: Request, db: SessionDep, reach: Reach) -> Response:
    """Database, task queue, disk, last backup, certificate and every module's check on the
    platforms in the admin's reach."""
    platforms = reach.platforms(db)
    report = health_service.health_report(
        db, settings=get_settings(), huey=huey.instance, platform_ids=[p.id for p in platforms])
    context = get_admin_context(
        request, db, page_title=t("monitoring.health.title", request.state.language), active="monitoring-health",
        report=report, platforms=platforms, gib=1024**3,
    )
    return render(request, "monitoring/admin/health.html", context)


@router.get("/monitoring/errors")
def errors_page(request: Request, db: SessionDep, reach: Reach) -> Response:
    """Unhandled errors of the platforms in reach, grouped by type and place, the most recent
    first, each with its count, first and last time and its last (redacted) request."""
    platforms = {p.id: p for p in reach.platforms(db)}
    ids = None if reach.platform_ids is None else list(platforms)
    groups, total = error_service.list_groups(db, platform_ids=ids)
    context = get_admin_context(
        request, db, page_title=t("monitoring.errors.title", request.state.language), active="monitoring-errors",
        groups=groups, total=total, platforms=platforms,
    )
    return render(request, "monitoring/admin/errors.html", context)


# --- logs -----------------------------------------------------------------------------------

def _log_scope(reach: AdminReach, platforms: list[Platform]) -> list[str] | None:
    """The platform codes whose records the admin may read (None: every record)."""
    return None if reach.platform_ids is None else [p.code for p in platforms]


def _logs_page(request: Request, db: SessionDep, reach: AdminReach, *, listing: log_service.LogListing | None,
               filters: log_service.LogFilters, errors: dict[str, str] | None = None, window: str = "",
               status_code: int = 200) -> Response:
    ui = request.state.language
    platforms = reach.platforms(db)
    context = get_admin_context(
        request, db, page_title=t("monitoring.logs.title", ui), active="monitoring-logs",
        listing=listing, filters=filters, errors=errors or {}, levels=log_service.LEVELS,
        platforms=platforms, may_bundle=reach.platform_ids is None,
        window=window or log_service.DEFAULT_WINDOW, base=f"/admin/monitoring/logs?{filters.query()}",
    )
    return render(request, "monitoring/admin/logs.html", context, status_code=status_code)


@router.get("/monitoring/logs")
def logs_page(request: Request, db: SessionDep, reach: Reach, page: int = 1) -> Response:
    """The records of logs.db, newest first, filtered by level, module, platform, store, time
    and text; an admin of some platforms sees only the records made for them."""
    platforms = reach.platforms(db)
    scope = _log_scope(reach, platforms)
    try:
        filters = log_service.read_filters(request.query_params, platform_codes=[p.code for p in platforms])
    except LogFilterError as exc:
        return _logs_page(request, db, reach, listing=None, filters=log_service.raw_filters(request.query_params),
                          errors=field_messages(exc, request.state.language), status_code=exc.status)
    listing = log_service.list_records(filters, page=page_number(page), platform_codes=scope)
    return _logs_page(request, db, reach, listing=listing, filters=filters)


@router.get("/monitoring/logs/bundle")
def support_bundle(request: Request, db: SessionDep, reach: Reach, window: str = "") -> Response:
    """The support bundle of the last ``window`` (logs, versions, module states, migration
    heads, redacted settings) as a zip: every platform's, so for super admins only."""
    if reach.platform_ids is not None:
        raise HTTPException(status_code=404)
    try:
        name, content = log_service.support_bundle(window or log_service.DEFAULT_WINDOW)
    except LogFilterError as exc:
        filters = log_service.LogFilters()
        listing = log_service.list_records(filters, platform_codes=None)
        return _logs_page(request, db, reach, listing=listing, filters=filters, window=window[:20],
                          errors=field_messages(exc, request.state.language), status_code=exc.status)
    return Response(content, media_type="application/zip",
                    headers={"Content-Disposition": f'attachment; filename="{name}"', "Cache-Control": "no-store"})


# --- background tasks -----------------------------------------------------------------------

TASK_FLASHES = ("retried", "revoked")
BASE_TASKS = "/admin/monitoring/tasks"


@router.get("/monitoring/tasks")
def tasks_page(request: Request, db: SessionDep, page: int = 1, status: str = "", done: str = "") -> Response:
    """Pending, scheduled and failed tasks with their (redacted) arguments, the recent runs
    with their results and durations, and the outboxes' backlogs."""
    ui = request.state.language
    status = status if status in task_service.STATUSES else ""
    context = get_admin_context(
        request, db, page_title=t("monitoring.tasks.title", ui), active="monitoring-tasks",
        overview=task_service.overview(db, huey.instance, page=page_number(page), status=status),
        statuses=task_service.STATUSES, status=status,
        base=f"{BASE_TASKS}?status={status}&" if status else f"{BASE_TASKS}?",
        flash=flash_for(done, prefix="monitoring.tasks.flash.", allowed=TASK_FLASHES, language=ui),
    )
    return render(request, "monitoring/admin/tasks.html", context)


@router.post("/monitoring/tasks/{task_id}/retry")
def retry_task(task_id: str, form: PostedForm) -> Response:
    """Run a failed task again with the same arguments."""
    task_service.retry(huey.instance, task_id)
    return RedirectResponse(with_done(BASE_TASKS, "retried"), status_code=303)


@router.post("/monitoring/tasks/{task_id}/revoke")
def revoke_task(task_id: str, form: PostedForm) -> Response:
    """Have a pending or scheduled task skipped when its turn comes."""
    task_service.revoke(huey.instance, task_id)
    return RedirectResponse(with_done(BASE_TASKS, "revoked"), status_code=303)
