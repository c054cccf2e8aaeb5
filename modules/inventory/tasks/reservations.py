"""Giving back the units of reservations whose hold ran out (an abandoned checkout)."""

from __future__ import annotations

import logging

from huey import crontab

from modules.inventory.services import inventory_service
from orion_server.database import session_scope
from orion_server.task_queue import huey

logger = logging.getLogger(__name__)


def run_release_expired() -> int:
    """Release every expired held reservation in its own session; how many were released."""
    with session_scope() as db:
        released = inventory_service.release_expired(db)
    if released:
        logger.info("released %d expired stock reservation(s)", released)
    return released


@huey.periodic_task(crontab(minute="*/5"))
def release_expired_reservations() -> int:
    """Every five minutes: release expired stock reservations."""
    return run_release_expired()
