"""Settings of the Billing module, read from ``BILLING_*`` environment variables."""

from __future__ import annotations

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from modules.billing.models.tiers import TRIAL_DAYS, TierCode


class BillingConfig(BaseSettings):
    """Trial length, the trial's tier and the billing currency."""

    model_config = SettingsConfigDict(env_prefix="BILLING_", extra="ignore")

    trial_days: int = Field(
        default=TRIAL_DAYS, ge=1, le=365, description="Length of a new store's free trial"
    )
    trial_tier: TierCode = Field(
        default=TierCode.ESSENTIAL, description="Tier a new store tries for free"
    )
    currency: str = Field(default="EUR", description="ISO 4217 code of every price")

    @field_validator("currency")
    @classmethod
    def _iso_code(cls, value: str) -> str:
        value = value.strip().upper()
        if len(value) != 3 or not value.isalpha():
            raise ValueError("use a three-letter ISO 4217 currency code such as EUR")
        return value


config_class = BillingConfig
config = BillingConfig()
