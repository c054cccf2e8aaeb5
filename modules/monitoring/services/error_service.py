"""Unhandled errors kept grouped by platform, type and place."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError

from modules.contracts.errors import ErrorReport
from modules.monitoring.models import ErrorGroup

SHOWN = 100
"""How many groups the page lists (the most recent)."""


def fingerprint(platform_id: int | None, error_type: str, place: str) -> str:
    return hashlib.sha256(f"{platform_id}\x00{error_type}\x00{place}".encode()).hexdigest()


def record(db: Any, report: ErrorReport) -> None:
    """Count ``report`` in its group, made on its first occurrence; commits. Two workers
    meeting the same new error at once both count: the loser of the insert adds to the row."""
    now = report.occurred_at or datetime.now(UTC)
    key = fingerprint(report.platform_id, report.error_type, report.place)
    changes = {"count": ErrorGroup.count + 1, "last_seen": now, "message": report.message, "request": report.request}
    if db.execute(update(ErrorGroup).where(ErrorGroup.fingerprint == key).values(**changes)).rowcount:
        db.commit()
        return
    db.add(ErrorGroup(fingerprint=key, platform_id=report.platform_id, error_type=report.error_type,
                      place=report.place, message=report.message, request=report.request, count=1,
                      first_seen=now, last_seen=now))
    try:
        db.commit()
    except IntegrityError:
        db.rollback()
        db.execute(update(ErrorGroup).where(ErrorGroup.fingerprint == key).values(**changes))
        db.commit()


def list_groups(db: Any, *, platform_ids: list[int] | None) -> tuple[list[ErrorGroup], int]:
    """The most recent groups of the platforms (None: all), and how many there are."""
    query = select(ErrorGroup)
    if platform_ids is not None:
        query = query.where(ErrorGroup.platform_id.in_(platform_ids))
    total = db.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = db.scalars(query.order_by(ErrorGroup.last_seen.desc(), ErrorGroup.id.desc())
                      .limit(SHOWN))
    return list(rows), total
