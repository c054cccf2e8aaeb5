"""Inventory: models."""

from modules.inventory.models.stock import (
    MovementReason,
    ReservationStatus,
    StockItem,
    StockLocation,
    StockMovement,
    StockReservation,
)

__all__ = [
    "MovementReason",
    "ReservationStatus",
    "StockItem",
    "StockLocation",
    "StockMovement",
    "StockReservation",
]
