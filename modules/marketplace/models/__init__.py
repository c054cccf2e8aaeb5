"""Marketplace: models."""

from modules.marketplace.models.catalogue_import import CatalogueImport
from modules.marketplace.models.feed import MarketplaceFeed

__all__ = ["CatalogueImport", "MarketplaceFeed"]
