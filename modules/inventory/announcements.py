"""What inventory announces to other modules (``modules.contracts.events``): an item that fell
to or below its low-stock threshold becomes a worded ``low_stock`` staff notice in the store's
language, linking to the item's page (messaging delivers it)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from modules.contracts.events import StaffNotice
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
