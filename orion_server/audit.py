"""Who did what: one entry in the audit log per action a person (or the system) took, and the
search behind the audit viewers."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from orion_server.models import AuditEntry, User
from orion_server.pagination import Page, clamp_page


def record(
    db: Session,
    action: str,
    *,
    target: str = "",
    actor: User | None = None,
    actor_label: str | None = None,
    platform_id: int | None = None,
    store_id: int | None = None,
    **details: Any,
) -> AuditEntry:
    """Add an audit entry to ``db``'s transaction (the caller commits it with the change).

    ``actor_label`` names an actor that is not a user (an e-mail address typed at a sign-in form,
    ``console``, ``cli``); without either, the entry is the system's. A change of settings puts
    ``before`` and ``after`` in ``details``."""
    label = actor.email if actor is not None else (actor_label or "system")
    entry = AuditEntry(
        actor_id=actor.id if actor is not None else None,
        actor_label=label[:200],
        action=action,
        platform_id=platform_id,
        store_id=store_id,
        target=target[:200],
        details=details,
    )
    db.add(entry)
    return entry


@dataclass(frozen=True)
class AuditFilter:
    """What the audit viewer narrows the log to; empty fields do not narrow."""

    who: str = ""
    platform_id: int | None = None
    store_id: int | None = None
    module: str = ""
    action: str = ""
    since: date | None = None
    until: date | None = None


PER_PAGE = 50


def search(
    db: Session, chosen: AuditFilter, *, page: int = 1, platform_ids: Collection[int] | None = None
) -> Page[AuditEntry]:
    """The entries matching ``chosen``, newest first; ``platform_ids`` limits them to those
    platforms (a platform admin's), None to none."""
    query = select(AuditEntry)
    if platform_ids is not None:
        query = query.where(AuditEntry.platform_id.in_(list(platform_ids)))
    if chosen.who:
        query = query.where(func.lower(AuditEntry.actor_label).contains(chosen.who.strip().lower(), autoescape=True))
    if chosen.platform_id is not None:
        query = query.where(AuditEntry.platform_id == chosen.platform_id)
    if chosen.store_id is not None:
        query = query.where(AuditEntry.store_id == chosen.store_id)
    if chosen.module:
        query = query.where(AuditEntry.action.startswith(chosen.module + ".", autoescape=True))
    if chosen.action:
        query = query.where(AuditEntry.action.contains(chosen.action.strip(), autoescape=True))
    if chosen.since is not None:
        query = query.where(AuditEntry.created_at >= datetime.combine(chosen.since, time.min, tzinfo=UTC))
    if chosen.until is not None:
        query = query.where(AuditEntry.created_at < datetime.combine(chosen.until + timedelta(days=1), time.min,
                                                                     tzinfo=UTC))
    total = db.scalar(select(func.count()).select_from(query.subquery())) or 0
    page = clamp_page(page, total, PER_PAGE)
    items = list(db.scalars(
        query.order_by(AuditEntry.created_at.desc(), AuditEntry.id.desc()).offset((page - 1) * PER_PAGE).limit(PER_PAGE)
    ))
    return Page(items, total, page, PER_PAGE)


def modules_in_log(db: Session) -> list[str]:
    """The areas (first words of actions) the log holds, for the viewer's filter."""
    actions = db.scalars(select(AuditEntry.action).distinct())
    return sorted({action.split(".", 1)[0] for action in actions})
