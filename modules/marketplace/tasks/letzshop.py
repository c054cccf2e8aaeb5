"""The Letzshop order sync in the background: every few minutes for each connected store
(``MARKETPLACE_LETZSHOP_SYNC_MINUTES`` apart), when staff ask for it, and the stock levels
pushed to Letzshop after they changed."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import timedelta

from huey import crontab

from modules.marketplace.config import config
from modules.marketplace.services.letzshop_client import LetzshopError
from modules.marketplace.services.letzshop_orders import NotConnected, letzshop_orders
from orion_server.database import session_scope, utcnow
from orion_server.modules.service import module_service
from orion_server.task_queue import huey
from orion_server.tenants import platform_id_of_store

logger = logging.getLogger(__name__)


def run_sync(store_id: int, *, trigger: str = "schedule", run_id: int | None = None) -> str:
    """One store's sync in a session of its own, its stock pushed after; the run's status."""
    from modules.marketplace.models import LetzshopSync

    with session_scope() as db:
        run = db.get(LetzshopSync, run_id) if run_id is not None else None
        run, touched = letzshop_orders.sync(db, store_id=store_id, trigger=trigger, run=run)
        status = run.status
    if touched:
        run_push_stock(store_id, sorted(touched))
    return status


@huey.task()
def sync_orders(store_id: int, run_id: int | None = None) -> str:
    """Sync a store's Letzshop orders now (staff pressed "sync now": the run is recorded)."""
    return run_sync(store_id, trigger="manual", run_id=run_id)


def run_push_stock(store_id: int, skus: Iterable[str]) -> int:
    """Push what can be sold of ``skus`` to Letzshop; how many levels were sent (0 when the
    store is not connected or Letzshop refused: logged, the next change sends them again)."""
    try:
        with session_scope() as db:
            return letzshop_orders.push_stock(db, store_id=store_id, skus=skus)
    except NotConnected:
        return 0
    except LetzshopError as exc:
        logger.warning("pushing stock of store %s to letzshop failed: %s", store_id, exc)
        return 0


@huey.task()
def push_stock_levels(store_id: int, skus: list[str]) -> int:
    """Push stock levels of some SKUs to Letzshop (after a sale, a confirmation, a receipt)."""
    return run_push_stock(store_id, skus)


def run_due_syncs() -> int:
    """Sync every connected store whose marketplace is on and whose last run started longer
    ago than the configured interval; how many ran."""
    due_before = utcnow() - timedelta(minutes=config.letzshop_sync_minutes) + timedelta(seconds=30)
    with session_scope() as db:
        due = []
        for store_id in letzshop_orders.connected_store_ids(db):
            platform_id = platform_id_of_store(db, store_id)
            if platform_id is None or not module_service.is_module_enabled(db, platform_id, "marketplace"):
                continue
            last = letzshop_orders.last_sync(db, store_id=store_id)
            if last is None or last.started_at <= due_before:
                due.append(store_id)
    for store_id in due:
        try:
            run_sync(store_id)
        except Exception:
            logger.exception("the letzshop sync of store %s failed", store_id)
    return len(due)


@huey.periodic_task(crontab(minute="*/5"))
def sync_due_stores() -> int:
    """Every five minutes: the stores whose scheduled sync is due."""
    return run_due_syncs()
