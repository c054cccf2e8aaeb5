"""What the Content module does when other modules announce a change."""

from __future__ import annotations

import time
from typing import Any

from modules.contracts.events import StorefrontContentChanged


def on_storefront_content_changed(db: Any, event: StorefrontContentChanged) -> None:
    """Queue the sitemaps of the stores concerned to be made again, and the platform's own when
    a page of the platform changed (idempotent: making them twice gives the same files)."""
    from modules.cms.services.sitemap_service import sitemap_service
    from modules.cms.tasks.sitemaps import rebuild_platform_sitemaps, rebuild_sitemaps

    now = time.time()  # after the change's commit: files begun later hold it
    for store_id in sitemap_service.stores_of(db, platform_id=event.platform_id, store_id=event.store_id):
        rebuild_sitemaps(store_id, now)
    if event.store_id is None:
        rebuild_platform_sitemaps(event.platform_id, now)
