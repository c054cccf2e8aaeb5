"""Admin API of the Monitoring module: readiness with every check's details."""

from __future__ import annotations

from typing import Any

from fastapi import Depends
from fastapi.responses import JSONResponse

from modules.monitoring.routes.pages.admin import admins_only
from orion_server import __version__
from orion_server.health import readiness
from orion_server.routing import ModuleRouter

router = ModuleRouter(dependencies=[Depends(admins_only)])


@router.get("/ready")
def ready_details() -> JSONResponse:
    """What ``/health/ready`` checked, check by check (database, migrations, each module's
    health check): 200 when ready, 503 otherwise, like the public answer."""
    ready, checks = readiness()
    body: dict[str, Any] = {"status": "ready" if ready else "not_ready", "version": __version__, "checks": checks}
    return JSONResponse(body, status_code=200 if ready else 503)
