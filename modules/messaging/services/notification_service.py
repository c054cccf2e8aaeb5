"""In-app notifications for a store's staff: created by other modules, listed and marked read."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from modules.messaging.exceptions import MessagingInputError, Problem
from modules.messaging.models import Notification
from orion_server.database import begin_write, utcnow
from orion_server.errors import NotFoundError
from orion_server.pagination import Page, clamp_page

PER_PAGE = 20
MAX_TITLE = 200
MAX_LINK = 500


@dataclass(frozen=True)
class NotificationPage(Page[Notification]):
    """One page of a store's notifications."""

    unread: int = 0


class NotificationService:
    """Business rules of staff notifications (always scoped to one store)."""

    def notify_staff(
        self,
        db: Session,
        *,
        store_id: int,
        kind: str,
        title: str,
        body: str = "",
        link: str = "",
        commit: bool = True,
    ) -> Notification:
        """Tell the store's staff about something (``kind`` e.g. ``new_order``, ``low_stock``);
        ``commit=False`` leaves the commit to the caller (an event listener, committed with its
        delivery so a notice is stored once)."""
        kind = (kind or "").strip()
        title = (title or "").strip()
        if not kind or len(kind) > 50:
            raise MessagingInputError([Problem("kind", "messaging.errors.kind_required")])
        if not title:
            raise MessagingInputError([Problem("title", "messaging.errors.title_required")])
        link = (link or "").strip()
        if link and not link.startswith("/"):
            raise MessagingInputError([Problem("link", "messaging.errors.bad_link")])
        notification = Notification(
            store_id=store_id,
            kind=kind,
            title=title[:MAX_TITLE],
            body=body or "",
            link=link[:MAX_LINK],
            created_at=utcnow(),
        )
        db.add(notification)
        if commit:
            db.commit()
        else:
            db.flush()
        return notification

    def unread_count(self, db: Session, *, store_id: int) -> int:
        """How many of the store's notifications nobody has read."""
        return db.scalar(
            select(func.count())
            .select_from(Notification)
            .where(Notification.store_id == store_id, Notification.read_at.is_(None))
        ) or 0

    def list_for_store(
        self, db: Session, *, store_id: int, page: int = 1, per_page: int = PER_PAGE, unread_only: bool = False
    ) -> NotificationPage:
        """The store's notifications, newest first, one page at a time."""
        query = select(Notification).where(Notification.store_id == store_id)
        if unread_only:
            query = query.where(Notification.read_at.is_(None))
        total = db.scalar(select(func.count()).select_from(query.subquery())) or 0
        page = clamp_page(page, total, per_page)
        items = list(
            db.scalars(
                query.order_by(Notification.created_at.desc(), Notification.id.desc())
                .offset((page - 1) * per_page)
                .limit(per_page)
            )
        )
        return NotificationPage(items, total, page, per_page, self.unread_count(db, store_id=store_id))

    def mark_read(self, db: Session, *, store_id: int, notification_id: int) -> Notification:
        """Mark one of the store's notifications read (another store's: NotFoundError)."""
        begin_write(db)
        notification = db.get(Notification, notification_id)
        if notification is None or notification.store_id != store_id:
            db.rollback()
            raise NotFoundError("notification not found")
        if notification.read_at is None:
            notification.read_at = utcnow()
        db.commit()
        return notification

    def mark_all_read(self, db: Session, *, store_id: int) -> int:
        """Mark every unread notification of the store read; returns how many."""
        begin_write(db)
        result = db.execute(
            update(Notification)
            .where(Notification.store_id == store_id, Notification.read_at.is_(None))
            .values(read_at=utcnow())
            .execution_options(synchronize_session=False)
        )
        db.commit()
        return result.rowcount or 0


notification_service = NotificationService()
