"""Stock locations and items: an item is one SKU at one location, made when first needed."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from modules.inventory.models import StockItem, StockLocation
from modules.inventory.services.rules import DEFAULT_LOCATION
from orion_server.database import begin_write
from orion_server.errors import NotFoundError


class Items:
    """Stock locations and items: an item is one SKU at one location, made when first needed."""

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
