"""Making a store's sitemaps again after its catalogue or pages changed, and a platform's own
after one of its pages changed."""

from __future__ import annotations

import logging

from modules.cms.services.sitemap_service import sitemap_service
from orion_server.database import session_scope
from orion_server.task_queue import huey

logger = logging.getLogger(__name__)


def run_rebuild_sitemaps(store_id: int, changed_at: float | None = None) -> list[str]:
    """Make the sitemaps of ``store_id`` in a session of their own; returns the file names.
    Nothing to do when they were begun after ``changed_at`` (a change announced after its
    commit): a burst of changes (a demo, many edits) queues many tasks, the first makes the
    files and the others find them current."""
    with session_scope() as db:
        made_at = sitemap_service.made_at(db, store_id=store_id)
        if changed_at is not None and made_at is not None and made_at > changed_at:
            return []
        names = sitemap_service.rebuild(db, store_id=store_id)
    logger.info("sitemaps of store %s made again: %d file(s)", store_id, len(names))
    return names


@huey.task()
def rebuild_sitemaps(store_id: int, changed_at: float | None = None) -> list[str]:
    """In the task consumer: the sitemaps of one store, unless made since ``changed_at``."""
    return run_rebuild_sitemaps(store_id, changed_at)


def run_rebuild_platform_sitemaps(platform_id: int, changed_at: float | None = None) -> list[str]:
    """Make the sitemaps of the platform's own site, unless begun after ``changed_at``."""
    with session_scope() as db:
        made_at = sitemap_service.platform_made_at(db, platform_id=platform_id)
        if changed_at is not None and made_at is not None and made_at > changed_at:
            return []
        names = sitemap_service.rebuild_platform(db, platform_id=platform_id)
    logger.info("sitemaps of platform %s made again: %d file(s)", platform_id, len(names))
    return names


@huey.task()
def rebuild_platform_sitemaps(platform_id: int, changed_at: float | None = None) -> list[str]:
    """In the task consumer: the sitemaps of one platform's own site."""
    return run_rebuild_platform_sitemaps(platform_id, changed_at)
