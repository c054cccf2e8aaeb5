"""Background tasks of the Marketplace module (imported so huey registers them)."""

from modules.marketplace.tasks.feeds import generate_feed, regenerate_stale_feeds, run_generate_feed
from modules.marketplace.tasks.imports import (
    catalogue_import,
    resume_stalled_imports,
    run_catalogue_import,
)
from modules.marketplace.tasks.letzshop import (
    push_stock_levels,
    run_due_syncs,
    run_push_stock,
    run_sync,
    sync_due_stores,
    sync_orders,
)

__all__ = ["catalogue_import", "generate_feed", "push_stock_levels", "regenerate_stale_feeds", "resume_stalled_imports",
           "run_catalogue_import", "run_due_syncs", "run_generate_feed", "run_push_stock", "run_sync",
           "sync_due_stores", "sync_orders"]
