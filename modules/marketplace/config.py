"""Settings of the Marketplace module, read from ``MARKETPLACE_*`` environment variables."""

from __future__ import annotations

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class MarketplaceConfig(BaseSettings):
    """Where an imported catalogue's pictures may be fetched from, and where a store's Letzshop
    API may be and how long it may take."""

    model_config = SettingsConfigDict(env_prefix="MARKETPLACE_", extra="ignore")

    image_hosts: str = Field(
        default="",
        description="Comma-separated host names pictures may be fetched from (``*.letzshop.lu`` "
        "allows its subdomains); empty: none, an imported row's picture is refused",
    )

    letzshop_hosts: str = Field(
        default="letzshop.lu,*.letzshop.lu",
        description="Comma-separated host names a store's Letzshop API endpoint may be on (the "
        "server calls it with the store's key: no other host, so a store cannot aim it inside "
        "the network)",
    )
    letzshop_allow_http: bool = Field(
        default=False,
        description="Allow an endpoint in plain http (a local test server); https otherwise",
    )
    letzshop_timeout: float = Field(default=20.0, gt=0, le=120,
                                    description="Seconds to wait for Letzshop's answer to one call")
    letzshop_sync_minutes: int = Field(default=10, ge=1, le=1440,
                                       description="Minutes between two scheduled order syncs of a store")

    @field_validator("image_hosts", "letzshop_hosts")
    @classmethod
    def _lower(cls, value: str) -> str:
        return ",".join(host.strip().lower() for host in value.split(",") if host.strip())

    @property
    def allowed_hosts(self) -> list[str]:
        return [host for host in self.image_hosts.split(",") if host]

    @property
    def letzshop_allowed_hosts(self) -> list[str]:
        return [host for host in self.letzshop_hosts.split(",") if host]


config_class = MarketplaceConfig
config = MarketplaceConfig()
