"""Making a store's sitemaps again after its catalogue or pages changed."""

from __future__ import annotations

import logging

from modules.cms.services.sitemap_service import sitemap_service
from orion_server.database import session_scope
from orion_server.task_queue import huey

logger = logging.getLogger(__name__)


def run_rebuild_sitemaps(store_id: int) -> list[str]:
    """Make the sitemaps of ``store_id`` in a session of their own; returns the file names."""
    with session_scope() as db:
        names = sitemap_service.rebuild(db, store_id=store_id)
    logger.info("sitemaps of store %s made again: %d file(s)", store_id, len(names))
    return names


@huey.task()
def rebuild_sitemaps(store_id: int) -> list[str]:
    """In the task consumer: the sitemaps of one store."""
    return run_rebuild_sitemaps(store_id)
