"""Background tasks of the Marketplace module (imported so huey registers them)."""

from modules.marketplace.tasks.feeds import generate_feed, regenerate_stale_feeds, run_generate_feed
from modules.marketplace.tasks.imports import (
    catalogue_import,
    resume_stalled_imports,
    run_catalogue_import,
)

__all__ = ["catalogue_import", "resume_stalled_imports", "generate_feed", "regenerate_stale_feeds", "run_catalogue_import", "run_generate_feed"]
