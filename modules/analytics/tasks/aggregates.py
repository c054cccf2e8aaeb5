"""Building the daily aggregates of stores that have none yet (the backfill of existing orders,
and new stores), on the platforms where analytics is on."""

from __future__ import annotations

import logging

from huey import crontab
from sqlalchemy import select
from sqlalchemy.orm import Session

from modules.analytics.services import aggregates
from orion_server.database import begin_write, session_scope
from orion_server.models import Platform
from orion_server.modules.service import module_service
from orion_server.task_queue import huey

logger = logging.getLogger(__name__)


def run_build_daily_figures() -> int:
    """Build every unbuilt store of the platforms with analytics on, a month of days per
    transaction; returns how many stores were built."""
    with session_scope() as db:
        platform_ids = [platform_id for platform_id in db.scalars(select(Platform.id))
                        if module_service.is_module_enabled(db, platform_id, "analytics")]
        store_ids = aggregates.unbuilt_stores(db, platform_ids=platform_ids) if platform_ids else []
    for store_id in store_ids:
        with session_scope() as db:
            begin_write(db)

            def checkpoint(db: Session = db) -> None:
                # a month at a time: shoppers' orders are not kept waiting for the whole history
                db.commit()
                begin_write(db)

            days = aggregates.rebuild_store(db, store_id=store_id, checkpoint=checkpoint)
        logger.info("built the daily figures of store %s (%d days with orders)", store_id, days)
    return len(store_ids)


@huey.periodic_task(crontab(minute="*/5"))
def build_daily_figures() -> int:
    """Every five minutes: build the daily figures of stores that have none yet."""
    return run_build_daily_figures()
