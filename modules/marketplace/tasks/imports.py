"""Running catalogue imports in the background."""

from __future__ import annotations

import logging
from datetime import timedelta

from huey import crontab

from modules.marketplace.services.imports import import_service
from orion_server.database import session_scope, utcnow
from orion_server.task_queue import huey

logger = logging.getLogger(__name__)


def run_catalogue_import(import_id: int) -> str:
    """Import an uploaded file from where it stopped; its final status."""
    status = import_service.run(import_id)
    logger.info("catalogue import %s: %s", import_id, status)
    return status


@huey.task()
def catalogue_import(import_id: int) -> str:
    """Import an uploaded catalogue file (scheduled when staff upload it)."""
    return run_catalogue_import(import_id)


def run_stalled_imports() -> int:
    """Go on with the imports nobody has moved for ten minutes (their worker stopped); how
    many were taken up."""
    with session_scope() as db:
        stalled = import_service.stalled(db, before=utcnow() - timedelta(minutes=10))
    for import_id in stalled:
        run_catalogue_import(import_id)
    return len(stalled)


@huey.periodic_task(crontab(minute="*/5"))
def resume_stalled_imports() -> int:
    """Every five minutes: imports left behind by a stopped worker."""
    return run_stalled_imports()
