"""Checkout: models."""

from modules.checkout.models.settings import CheckoutSettings

__all__ = ["CheckoutSettings"]
