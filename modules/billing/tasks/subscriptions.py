"""The hourly subscription round: renew the periods that ended, then move stores with overdue
invoices to past due or read-only, and back once paid (``services/plans.py``,
``services/standing.py``)."""

from __future__ import annotations

import logging

from huey import crontab

from modules.billing.services import plan_service, standing_service
from orion_server.database import session_scope
from orion_server.task_queue import huey

logger = logging.getLogger(__name__)


def run_subscription_round() -> tuple[int, int]:
    """Renewals, then standings; returns how many of each changed."""
    with session_scope() as db:
        renewed = plan_service.renew_due(db)
        changed = standing_service.refresh(db)
    if renewed or changed:
        logger.info("subscriptions: %d renewed, %d changed standing", renewed, changed)
    return renewed, changed


@huey.periodic_task(crontab(minute="17"))
def subscription_round() -> tuple[int, int]:
    """Every hour: the subscription round."""
    return run_subscription_round()
