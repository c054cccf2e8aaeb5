"""Support access: how an admin works in a store's dashboard.

An admin is nobody's store member. To open a store's dashboard they start support access for
that store, with a reason: it is recorded in the audit log (the store's owners read it there),
bound to the admin's sign-in session, shown as a banner on every page while it lasts, and ends
when the admin ends it, signs out, or after ``SUPPORT_MINUTES``; the store's owners see it
running on their audit log page and can end it at once (``core.support.end``). A platform admin
can only enter stores of their platforms.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from orion_server import audit
from orion_server.database import utcnow
from orion_server.errors import OrionError
from orion_server.forms import InputError, Problem
from orion_server.models import Store, SupportAccess, User

SUPPORT_MINUTES = 60
REASON_MIN, REASON_MAX = 5, 500


class SupportAccessRequired(OrionError):
    """An admin opened a store page without support access: pages send them to the page that
    starts it, the API answers 403."""

    status = 403
    code = "support_access_required"

    def __init__(self, store_code: str) -> None:
        super().__init__("start support access to work in this store's dashboard")
        self.entry_path = f"/store/{store_code}/support-access"


class SupportInputError(InputError):
    """The reason given for support access broke a rule."""


def active_access(db: Session, *, user_id: int, session_id: int | None, store_id: int) -> SupportAccess | None:
    """The admin's running support access to the store in this sign-in session, or None."""
    if session_id is None:
        return None
    return db.scalar(
        select(SupportAccess).where(
            SupportAccess.user_id == user_id,
            SupportAccess.session_id == session_id,
            SupportAccess.store_id == store_id,
            SupportAccess.ended_at.is_(None),
            SupportAccess.expires_at > utcnow(),
        )
    )


def start(db: Session, *, admin: User, session_id: int, store: Store, reason: str) -> SupportAccess:
    """Open support access to ``store`` for ``SUPPORT_MINUTES`` (an access already running in
    this session is ended first), recorded with the reason."""
    reason = " ".join((reason or "").split())
    if len(reason) < REASON_MIN:
        raise SupportInputError([Problem("reason", "support.errors.reason_required", {"min": REASON_MIN})])
    if len(reason) > REASON_MAX:
        raise SupportInputError([Problem("reason", "support.errors.reason_too_long", {"max": REASON_MAX})])
    now = utcnow()
    db.execute(
        update(SupportAccess)
        .where(SupportAccess.session_id == session_id, SupportAccess.store_id == store.id,
               SupportAccess.ended_at.is_(None))
        .values(ended_at=now)
    )
    access = SupportAccess(user_id=admin.id, session_id=session_id, store_id=store.id, reason=reason,
                           started_at=now, expires_at=now + timedelta(minutes=SUPPORT_MINUTES))
    db.add(access)
    audit.record(db, "support.access_started", actor=admin, platform_id=store.platform_id, store_id=store.id,
                 target=store.code, reason=reason, minutes=SUPPORT_MINUTES)
    db.commit()
    return access


def end(db: Session, *, admin: User, session_id: int | None, store: Store) -> bool:
    """End the admin's support access to ``store`` in this session; False when none was running."""
    access = active_access(db, user_id=admin.id, session_id=session_id, store_id=store.id)
    if access is None:
        return False
    access.ended_at = utcnow()
    audit.record(db, "support.access_ended", actor=admin, platform_id=store.platform_id, store_id=store.id,
                 target=store.code, reason=access.reason)
    db.commit()
    return True


def running_in_store(db: Session, *, store_id: int) -> list[tuple[SupportAccess, User]]:
    """The support accesses running in the store now with their admins, oldest first."""
    return [(access, admin) for access, admin in db.execute(
        select(SupportAccess, User).join(User, User.id == SupportAccess.user_id)
        .where(SupportAccess.store_id == store_id, SupportAccess.ended_at.is_(None),
               SupportAccess.expires_at > utcnow())
        .order_by(SupportAccess.started_at, SupportAccess.id)
    )]


def end_for_store(db: Session, *, store: Store, access_id: int, by: User) -> bool:
    """End a running support access to ``store`` on behalf of the store (its owner): the admin
    is sent back to the reason page at their next click. False when it was not running here."""
    access = db.scalar(select(SupportAccess).where(
        SupportAccess.id == access_id, SupportAccess.store_id == store.id, SupportAccess.ended_at.is_(None),
    ))
    if access is None or access.expires_at <= utcnow():
        return False
    access.ended_at = utcnow()
    admin = db.get(User, access.user_id)
    audit.record(db, "support.access_ended_by_store", actor=by, platform_id=store.platform_id, store_id=store.id,
                 target=admin.email if admin else str(access.user_id), reason=access.reason)
    db.commit()
    return True
