"""Orders: services."""

from modules.orders.services.order_service import (
    TRANSITIONS,
    LineInput,
    OrderService,
    Page,
    PlacedOrder,
    Totals,
    compute_totals,
    order_service,
    order_stats,
    permission_for,
)

__all__ = [
    "TRANSITIONS",
    "LineInput",
    "OrderService",
    "Page",
    "PlacedOrder",
    "Totals",
    "compute_totals",
    "order_service",
    "order_stats",
    "permission_for",
]
