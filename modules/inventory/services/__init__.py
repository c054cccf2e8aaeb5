"""Inventory: services."""

from modules.inventory.services.inventory_service import (
    DEFAULT_LOCATION,
    MANUAL_REASONS,
    InventoryService,
    Page,
    inventory_service,
)

__all__ = [
    "DEFAULT_LOCATION",
    "MANUAL_REASONS",
    "InventoryService",
    "Page",
    "inventory_service",
]
