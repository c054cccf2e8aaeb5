"""Background tasks of the Content module (imported so huey registers them)."""

from modules.cms.tasks.publishing import publish_scheduled_pages, run_publish_scheduled_pages

__all__ = ["publish_scheduled_pages", "run_publish_scheduled_pages"]
