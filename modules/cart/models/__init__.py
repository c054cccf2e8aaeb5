"""Cart: models."""

from modules.cart.models.cart import CART_STATUSES, Cart, CartLine

__all__ = ["CART_STATUSES", "Cart", "CartLine"]
