"""Tell the other modules that what a storefront lists changed (its sitemaps are made again)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from modules.contracts.events import StorefrontContentChanged
from orion_server.events import emit
from orion_server.models import Store


def catalog_changed(db: Session, store_id: int) -> None:
    """Announce, in the transaction of the change, that ``store_id``'s catalogue changed."""
    platform_id = db.scalar(select(Store.platform_id).where(Store.id == store_id))
    if platform_id is not None:
        emit(db, StorefrontContentChanged(platform_id=platform_id, store_id=store_id, source="catalog"))
