"""What the marketplace does when the catalogue or the stock changes (declared in its
definition): the store's Letzshop feed is marked out of date and written again shortly after,
once for a burst of changes. A second delivery finds the feed already marked: nothing more."""

from __future__ import annotations

from sqlalchemy.orm import Session

from modules.contracts.events import StockChanged, StorefrontContentChanged
from modules.marketplace.services import feed_service
from modules.marketplace.tasks.feeds import schedule_generation


def on_listing_changed(db: Session, event: StorefrontContentChanged | StockChanged) -> None:
    """Schedule the store's feed to be written again, unless a run is already due (a content
    page's change leaves the feed as it is)."""
    if isinstance(event, StorefrontContentChanged) and event.source != "catalog":
        return
    if event.store_id is not None and feed_service.mark_stale(db, store_id=event.store_id):
        schedule_generation(event.store_id)
