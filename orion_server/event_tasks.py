"""The task consumer's part in event delivery: what a crash or a failing listener left in the
outbox is delivered every minute (and when a consumer starts); old delivered events are pruned."""

from __future__ import annotations

import logging

from huey import crontab

from orion_server import events
from orion_server.database import session_scope
from orion_server.task_queue import huey

logger = logging.getLogger(__name__)


def run_delivery() -> int:
    """Deliver every event that is due; how many were done."""
    done = events.deliver_due()
    if done:
        logger.info("delivered %d event(s) left in the outbox", done)
    return done


@huey.periodic_task(crontab(minute="*"))
def deliver_due_events() -> int:
    """Every minute: deliver events left in the outbox or due for a retry."""
    return run_delivery()


@huey.periodic_task(crontab(minute="17"))
def prune_delivered_events() -> int:
    """Every hour: remove delivered events older than a week."""
    with session_scope() as db:
        return events.prune(db)


@huey.on_startup()
def deliver_on_start() -> None:
    """When a consumer starts: deliver what an earlier process left behind."""
    try:
        run_delivery()
    except Exception:  # the periodic task tries again within a minute
        logger.exception("delivering left-over events at start-up failed")
