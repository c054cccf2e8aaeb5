"""Orders: models."""

from modules.orders.models.order import (
    ORDER_CHANNELS,
    Order,
    OrderLine,
    OrderNote,
    OrderNumberCounter,
    OrderStatus,
    OrderStatusChange,
)

__all__ = [
    "ORDER_CHANNELS",
    "Order",
    "OrderLine",
    "OrderNote",
    "OrderNumberCounter",
    "OrderStatus",
    "OrderStatusChange",
]
