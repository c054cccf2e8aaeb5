"""Abandoning carts nobody touched for ``CART_EXPIRY_DAYS``."""

from __future__ import annotations

import logging

from huey import crontab

from modules.cart.services import cart_service
from orion_server.database import session_scope
from orion_server.task_queue import huey

logger = logging.getLogger(__name__)


def run_expire_carts() -> int:
    """Expire the old carts in their own session; returns how many."""
    with session_scope() as db:
        count = cart_service.expire_old(db)
    if count:
        logger.info("abandoned %d expired cart(s)", count)
    return count


@huey.periodic_task(crontab(minute="17", hour="3"))
def expire_carts() -> int:
    """Daily at 03:17 UTC: abandon expired carts."""
    return run_expire_carts()
