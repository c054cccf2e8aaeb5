"""Background tasks of the Marketplace module (imported so huey registers them)."""

from modules.marketplace.tasks.feeds import generate_feed, regenerate_stale_feeds, run_generate_feed

__all__ = ["generate_feed", "regenerate_stale_feeds", "run_generate_feed"]
