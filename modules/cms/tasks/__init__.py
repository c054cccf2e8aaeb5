"""Background tasks of the Content module (imported so huey registers them)."""

from modules.cms.tasks.publishing import publish_scheduled_pages, run_publish_scheduled_pages
from modules.cms.tasks.sitemaps import rebuild_sitemaps, run_rebuild_sitemaps

__all__ = ["publish_scheduled_pages", "rebuild_sitemaps", "run_publish_scheduled_pages", "run_rebuild_sitemaps"]
