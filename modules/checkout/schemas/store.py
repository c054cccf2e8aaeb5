"""Requests and responses of the store API's shipping settings (amounts in cents)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class ShippingSettingsIn(BaseModel):
    """All the settings at once (PUT replaces them). The service judges the values (at least
    one method on, amounts in range, a Luxembourg VAT rate) and names each bad field."""

    model_config = ConfigDict(extra="forbid")

    pickup_enabled: bool = False
    delivery_enabled: bool = False
    delivery_price_cents: int | None = Field(None, strict=True, description="Required.")
    free_delivery_above_cents: int | None = Field(
        None, strict=True, description="Delivery is free from this subtotal on; null: never free."
    )
    shipping_vat_rate: int | None = Field(
        None,
        strict=True,
        description="Whole percent of a Luxembourg rate: 17, 14, 8, 3 or 0. Required.",
    )


class ShippingSettingsOut(BaseModel):
    """The store's shipping settings (the defaults until saved)."""

    pickup_enabled: bool
    delivery_enabled: bool
    delivery_price_cents: int
    free_delivery_above_cents: int | None
    shipping_vat_rate: int
