"""Cart: services."""

from modules.cart.services.cart_service import (
    CART_COOKIE,
    CartService,
    CartTotals,
    Refreshed,
    cart_service,
)

__all__ = ["CART_COOKIE", "CartService", "CartTotals", "Refreshed", "cart_service"]
