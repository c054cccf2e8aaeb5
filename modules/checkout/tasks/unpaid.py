"""Reminding, then cancelling, checkout orders that stay unpaid (``services/unpaid.py``)."""

from __future__ import annotations

import logging

from huey import crontab

from modules.checkout.services import unpaid
from orion_server.database import session_scope
from orion_server.task_queue import huey

logger = logging.getLogger(__name__)


def run_unpaid_orders() -> tuple[int, int]:
    """Remind the orders whose hold runs out within a day, cancel those whose hold ran out."""
    with session_scope() as db:
        reminded = unpaid.remind_unpaid(db)
        cancelled = unpaid.cancel_unpaid(db)
    if reminded or cancelled:
        logger.info("unpaid orders: %d reminded, %d cancelled", reminded, cancelled)
    return reminded, cancelled


@huey.periodic_task(crontab(minute="7"))
def unpaid_orders() -> tuple[int, int]:
    """Every hour: reminders and cancellations of unpaid checkout orders."""
    return run_unpaid_orders()
