"""Store JSON API of the inventory module, mounted at ``/api/v1/store/{store_code}/inventory``.

Every route needs a member of the store with the right permission; another store's items
answer 404 like items that do not exist.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Query

from modules.inventory.models import StockItem, StockMovement
from modules.inventory.schemas import AdjustRequest, ItemOut, MovementOut, PageOut
from modules.inventory.services import inventory_service
from orion_server.deps import SessionDep, StaffWith
from orion_server.errors import NotFoundError
from orion_server.routing import ModuleRouter

router = ModuleRouter()

PageNumber = Annotated[int, Query(ge=1, le=100_000, description="Page number, from 1.")]
PerPage = Annotated[int, Query(ge=1, le=100, description="Items per page.")]


def item_out(item: StockItem) -> ItemOut:
    return ItemOut(
        id=item.id,
        sku=item.sku,
        location=item.location.code,
        on_hand=item.on_hand,
        reserved=item.reserved,
        available=item.available,
        unlimited=item.is_unlimited,
        low_stock_threshold=item.low_stock_threshold,
        is_low=item.is_low,
        updated_at=item.updated_at,
    )


def movement_out(movement: StockMovement, locations: dict[int, str]) -> MovementOut:
    return MovementOut(
        id=movement.id,
        location=locations.get(movement.item_id, ""),
        quantity=movement.quantity,
        reason=movement.reason,
        actor=movement.actor_label,
        reference=movement.reference,
        note=movement.note,
        created_at=movement.created_at,
    )


@router.get("/items", response_model=PageOut[ItemOut])
def list_items(
    db: SessionDep,
    staff: StaffWith("inventory.view"),
    search: Annotated[str, Query(max_length=100, description="Part of a SKU.")] = "",
    low_stock: Annotated[bool, Query(description="Only items at or below their threshold.")] = False,
    page: PageNumber = 1,
    per_page: PerPage = 25,
) -> dict:
    """The store's stock items by SKU."""
    result = inventory_service.list_items(
        db, store_id=staff.store.id, search=search, low_only=low_stock, page=page, per_page=per_page
    )
    return {
        "items": [item_out(i) for i in result.items],
        "total": result.total,
        "page": result.page,
        "per_page": result.per_page,
        "pages": result.pages,
    }


@router.post("/items/{sku}/adjust", response_model=ItemOut)
def adjust_item(sku: str, body: AdjustRequest, db: SessionDep, staff: StaffWith("inventory.adjust")) -> ItemOut:
    """Add or remove units of an item with a reason; 422 when stock would go below zero or
    below what is reserved."""
    item = inventory_service.adjust(
        db,
        store_id=staff.store.id,
        sku=sku,
        quantity=body.quantity,
        reason=body.reason,
        location_code=body.location,
        note=body.note,
        reference=body.reference,
        actor=staff.user.email,
        actor_id=staff.user.id,
    )
    return item_out(item)


@router.get("/items/{sku}/movements", response_model=PageOut[MovementOut])
def item_movements(
    sku: str, db: SessionDep, staff: StaffWith("inventory.view"), page: PageNumber = 1, per_page: PerPage = 25
) -> dict:
    """The ledger of a SKU (every location), newest first."""
    items = inventory_service.items_for_sku(db, store_id=staff.store.id, sku=sku)
    if not items:
        raise NotFoundError(f"no stock item {sku!r}")
    locations = {i.id: i.location.code for i in items}
    result = inventory_service.list_movements(
        db, store_id=staff.store.id, item_ids=list(locations), page=page, per_page=per_page
    )
    return {
        "items": [movement_out(m, locations) for m in result.items],
        "total": result.total,
        "page": result.page,
        "per_page": result.per_page,
        "pages": result.pages,
    }
