"""What the marketplace does when the catalogue or the stock changes (declared in its
definition): the store's Letzshop feed is marked out of date and written again shortly after,
once for a burst of changes (a second delivery finds the feed already marked: nothing more);
and where the store is connected to Letzshop's API, the changed SKUs' stock levels are pushed
there by a task (pushing the same level twice is harmless). A Letzshop order cancelled or
refunded by hand on the orders page gives back the stock its unanswered units held."""

from __future__ import annotations

from sqlalchemy.orm import Session

from modules.contracts.events import OrderStatusChanged, StockChanged, StorefrontContentChanged
from modules.marketplace.services import feed_service
from modules.marketplace.services.letzshop_orders import letzshop_orders
from modules.marketplace.tasks.feeds import schedule_generation
from modules.marketplace.tasks.letzshop import push_stock_levels


def on_listing_changed(db: Session, event: StorefrontContentChanged | StockChanged) -> None:
    """Schedule the store's feed to be written again, unless a run is already due (a content
    page's change leaves the feed as it is)."""
    if isinstance(event, StorefrontContentChanged) and event.source != "catalog":
        return
    if event.store_id is not None and feed_service.mark_stale(db, store_id=event.store_id):
        schedule_generation(event.store_id)


def on_stock_changed(db: Session, event: StockChanged) -> None:
    """The feed follows the stock; so does Letzshop's stock where the store is connected."""
    on_listing_changed(db, event)
    if event.store_id is not None and event.skus and letzshop_orders.is_connected(db, store_id=event.store_id):
        push_stock_levels(event.store_id, list(event.skus))


def on_order_status_changed(db: Session, event: OrderStatusChanged) -> None:
    """Give back what a Letzshop order's unanswered units held when staff cancel or refund
    its order (releasing twice is harmless), and tell Letzshop the new stock."""
    if event.old_status is None or event.new_status not in ("cancelled", "refunded") or event.store_id is None:
        return
    touched = letzshop_orders.order_given_up(db, store_id=event.store_id, order_id=event.order_id)
    if touched and letzshop_orders.is_connected(db, store_id=event.store_id):
        push_stock_levels(event.store_id, sorted(touched))
