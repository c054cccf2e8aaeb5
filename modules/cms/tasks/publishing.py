"""Publishing scheduled pages once their date has come."""

from __future__ import annotations

import logging

from huey import crontab

from modules.cms.services import content_page_service
from orion_server.database import session_scope
from orion_server.task_queue import huey

logger = logging.getLogger(__name__)


def run_publish_scheduled_pages() -> list[int]:
    """Publish every due scheduled page in its own session; returns the ids published."""
    with session_scope() as db:
        published = content_page_service.publish_due_pages(db)
    if published:
        logger.info("published %d scheduled content page(s): %s", len(published), published)
    return published


@huey.periodic_task(crontab(minute="*"))
def publish_scheduled_pages() -> list[int]:
    """Every minute: publish the scheduled pages that are due."""
    return run_publish_scheduled_pages()
