"""Marketplace: models."""

from modules.marketplace.models.catalogue_import import CatalogueImport
from modules.marketplace.models.feed import MarketplaceFeed
from modules.marketplace.models.letzshop import (
           LetzshopConnection,
           LetzshopOrder,
           LetzshopSync,
           LetzshopUnit,
)

__all__ = ["CatalogueImport", "LetzshopConnection", "LetzshopOrder", "LetzshopSync", "LetzshopUnit",
           "MarketplaceFeed"]
