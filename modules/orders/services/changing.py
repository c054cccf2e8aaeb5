"""Changing an order: moves through the status machine, announced, and staff notes."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from modules.orders.announcements import announce_status
from modules.orders.exceptions import TransitionNotAllowedError
from modules.orders.models import Order, OrderNote, OrderStatus, OrderStatusChange
from modules.orders.services.rules import MAX_NOTE, TIMESTAMPS, TRANSITIONS, _refuse, _text
from orion_server.database import begin_write, utcnow
from orion_server.errors import NotFoundError
from orion_server.models import Store


class Changing:
    """Changing an order: moves through the status machine, announced, and staff notes."""

    def change_status(
        self,
        db: Session,
        *,
        order_id: int,
        store_id: int,
        to: str,
        actor: str = "",
        actor_user_id: int | None = None,
        note: str = "",
        commit: bool = True,
    ) -> Order:
        """Move the order to ``to`` when the status machine allows it, with a history row;
        refused moves raise TransitionNotAllowedError (a ValidationError on ``to``), an unknown
        status or a too long note an OrdersInputError.

        The change is announced (``OrderStatusChanged``, and ``OrderPaid`` for paid) in the same
        transaction. ``commit=False`` only flushes, for a caller that owns the transaction (an
        event listener, committed by the dispatcher with its delivery)."""
        if to not in OrderStatus.ALL:
            raise _refuse("to", "status_unknown")
        note = _text(note, "note", MAX_NOTE, too_long_key="note_too_long")
        begin_write(db)
        order = db.scalar(
            select(Order)
            .where(Order.id == order_id, Order.store_id == store_id)
            .with_for_update()
            .execution_options(populate_existing=True)  # the row as locked, not as last seen
        )
        if order is None:
            raise NotFoundError(f"no order {order_id}")
        old = order.status
        if to not in TRANSITIONS.get(old, ()):
            raise TransitionNotAllowedError(old, to)
        now = utcnow()
        order.status = to
        stamp = TIMESTAMPS.get(to)
        if stamp and getattr(order, stamp) is None:
            setattr(order, stamp, now)
        order.updated_at = now
        db.add(
            OrderStatusChange(
                order_id=order.id,
                from_status=old,
                to_status=to,
                actor=_text(actor, "actor", 200),
                actor_user_id=actor_user_id,
                note=note,
                created_at=now,
            )
        )
        db.flush()
        store = db.get(Store, store_id)
        assert store is not None
        announce_status(db, order, store, old)
        if commit:
            db.commit()
        return order

    def add_note(
        self,
        db: Session,
        *,
        order_id: int,
        store_id: int,
        body: str,
        author: str = "",
        author_user_id: int | None = None,
        commit: bool = True,
    ) -> OrderNote:
        """Keep a staff note on the order; OrdersInputError on ``body`` when empty or too long.
        ``commit=False`` leaves the commit to the caller (a listener's unit of work)."""
        body = _text(body, "body", MAX_NOTE, required=True, required_key="note_required",
                     too_long_key="note_too_long")
        begin_write(db)
        order = self.get_order(db, store_id=store_id, order_id=order_id)
        note = OrderNote(
            order_id=order.id,
            author=_text(author, "author", 200),
            author_user_id=author_user_id,
            body=body,
            created_at=utcnow(),
        )
        db.add(note)
        if commit:
            db.commit()
        return note
