"""Checkout: services."""

from modules.checkout.services.checkout_service import (
    KEY_PREFIX,
    CheckoutForm,
    CheckoutService,
    Placed,
    Quote,
    checkout_service,
)
from modules.checkout.services.shipping_service import (
    DELIVERY,
    PICKUP,
    ShippingMethod,
    ShippingService,
    shipping_service,
)

__all__ = [
    "DELIVERY",
    "KEY_PREFIX",
    "PICKUP",
    "CheckoutForm",
    "CheckoutService",
    "Placed",
    "Quote",
    "ShippingMethod",
    "ShippingService",
    "checkout_service",
    "shipping_service",
]
