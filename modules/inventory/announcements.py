"""What inventory announces to other modules (``modules.contracts.events``): an item that fell
to or below its low-stock threshold becomes a worded ``low_stock`` staff notice in the store's
language, linking to the item's page (messaging delivers it); a change of what can be sold
that a listing shows (units received or adjusted, a SKU sold out or back) is ``StockChanged``
(a marketplace feed follows it)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from modules.contracts.events import StaffNotice, StockChanged
from modules.inventory.models import StockItem
from orion_server.events import emit
from orion_server.i18n import t
from orion_server.models import Store


def announce_low_stock(db: Session, item: StockItem, available: int) -> None:
    """Announce ``item``'s low level in the caller's transaction."""
    store = db.get(Store, item.store_id)
    if store is None:
        return
    language = store.default_language
    emit(
        db,
        StaffNotice(
            platform_id=store.platform_id,
            store_id=store.id,
            kind="low_stock",
            title=t("inventory.notify.low_stock", language, sku=item.sku),
            body=t("inventory.notify.low_stock_body", language, sku=item.sku, available=available),
            link=f"/store/{store.code}/inventory/items/{item.id}",
        ),
    )


def announce_stock_changed(db: Session, item: StockItem) -> None:
    """Announce that what can be sold of ``item``'s SKU changed, in the caller's transaction."""
    platform_id = db.scalar(select(Store.platform_id).where(Store.id == item.store_id))
    if platform_id is None:
        return
    emit(db, StockChanged(platform_id=platform_id, store_id=item.store_id, skus=[item.sku]))
