"""Inventory's part in the contracts other modules share (inventory imports none of them).

An item that falls to or below its low-stock threshold becomes a worded ``low_stock`` staff
notice, linking to the item's page; messaging delivers it.

``register_hooks()`` is idempotent; the module definition calls it at start-up and tests call it
directly.
"""

from __future__ import annotations

import logging

from sqlalchemy import select

from modules.contracts.commerce_events import StaffNotice, staff_notice_listeners
from modules.inventory.models import StockItem
from modules.inventory.services import low_stock_listeners
from orion_server.database import db as database
from orion_server.i18n import t
from orion_server.models import Store

logger = logging.getLogger(__name__)


def low_stock_notice(store_id: int, sku: str, available: int) -> StaffNotice | None:
    """The staff notice for a low stock level, in the store's language."""
    with database.session() as db:
        store = db.get(Store, store_id)
        if store is None:
            return None
        item_id = db.scalar(
            select(StockItem.id)
            .where(StockItem.store_id == store_id, StockItem.sku == sku)
            .order_by(StockItem.id)
            .limit(1)
        )
        base = f"/store/{store.code}/inventory"
        language = store.default_language
        return StaffNotice(
            store_id=store_id,
            kind="low_stock",
            title=t("inventory.notify.low_stock", language, sku=sku),
            body=t("inventory.notify.low_stock_body", language, sku=sku, available=available),
            link=f"{base}/items/{item_id}" if item_id is not None else base,
        )


def notify_low_stock(store_id: int, sku: str, available: int) -> None:
    """Low-stock listener: hand the worded notice to every staff-notice listener."""
    if not staff_notice_listeners:
        return
    notice = low_stock_notice(store_id, sku, available)
    if notice is None:
        return
    for listener in list(staff_notice_listeners):
        try:
            listener(notice)
        except Exception:
            logger.exception("a staff-notice listener failed for low stock of %s", sku)


def register_hooks() -> None:
    """Plug inventory into the shared staff notices (idempotent)."""
    if notify_low_stock not in low_stock_listeners:
        low_stock_listeners.append(notify_low_stock)
