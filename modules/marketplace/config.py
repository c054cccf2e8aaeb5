"""Settings of the Marketplace module, read from ``MARKETPLACE_*`` environment variables."""

from __future__ import annotations

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class MarketplaceConfig(BaseSettings):
    """Where an imported catalogue's pictures may be fetched from."""

    model_config = SettingsConfigDict(env_prefix="MARKETPLACE_", extra="ignore")

    image_hosts: str = Field(
        default="",
        description="Comma-separated host names pictures may be fetched from (``*.letzshop.lu`` "
        "allows its subdomains); empty: none, an imported row's picture is refused",
    )

    @field_validator("image_hosts")
    @classmethod
    def _lower(cls, value: str) -> str:
        return ",".join(host.strip().lower() for host in value.split(",") if host.strip())

    @property
    def allowed_hosts(self) -> list[str]:
        return [host for host in self.image_hosts.split(",") if host]


config_class = MarketplaceConfig
config = MarketplaceConfig()
