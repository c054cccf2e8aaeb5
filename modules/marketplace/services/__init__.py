"""Marketplace: services."""

from modules.marketplace.services.feeds import FeedService, feed_service

__all__ = ["FeedService", "feed_service"]
