"""Marketplace: models."""

from modules.marketplace.models.feed import MarketplaceFeed

__all__ = ["MarketplaceFeed"]
