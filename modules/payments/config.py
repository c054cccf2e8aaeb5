"""Settings of the Payments module, read from ``PAYMENTS_*`` environment variables."""

from __future__ import annotations

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class PaymentsConfig(BaseSettings):
    """Where the providers' APIs live and how old a webhook may be."""

    model_config = SettingsConfigDict(env_prefix="PAYMENTS_", extra="ignore")

    stripe_api_base: str = Field(
        default="https://api.stripe.com", description="Base URL of Stripe's API"
    )
    paypal_api_base: str = Field(
        default="https://api-m.paypal.com",
        description="Base URL of PayPal's REST API (https://api-m.sandbox.paypal.com to test)",
    )
    webhook_tolerance_seconds: int = Field(
        default=300, ge=1, le=86_400, description="Webhooks signed longer ago than this are refused"
    )
    http_timeout_seconds: float = Field(
        default=20.0, gt=0, le=120, description="Timeout of one call to a provider"
    )
    webhooks_per_client_minute: int = Field(
        default=600, ge=1, le=100_000,
        description="Webhook calls one address may make per minute and store (each may cost calls to the provider)",
    )

    @field_validator("stripe_api_base", "paypal_api_base")
    @classmethod
    def _no_trailing_slash(cls, value: str) -> str:
        value = value.strip().rstrip("/")
        if not value.startswith(("https://", "http://")):
            raise ValueError("give an http(s) URL")
        return value


config_class = PaymentsConfig
config = PaymentsConfig()
WEBHOOKS_PER_CLIENT = f"{config.webhooks_per_client_minute}/minute"
