"""Small helpers shared by the tenancy tests."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

API = "/api/v1/admin/tenancy"


def error_fields(response: Any) -> set[str]:
    """Names of the fields a 4xx JSON answer complains about (pydantic's or the service's)."""
    body = response.json()
    fields = {item["field"] for item in body.get("fields", [])}
    if body.get("field"):
        fields.add(body["field"])
    for problem in body.get("details", {}).get("problems", []):
        fields.add(problem["field"])
    return fields


def count(db: Session, model: Any, *where: Any) -> int:
    """Rows of ``model`` (matching ``where``), read outside any earlier snapshot."""
    db.rollback()
    query = select(func.count()).select_from(model)
    for condition in where:
        query = query.where(condition)
    return db.scalar(query) or 0


def enabled_modules(db: Session, platform_id: int) -> frozenset[str]:
    """Codes of the modules on for a platform, straight from the database."""
    from orion_server.modules.service import module_service

    db.rollback()
    return module_service._compute_enabled(db, platform_id)
