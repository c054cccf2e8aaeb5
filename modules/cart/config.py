"""Settings of the Cart module, read from ``CART_*`` environment variables."""

from __future__ import annotations

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class CartConfig(BaseSettings):
    """How long an untouched cart lives and how many units one line may hold."""

    model_config = SettingsConfigDict(env_prefix="CART_", extra="ignore")

    expiry_days: int = Field(default=30, ge=1, le=365, description="Days an untouched cart is kept")
    max_quantity_per_line: int = Field(
        default=99, ge=1, le=10_000, description="Most units of one SKU in a cart"
    )
    writes_per_client_minute: int = Field(
        default=240, ge=1, le=100_000, description="Cart changes one client address may make per minute"
    )


config_class = CartConfig
config = CartConfig()
CART_WRITES = f"{config.writes_per_client_minute}/minute"
"""The rate limit of cart writes per client (``orion_server.rate_limits``)."""
