"""Reading stock: what can be sold per SKU, the dashboard's item list, the movement ledger."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import bindparam, case, func, select
from sqlalchemy.orm import Session

from modules.inventory.models import StockItem, StockMovement
from orion_server.pagination import Page


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


_items = StockItem.__table__.c
# built once (each cart change asks): only its compiled form is looked up per call
_AVAILABLE = (
    select(
        _items.sku,
        func.sum(_items.on_hand - _items.reserved),
        func.max(case((_items.is_unlimited.is_(True), 1), else_=0)),
    )
    .where(_items.store_id == bindparam("store_id"), _items.sku.in_(bindparam("skus", expanding=True)))
    .group_by(_items.sku)
)


class StockReading:
    """Reading stock: what can be sold per SKU, the dashboard's item list, the movement
    ledger."""

    def available(self, db: Session, *, store_id: int, skus: Iterable[str]) -> dict[str, int | None]:
        """``{sku: units that can be sold}`` summed over locations; None for unlimited items,
        0 for SKUs the store does not stock."""
        wanted = list(dict.fromkeys(skus))
        result: dict[str, int | None] = {sku: 0 for sku in wanted}
        if not wanted:
            return result
        rows = db.connection().execute(_AVAILABLE, {"store_id": store_id, "skus": wanted})
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
