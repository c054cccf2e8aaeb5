"""Settings of the Checkout module, read from ``CHECKOUT_*`` environment variables."""

from __future__ import annotations

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class CheckoutConfig(BaseSettings):
    """How long stock is held for an order that waits for its payment, and how many orders a
    client may place."""

    model_config = SettingsConfigDict(env_prefix="CHECKOUT_", extra="ignore")

    reservation_hold_days: int = Field(
        default=3,
        ge=1,
        le=60,
        description="Days an unpaid order keeps its stock; a reminder goes out a day before, then it is cancelled",
    )
    orders_per_client_hour: int = Field(
        default=30, ge=1, le=100_000,
        description="Orders one client address may place per hour (each holds stock and sends an e-mail)",
    )


config_class = CheckoutConfig
config = CheckoutConfig()
ORDERS_PER_CLIENT = f"{config.orders_per_client_hour}/hour"
"""The rate limit of order placing per client (``orion_server.rate_limits``)."""
