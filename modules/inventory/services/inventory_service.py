"""Stock levels, the movement ledger and reservations, keyed by store and SKU.

Rules:
- an item's ``on_hand`` always equals the sum of its movements: every change of ``on_hand``
  writes a movement in the same transaction;
- ``on_hand`` never goes below zero nor below what is reserved (the database checks it too);
- a unit is never sold twice: a reservation decrements with a conditional UPDATE
  (``... WHERE on_hand - reserved >= :q``) inside a write transaction and checks the row
  count; on SQLite the write transaction holds the database's write lock, on PostgreSQL the
  UPDATE takes the row lock and re-checks its condition once the lock is free;
- a reservation of several lines is all or nothing, and reserving a reference twice returns
  the first reservation.

Catalog asks for stock by SKU; inventory never imports catalog.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import case, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from modules.inventory.announcements import announce_low_stock
from modules.inventory.exceptions import OutOfStockError, ReservationStateError, StockInputError
from modules.inventory.models import (
    MovementReason,
    ReservationStatus,
    StockItem,
    StockLocation,
    StockMovement,
    StockReservation,
)
from orion_server.database import begin_write, utcnow
from orion_server.errors import NotFoundError
from orion_server.pagination import Page

logger = logging.getLogger(__name__)

DEFAULT_LOCATION = "main"
MAX_SKU = 100
MAX_REFERENCE = 100
MAX_NOTE = 500
MAX_ACTOR = 255
MAX_QUANTITY = 1_000_000
DEFAULT_HOLD = timedelta(minutes=30)
"""How long a reservation is held before ``release_expired`` gives its units back."""
MANUAL_REASONS = (
    MovementReason.RECEIPT,
    MovementReason.ADJUSTMENT,
    MovementReason.RETURN,
    MovementReason.CORRECTION,
)
"""Reasons staff may give; ``sale`` movements come only from committed reservations."""

def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


class InventoryService:
    """Business rules of stock: levels, ledger, reservations, low-stock alerts."""

    # -- input ------------------------------------------------------------------------------

    @staticmethod
    def clean_sku(sku: Any, field: str = "sku") -> str:
        """The SKU stripped; StockInputError when empty, too long or holding ``/`` or control
        characters (SKUs appear in URLs)."""
        if not isinstance(sku, str) or not sku.strip():
            raise StockInputError(field, "inventory.errors.sku_required")
        sku = sku.strip()
        if len(sku) > MAX_SKU:
            raise StockInputError(field, "inventory.errors.sku_too_long", max=MAX_SKU)
        if "/" in sku or any(ord(ch) < 32 or ord(ch) == 127 for ch in sku):
            raise StockInputError(field, "inventory.errors.sku_invalid")
        return sku

    @staticmethod
    def clean_quantity(quantity: Any, *, positive: bool = False, field: str = "quantity") -> int:
        """A whole number within ±MAX_QUANTITY, never zero (and above zero when ``positive``)."""
        if isinstance(quantity, str):
            try:
                quantity = int(quantity.strip())
            except ValueError:
                raise StockInputError(field, "inventory.errors.quantity_not_number") from None
        if isinstance(quantity, bool) or not isinstance(quantity, int):
            raise StockInputError(field, "inventory.errors.quantity_not_number")
        if abs(quantity) > MAX_QUANTITY:
            raise StockInputError(field, "inventory.errors.quantity_too_large", max=MAX_QUANTITY)
        if quantity == 0:
            raise StockInputError(field, "inventory.errors.quantity_zero")
        if positive and quantity < 0:
            raise StockInputError(field, "inventory.errors.quantity_positive")
        return quantity

    @staticmethod
    def clean_threshold(threshold: Any) -> int | None:
        """None (no alert) or a whole number from 0 to MAX_QUANTITY."""
        if threshold is None or (isinstance(threshold, str) and not threshold.strip()):
            return None
        if isinstance(threshold, str):
            try:
                threshold = int(threshold.strip())
            except ValueError:
                raise StockInputError("threshold", "inventory.errors.threshold_invalid") from None
        if isinstance(threshold, bool) or not isinstance(threshold, int):
            raise StockInputError("threshold", "inventory.errors.threshold_invalid")
        if not 0 <= threshold <= MAX_QUANTITY:
            raise StockInputError("threshold", "inventory.errors.threshold_invalid")
        return threshold

    @staticmethod
    def clean_reason(reason: Any) -> MovementReason:
        """One of the reasons staff may give."""
        try:
            value = MovementReason(reason)
        except ValueError:
            value = None
        if value not in MANUAL_REASONS:
            raise StockInputError("reason", "inventory.errors.reason_invalid")
        return value  # type: ignore[return-value]

    @staticmethod
    def _clean_reference(reference: Any, *, required: bool) -> str | None:
        if reference is None or (isinstance(reference, str) and not reference.strip()):
            if required:
                raise StockInputError("reference", "inventory.errors.reference_required")
            return None
        if not isinstance(reference, str):
            raise StockInputError("reference", "inventory.errors.reference_required")
        reference = reference.strip()
        if len(reference) > MAX_REFERENCE:
            raise StockInputError("reference", "inventory.errors.reference_too_long", max=MAX_REFERENCE)
        return reference

    @staticmethod
    def _clean_note(note: Any) -> str | None:
        if note is None:
            return None
        note = str(note).strip()
        if len(note) > MAX_NOTE:
            raise StockInputError("note", "inventory.errors.note_too_long", max=MAX_NOTE)
        return note or None

    # -- locations and items ----------------------------------------------------------------

    def _location(self, db: Session, store_id: int, code: str) -> StockLocation | None:
        return db.scalar(
            select(StockLocation).where(StockLocation.store_id == store_id, StockLocation.code == code)
        )

    def _get_or_create_location(self, db: Session, store_id: int, code: str) -> StockLocation:
        location = self._location(db, store_id, code)
        if location is None:
            name = "Main location" if code == DEFAULT_LOCATION else code
            location = StockLocation(store_id=store_id, code=code, name=name)
            db.add(location)
            db.flush()
        return location

    def _find_item(
        self, db: Session, store_id: int, sku: str, location_code: str
    ) -> StockItem | None:
        return db.scalar(
            select(StockItem)
            .join(StockLocation, StockItem.location_id == StockLocation.id)
            .where(
                StockItem.store_id == store_id,
                StockItem.sku == sku,
                StockLocation.code == location_code,
            )
            .execution_options(populate_existing=True)
        )

    def ensure_item(
        self,
        db: Session,
        *,
        store_id: int,
        sku: str,
        location_code: str = DEFAULT_LOCATION,
        threshold: int | None = None,
        unlimited: bool | None = None,
    ) -> StockItem:
        """The item of ``sku`` at the location, made (with the location) when missing.

        ``threshold`` and ``unlimited``, when given, are set on an existing item too.
        """
        sku = self.clean_sku(sku)
        threshold = self.clean_threshold(threshold)
        begin_write(db)
        item = self._find_item(db, store_id, sku, location_code)
        try:
            if item is None:
                location = self._get_or_create_location(db, store_id, location_code)
                item = StockItem(
                    store_id=store_id,
                    sku=sku,
                    location_id=location.id,
                    on_hand=0,
                    reserved=0,
                    low_stock_threshold=threshold,
                    is_unlimited=bool(unlimited),
                )
                db.add(item)
            else:
                if threshold is not None:
                    item.low_stock_threshold = threshold
                if unlimited is not None:
                    item.is_unlimited = unlimited
            db.flush()
            db.commit()
        except IntegrityError:  # made by someone else meanwhile (PostgreSQL)
            db.rollback()
            item = self._find_item(db, store_id, sku, location_code)
            if item is None:
                raise
        return item

    def set_threshold(
        self, db: Session, *, store_id: int, item_id: int, threshold: int | str | None
    ) -> StockItem:
        """Change (or clear, with None) the low-stock threshold of one of the store's items."""
        threshold = self.clean_threshold(threshold)
        begin_write(db)
        item = self.get_item(db, store_id=store_id, item_id=item_id)
        item.low_stock_threshold = threshold
        self._track_low_stock(db, item)
        db.commit()
        return item

    def get_item(self, db: Session, *, store_id: int, item_id: int) -> StockItem:
        """One of the store's items; NotFoundError for another store's."""
        item = db.scalar(
            select(StockItem)
            .where(StockItem.id == item_id, StockItem.store_id == store_id)
            .execution_options(populate_existing=True)
        )
        if item is None:
            raise NotFoundError(f"stock item {item_id} does not exist")
        return item

    def items_for_sku(self, db: Session, *, store_id: int, sku: str) -> list[StockItem]:
        """Every location's item of ``sku`` in the store, the default location first."""
        rows = db.scalars(
            select(StockItem)
            .join(StockLocation, StockItem.location_id == StockLocation.id)
            .where(StockItem.store_id == store_id, StockItem.sku == sku)
            .order_by((StockLocation.code != DEFAULT_LOCATION), StockItem.id)
        )
        return list(rows)

    def get_item_by_sku(
        self, db: Session, *, store_id: int, sku: str, location_code: str = DEFAULT_LOCATION
    ) -> StockItem:
        """The store's item of ``sku`` at a location; NotFoundError when it has none."""
        item = self._find_item(db, store_id, sku, location_code)
        if item is None:
            raise NotFoundError(f"no stock item {sku!r} at location {location_code!r}")
        return item

    # -- changing levels --------------------------------------------------------------------

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

    # -- reading ----------------------------------------------------------------------------

    def available(self, db: Session, *, store_id: int, skus: Iterable[str]) -> dict[str, int | None]:
        """``{sku: units that can be sold}`` summed over locations; None for unlimited items,
        0 for SKUs the store does not stock."""
        wanted = list(dict.fromkeys(skus))
        result: dict[str, int | None] = {sku: 0 for sku in wanted}
        if not wanted:
            return result
        rows = db.execute(
            select(
                StockItem.sku,
                func.sum(StockItem.on_hand - StockItem.reserved),
                func.max(case((StockItem.is_unlimited.is_(True), 1), else_=0)),
            )
            .where(StockItem.store_id == store_id, StockItem.sku.in_(wanted))
            .group_by(StockItem.sku)
        )
        for sku, free, unlimited in rows:
            result[sku] = None if unlimited else int(free or 0)
        return result

    def list_items(
        self,
        db: Session,
        *,
        store_id: int,
        search: str = "",
        low_only: bool = False,
        page: int = 1,
        per_page: int = 25,
    ) -> Page:
        """The store's items by SKU, filtered by part of the SKU and/or to low stock."""
        query = select(StockItem).where(StockItem.store_id == store_id)
        search = (search or "").strip()
        if search:
            query = query.where(StockItem.sku.ilike(f"%{_escape_like(search)}%", escape="\\"))
        if low_only:
            query = query.where(
                StockItem.is_unlimited.is_(False),
                StockItem.low_stock_threshold.is_not(None),
                StockItem.on_hand - StockItem.reserved <= StockItem.low_stock_threshold,
            )
        total = db.scalar(select(func.count()).select_from(query.subquery())) or 0
        page = max(1, page)
        items = list(
            db.scalars(
                query.order_by(StockItem.sku, StockItem.location_id)
                .offset((page - 1) * per_page)
                .limit(per_page)
                .execution_options(populate_existing=True)
            )
        )
        return Page(items, total, page, per_page)

    def list_movements(
        self,
        db: Session,
        *,
        store_id: int,
        item_ids: list[int],
        page: int = 1,
        per_page: int = 25,
    ) -> Page:
        """Movements of the store's items, newest first."""
        query = (
            select(StockMovement)
            .join(StockItem, StockMovement.item_id == StockItem.id)
            .where(StockItem.store_id == store_id, StockMovement.item_id.in_(item_ids))
        )
        total = db.scalar(select(func.count()).select_from(query.subquery())) or 0
        page = max(1, page)
        rows = list(
            db.scalars(
                query.order_by(StockMovement.created_at.desc(), StockMovement.id.desc())
                .offset((page - 1) * per_page)
                .limit(per_page)
            )
        )
        return Page(rows, total, page, per_page)

    def ledger_total(self, db: Session, *, item_id: int) -> int:
        """The sum of an item's movements (which equals its on_hand)."""
        return int(
            db.scalar(select(func.coalesce(func.sum(StockMovement.quantity), 0)).where(StockMovement.item_id == item_id))
        )

    # -- reservations -----------------------------------------------------------------------

    def _reservations(
        self, db: Session, *, reference: str, store_id: int | None
    ) -> list[tuple[StockReservation, StockItem]]:
        query = (
            select(StockReservation, StockItem)
            .join(StockItem, StockReservation.item_id == StockItem.id)
            .where(StockReservation.reference == reference)
            .order_by(StockReservation.item_id)
            .execution_options(populate_existing=True)
        )
        if store_id is not None:
            query = query.where(StockItem.store_id == store_id)
        return [(r, i) for r, i in db.execute(query)]

    def reserve(
        self,
        db: Session,
        *,
        store_id: int,
        lines: Iterable[tuple[str, int]],
        reference: str,
        hold: timedelta = DEFAULT_HOLD,
    ) -> list[int]:
        """Hold units of every line under ``reference``, all or nothing; the reservation ids.

        A line is served from one location, the default one first. OutOfStockError names every
        short SKU and reserves nothing. Reserving a reference again returns the first
        reservation's ids (whatever its state), without reserving more.
        """
        reference = self._clean_reference(reference, required=True)
        assert reference is not None
        wanted: dict[str, int] = {}
        for sku, quantity in lines:
            sku = self.clean_sku(sku)
            wanted[sku] = wanted.get(sku, 0) + self.clean_quantity(quantity, positive=True)
        if not wanted:
            raise StockInputError("lines", "inventory.errors.lines_required")
        begin_write(db)
        try:
            existing = self._reservations(db, reference=reference, store_id=store_id)
            if existing:
                db.commit()
                return [r.id for r, _item in existing]
            candidates: dict[str, list[StockItem]] = {}
            for item in db.scalars(
                select(StockItem)
                .join(StockLocation, StockItem.location_id == StockLocation.id)
                .where(StockItem.store_id == store_id, StockItem.sku.in_(list(wanted)))
                .order_by(StockItem.sku, (StockLocation.code != DEFAULT_LOCATION), StockItem.id)
            ):
                candidates.setdefault(item.sku, []).append(item)
            short: list[str] = []
            served: list[tuple[StockItem, int]] = []
            # A fixed order (by SKU, then location) so concurrent reservations lock rows alike.
            for sku in sorted(wanted):
                quantity = wanted[sku]
                for item in candidates.get(sku, []):
                    if item.is_unlimited or self._take(db, item.id, quantity):
                        served.append((item, quantity))
                        break
                else:
                    short.append(sku)
            if short:
                db.rollback()
                raise OutOfStockError([sku for sku in wanted if sku in short])
            expires_at = utcnow() + hold
            reservations = [
                StockReservation(item_id=item.id, quantity=quantity, reference=reference, expires_at=expires_at)
                for item, quantity in served
            ]
            db.add_all(reservations)
            db.flush()
            for item, _quantity in served:
                if not item.is_unlimited:
                    db.refresh(item)
                    self._track_low_stock(db, item)
            db.commit()
        except IntegrityError:
            # The same reference was reserved at the same moment (PostgreSQL): answer with it.
            db.rollback()
            existing = self._reservations(db, reference=reference, store_id=store_id)
            if not existing:
                raise
            return [r.id for r, _item in existing]
        except BaseException:
            db.rollback()
            raise
        order = {sku: index for index, sku in enumerate(wanted)}
        pairs = sorted(zip(served, reservations, strict=True), key=lambda pair: order[pair[0][0].sku])
        return [reservation.id for _served, reservation in pairs]

    @staticmethod
    def _take(db: Session, item_id: int, quantity: int) -> bool:
        """Reserve ``quantity`` units of an item if that many are free: the conditional UPDATE."""
        result = db.execute(
            update(StockItem)
            .where(StockItem.id == item_id, StockItem.on_hand - StockItem.reserved >= quantity)
            .values(reserved=StockItem.reserved + quantity, updated_at=utcnow())
            .execution_options(synchronize_session=False)
        )
        return result.rowcount == 1

    def _move_reservation(self, db: Session, reservation: StockReservation, to: ReservationStatus) -> bool:
        """Move a held reservation to ``to``; False when someone else moved it first."""
        result = db.execute(
            update(StockReservation)
            .where(StockReservation.id == reservation.id, StockReservation.status == ReservationStatus.HELD.value)
            .values(status=to.value, updated_at=utcnow())
            .execution_options(synchronize_session=False)
        )
        return result.rowcount == 1

    def release(self, db: Session, *, reference: str, store_id: int | None = None) -> list[int]:
        """Give back the units held under ``reference`` (an order cancelled, a checkout
        abandoned); releasing twice is harmless. The ids of the reservations released now."""
        reference = self._clean_reference(reference, required=True)
        begin_write(db)
        try:
            rows = self._reservations(db, reference=reference, store_id=store_id)  # type: ignore[arg-type]
            if not rows:
                raise NotFoundError(f"no reservation {reference!r}")
            if any(r.status == ReservationStatus.COMMITTED for r, _item in rows):
                raise ReservationStateError(
                    f"reservation {reference!r} was sold already; record a return instead"
                )
            released = []
            for reservation, item in rows:
                if not self._move_reservation(db, reservation, ReservationStatus.RELEASED):
                    continue
                if not item.is_unlimited:
                    db.execute(
                        update(StockItem)
                        .where(StockItem.id == item.id)
                        .values(reserved=StockItem.reserved - reservation.quantity, updated_at=utcnow())
                        .execution_options(synchronize_session=False)
                    )
                    db.refresh(item)
                    self._track_low_stock(db, item)
                released.append(reservation.id)
            db.commit()
        except BaseException:
            db.rollback()
            raise
        for reservation, _item in rows:
            db.expire(reservation)
        return released

    def commit(
        self,
        db: Session,
        *,
        reference: str,
        store_id: int | None = None,
        actor: str | None = None,
        actor_id: int | None = None,
    ) -> list[int]:
        """Turn the units held under ``reference`` into a sale: on_hand and reserved both go
        down and a ``sale`` movement is written. Committing twice is harmless; committing a
        released reservation is a ReservationStateError. The ids committed now."""
        reference = self._clean_reference(reference, required=True)
        begin_write(db)
        try:
            rows = self._reservations(db, reference=reference, store_id=store_id)  # type: ignore[arg-type]
            if not rows:
                raise NotFoundError(f"no reservation {reference!r}")
            if any(r.status == ReservationStatus.RELEASED for r, _item in rows):
                raise ReservationStateError(f"reservation {reference!r} was released; reserve again")
            committed = []
            for reservation, item in rows:
                if not self._move_reservation(db, reservation, ReservationStatus.COMMITTED):
                    continue
                if not item.is_unlimited:
                    db.execute(
                        update(StockItem)
                        .where(StockItem.id == item.id)
                        .values(
                            on_hand=StockItem.on_hand - reservation.quantity,
                            reserved=StockItem.reserved - reservation.quantity,
                            updated_at=utcnow(),
                        )
                        .execution_options(synchronize_session=False)
                    )
                    db.add(
                        StockMovement(
                            item_id=item.id,
                            quantity=-reservation.quantity,
                            reason=MovementReason.SALE.value,
                            actor_id=actor_id,
                            actor_label=actor[:MAX_ACTOR] if actor else None,
                            reference=reference,
                        )
                    )
                    db.refresh(item)
                    self._track_low_stock(db, item)
                committed.append(reservation.id)
            db.commit()
        except BaseException:
            db.rollback()
            raise
        for reservation, _item in rows:
            db.expire(reservation)
        return committed

    def release_expired(self, db: Session, *, now: datetime | None = None) -> int:
        """Release every held reservation whose hold has run out; how many were released."""
        now = now or utcnow()
        begin_write(db)
        try:
            rows = db.execute(
                select(StockReservation, StockItem)
                .join(StockItem, StockReservation.item_id == StockItem.id)
                .where(
                    StockReservation.status == ReservationStatus.HELD.value,
                    StockReservation.expires_at.is_not(None),
                    StockReservation.expires_at <= now,
                )
                .order_by(StockReservation.item_id)
            ).all()
            count = 0
            for reservation, item in rows:
                if not self._move_reservation(db, reservation, ReservationStatus.RELEASED):
                    continue
                if not item.is_unlimited:
                    db.execute(
                        update(StockItem)
                        .where(StockItem.id == item.id)
                        .values(reserved=StockItem.reserved - reservation.quantity, updated_at=utcnow())
                        .execution_options(synchronize_session=False)
                    )
                    db.refresh(item)
                    self._track_low_stock(db, item)
                count += 1
            db.commit()
        except BaseException:
            db.rollback()
            raise
        return count

    def reservations(self, db: Session, *, reference: str, store_id: int | None = None) -> list[StockReservation]:
        """The reservations held under ``reference`` (fresh from the database)."""
        rows = self._reservations(db, reference=reference, store_id=store_id)
        for reservation, _item in rows:
            db.refresh(reservation)
        return [r for r, _item in rows]


inventory_service = InventoryService()
