"""Recording who did what: one entry in the audit log per action a person (or the system) took."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from orion_server.models import AuditEntry, User


def record(
    db: Session,
    action: str,
    *,
    target: str = "",
    actor: User | None = None,
    actor_label: str | None = None,
    platform_id: int | None = None,
    **details: Any,
) -> AuditEntry:
    """Add an audit entry to ``db``'s transaction (the caller commits it with the change).

    ``actor_label`` names an actor that is not a user (an e-mail address typed at a sign-in form,
    ``console``, ``cli``); without either, the entry is the system's."""
    label = actor.email if actor is not None else (actor_label or "system")
    entry = AuditEntry(
        actor_id=actor.id if actor is not None else None,
        actor_label=label[:200],
        action=action,
        platform_id=platform_id,
        target=target[:200],
        details=details,
    )
    db.add(entry)
    return entry
