"""Writing the stores' Letzshop feeds: shortly after a product or its stock changed, and every
five minutes for a feed whose scheduled run was lost (a worker stopped)."""

from __future__ import annotations

import logging
from datetime import timedelta

from huey import crontab

from modules.marketplace.services.feeds import REGENERATE_DELAY, feed_service
from orion_server.database import session_scope, utcnow
from orion_server.task_queue import huey

logger = logging.getLogger(__name__)


def run_generate_feed(store_id: int) -> int:
    """Write one store's feed in a session of its own; the number of rows."""
    with session_scope() as db:
        return feed_service.generate(db, store_id=store_id)


@huey.task()
def generate_feed(store_id: int) -> int:
    """Write a store's feed (scheduled by the listeners, or by staff asking for it now)."""
    return run_generate_feed(store_id)


def schedule_generation(store_id: int, *, delay: int = REGENERATE_DELAY) -> None:
    """Have the store's feed written in ``delay`` seconds (0: as soon as a worker is free)."""
    if delay:
        generate_feed.schedule(args=(store_id,), delay=delay)
    else:
        generate_feed(store_id)


def run_stale_feeds() -> int:
    """Write the feeds that stayed out of date longer than their scheduled run should take;
    how many were written."""
    with session_scope() as db:
        store_ids = feed_service.stale_store_ids(
            db, before=utcnow() - timedelta(seconds=REGENERATE_DELAY * 4)
        )
    for store_id in store_ids:
        try:
            run_generate_feed(store_id)
        except Exception:
            logger.exception("writing the letzshop feed of store %s failed", store_id)
    return len(store_ids)


@huey.periodic_task(crontab(minute="*/5"))
def regenerate_stale_feeds() -> int:
    """Every five minutes: the feeds whose scheduled run was lost."""
    return run_stale_feeds()
