"""Reservations: units held under a reference (a checkout, an order), all or nothing, never
sold twice; then committed as a sale, released, or released when their hold runs out."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from modules.inventory.exceptions import OutOfStockError, ReservationStateError, StockInputError
from modules.inventory.models import (
    MovementReason,
    ReservationStatus,
    StockItem,
    StockLocation,
    StockMovement,
    StockReservation,
)
from modules.inventory.services.rules import DEFAULT_HOLD, DEFAULT_LOCATION, MAX_ACTOR
from orion_server.database import begin_write, utcnow
from orion_server.errors import NotFoundError


class Reservations:
    """Reservations: units held under a reference (a checkout, an order), all or nothing,
    never sold twice; then committed as a sale, released, or released when their hold runs
    out."""

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
            for item, quantity in served:
                if not item.is_unlimited:
                    db.refresh(item)
                    self._track_low_stock(db, item)
                    self._track_sold_out(db, item, -quantity)
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
                    self._track_sold_out(db, item, reservation.quantity)
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
                    self._track_sold_out(db, item, reservation.quantity)
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
