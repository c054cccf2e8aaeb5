"""``/health`` (the process answers) and ``/health/ready`` (it can serve)."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from sqlalchemy import text

from orion_server import __version__
from orion_server.database import db as database
from orion_server.migrations import pending_heads
from orion_server.modules import registry
from orion_server.modules.base import HealthResult

logger = logging.getLogger(__name__)
router = APIRouter(include_in_schema=False)


@router.get("/health")
async def health() -> dict[str, Any]:
    """Liveness: the process runs and answers."""
    return {"status": "ok", "version": __version__}


def readiness() -> tuple[bool, dict[str, Any]]:
    """Whether the server can serve, with one entry per check."""
    checks: dict[str, Any] = {}
    ready = True
    try:
        with database.engine.connect() as connection:
            connection.execute(text("SELECT 1"))
        checks["database"] = {"ok": True}
    except Exception as exc:
        logger.warning("readiness: database unreachable: %s", exc)
        return False, {"database": {"ok": False, "detail": "database unreachable"}}
    try:
        pending = pending_heads(database.engine)
    except Exception as exc:
        pending = {f"unknown ({exc.__class__.__name__})"}
    checks["migrations"] = {"ok": not pending, **({"pending": sorted(pending)} if pending else {})}
    ready &= not pending
    modules: dict[str, Any] = {}
    for module in registry.MODULES.values():
        if module.health_check is None:
            continue
        try:
            result = module.resolve(module.health_check)()
        except Exception as exc:
            result = HealthResult(False, f"health check raised {exc.__class__.__name__}")
        if not isinstance(result, HealthResult):
            result = HealthResult(result is not False)
        modules[module.code] = {"ok": result.ok, **({"detail": result.detail} if result.detail else {})}
        ready &= result.ok
    checks["modules"] = modules
    return ready, checks


@router.get("/health/ready")
def health_ready() -> JSONResponse:
    """Readiness: database reachable, migrations at head, every module's health check passes.
    Anyone may ask, so the answer says only ready or not: which check failed and why (paths,
    module names, migration heads) is for admins, on the monitoring module's health page and
    its admin API."""
    ready, _checks = readiness()
    return JSONResponse({"status": "ready" if ready else "not_ready"}, status_code=200 if ready else 503)
