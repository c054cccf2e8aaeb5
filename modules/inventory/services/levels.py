"""Changing stock levels: every change of ``on_hand`` writes its movement in the same
transaction, never goes below zero nor below what is reserved, and crossing the low-stock
threshold is announced once."""

from __future__ import annotations

import logging
from typing import Any

from sqlalchemy import update
from sqlalchemy.orm import Session

from modules.inventory.announcements import announce_low_stock, announce_stock_changed
from modules.inventory.exceptions import StockInputError
from modules.inventory.models import MovementReason, StockItem, StockMovement
from modules.inventory.services.rules import DEFAULT_LOCATION, MAX_ACTOR
from orion_server.database import begin_write, utcnow

logger = logging.getLogger(__name__)


class Levels:
    """Changing stock levels: every change of ``on_hand`` writes its movement in the same
    transaction, never goes below zero nor below what is reserved, and crossing the low-stock
    threshold is announced once."""

    def _change(
        self,
        db: Session,
        item: StockItem,
        quantity: int,
        reason: MovementReason,
        *,
        actor: str | None,
        actor_id: int | None,
        reference: str | None,
        note: str | None,
    ) -> None:
        """Add ``quantity`` to on_hand with a movement, in the caller's write transaction."""
        if item.is_unlimited:
            raise StockInputError("quantity", "inventory.errors.unlimited")
        result = db.execute(
            update(StockItem)
            .where(StockItem.id == item.id, StockItem.on_hand + quantity >= StockItem.reserved)
            .values(on_hand=StockItem.on_hand + quantity, updated_at=utcnow())
            .execution_options(synchronize_session=False)
        )
        db.refresh(item)
        if result.rowcount != 1:
            if item.on_hand + quantity < 0:
                raise StockInputError(
                    "quantity", "inventory.errors.below_zero", sku=item.sku, on_hand=item.on_hand
                )
            raise StockInputError(
                "quantity",
                "inventory.errors.below_reserved",
                sku=item.sku,
                free=item.on_hand - item.reserved,
                reserved=item.reserved,
            )
        db.add(
            StockMovement(
                item_id=item.id,
                quantity=quantity,
                reason=reason.value,
                actor_id=actor_id,
                actor_label=actor[:MAX_ACTOR] if actor else None,
                reference=reference,
                note=note,
            )
        )
        self._track_low_stock(db, item)
        announce_stock_changed(db, item)

    @staticmethod
    def _track_sold_out(db: Session, item: StockItem, change: int) -> None:
        """Announce ``StockChanged`` when ``change`` (of the units that can be sold, already
        applied to ``item``) sold the SKU out or brought it back; other changes of a
        reservation are not announced (a listing shows them the same)."""
        after = item.on_hand - item.reserved
        if (after > 0) != (after - change > 0):
            announce_stock_changed(db, item)

    def _track_low_stock(self, db: Session, item: StockItem) -> None:
        """Record a crossing of the threshold on the item and announce it to the store's staff,
        in the caller's transaction (once per crossing)."""
        if item.is_low:
            if item.low_stock_since is None:
                item.low_stock_since = utcnow()
                available = item.on_hand - item.reserved
                logger.info("low stock: store %s sku %s available %s", item.store_id, item.sku, available)
                announce_low_stock(db, item, available)
        elif item.low_stock_since is not None:
            item.low_stock_since = None

    def receive(
        self,
        db: Session,
        *,
        store_id: int,
        sku: str,
        quantity: int,
        reason: MovementReason | str = MovementReason.RECEIPT,
        location_code: str = DEFAULT_LOCATION,
        actor: str | None = None,
        actor_id: int | None = None,
        reference: str | None = None,
        note: str | None = None,
        threshold: int | str | None = None,
    ) -> StockItem:
        """Add delivered units (the item and its location are made when missing)."""
        sku = self.clean_sku(sku)
        quantity = self.clean_quantity(quantity, positive=True)
        reason = self.clean_reason(reason)
        threshold = self.clean_threshold(threshold)
        reference = self._clean_reference(reference, required=False)
        note = self._clean_note(note)
        begin_write(db)
        item = self._find_item(db, store_id, sku, location_code)
        if item is None:
            location = self._get_or_create_location(db, store_id, location_code)
            item = StockItem(store_id=store_id, sku=sku, location_id=location.id, on_hand=0, reserved=0)
            db.add(item)
        if threshold is not None:
            item.low_stock_threshold = threshold
        db.flush()
        try:
            self._change(
                db, item, quantity, reason, actor=actor, actor_id=actor_id, reference=reference, note=note
            )
            db.commit()
        except BaseException:
            db.rollback()
            raise
        return item

    def adjust(
        self,
        db: Session,
        *,
        store_id: int,
        sku: str,
        quantity: int | str,
        reason: MovementReason | str = MovementReason.ADJUSTMENT,
        location_code: str = DEFAULT_LOCATION,
        actor: str | None = None,
        actor_id: int | None = None,
        reference: str | None = None,
        note: str | None = None,
    ) -> StockItem:
        """Add (positive) or remove (negative) units of an existing item, with a reason.

        StockInputError when the level would go below zero or below what is reserved;
        NotFoundError when the store has no such item.
        """
        sku = self.clean_sku(sku)
        quantity = self.clean_quantity(quantity)
        reason = self.clean_reason(reason)
        reference = self._clean_reference(reference, required=False)
        note = self._clean_note(note)
        begin_write(db)
        try:
            item = self.get_item_by_sku(db, store_id=store_id, sku=sku, location_code=location_code)
            self._change(
                db, item, quantity, reason, actor=actor, actor_id=actor_id, reference=reference, note=note
            )
            db.commit()
        except BaseException:
            db.rollback()
            raise
        return item

    def adjust_item(
        self, db: Session, *, store_id: int, item_id: int, quantity: int | str, **kwargs: Any
    ) -> StockItem:
        """``adjust`` for one of the store's items by id (the dashboard's form)."""
        item = self.get_item(db, store_id=store_id, item_id=item_id)
        return self.adjust(
            db, store_id=store_id, sku=item.sku, location_code=item.location.code, quantity=quantity, **kwargs
        )
