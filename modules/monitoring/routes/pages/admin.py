"""Admin pages of the Monitoring module: the installation's health."""

from __future__ import annotations

from fastapi import Depends, HTTPException, Request
from fastapi.responses import Response

from modules.monitoring.services import error_service, health_service
from orion_server.config import get_settings
from orion_server.deps import CurrentUser, Reach, SessionDep, not_found_as_404
from orion_server.i18n import t
from orion_server.modules.context import get_admin_context
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
