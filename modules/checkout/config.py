"""Settings of the Checkout module, read from ``CHECKOUT_*`` environment variables."""

from __future__ import annotations

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class CheckoutConfig(BaseSettings):
    """How long stock is held for an order that waits for its payment."""

    model_config = SettingsConfigDict(env_prefix="CHECKOUT_", extra="ignore")

    reservation_hold_days: int = Field(
        default=7,
        ge=1,
        le=60,
        description="Days an unpaid order's stock stays reserved (bank transfers take days)",
    )


config_class = CheckoutConfig
config = CheckoutConfig()
