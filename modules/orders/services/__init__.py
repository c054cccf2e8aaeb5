"""Orders: services."""

from modules.orders.services.order_service import (
    TRANSITIONS,
    VAT_RATES,
    LineInput,
    OrderService,
    Page,
    PlacedOrder,
    Totals,
    compute_totals,
    net_of,
    order_service,
    order_stats,
    permission_for,
)

__all__ = [
    "TRANSITIONS",
    "VAT_RATES",
    "LineInput",
    "OrderService",
    "Page",
    "PlacedOrder",
    "Totals",
    "compute_totals",
    "net_of",
    "order_service",
    "order_stats",
    "permission_for",
]
