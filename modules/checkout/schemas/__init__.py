"""Checkout: schemas of the JSON APIs."""

from modules.checkout.schemas.store import ShippingSettingsIn, ShippingSettingsOut
from modules.checkout.schemas.storefront import (
    AddressIn,
    DiscountOut,
    LineOut,
    OptionsOut,
    PaymentMethodOut,
    PaymentOut,
    PlacedOrderOut,
    PlaceIn,
    QuoteIn,
    QuoteOut,
    ShippingMethodOut,
    VatRowOut,
)

__all__ = [
    "AddressIn",
    "DiscountOut",
    "LineOut",
    "OptionsOut",
    "PaymentMethodOut",
    "PaymentOut",
    "PlaceIn",
    "PlacedOrderOut",
    "QuoteIn",
    "QuoteOut",
    "ShippingMethodOut",
    "ShippingSettingsIn",
    "ShippingSettingsOut",
    "VatRowOut",
]
