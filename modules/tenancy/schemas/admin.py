"""Requests and responses of the tenancy admin API.

The schemas check shapes and sizes; the rules (code format, reserved codes, languages,
duplicates, ...) are the tenancy service's, so every way into Orion applies the same ones.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Generic, TypeVar

from pydantic import BaseModel, ConfigDict, Field, field_validator

from orion_server.tenancy import DEFAULT_STORE_LANGUAGES

Code = Annotated[
    str, Field(max_length=50, description="Lowercase letters, digits and hyphens; used in URLs.")
]
Name = Annotated[str, Field(max_length=200)]
Domain = Annotated[str, Field(max_length=253, description="A domain name such as shop.example.lu.")]
Language = Annotated[str, Field(max_length=5, description="One of en, de, fr, lb.")]


class _Request(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


def _not_null(value: Any) -> Any:
    if value is None:
        raise ValueError("may be left out, but not null")
    return value


# -- platforms ------------------------------------------------------------------------------


class PlatformCreate(_Request):
    """A new platform."""

    code: Code
    name: Name
    domain: Domain | None = None
    default_language: Language = "fr"


class PlatformUpdate(_Request):
    """Changes to a platform; left-out fields stay as they are, a null or empty domain removes it."""

    name: Name | None = None
    domain: Domain | None = None
    default_language: Language | None = None

    _no_nulls = field_validator("name", "default_language", mode="before")(_not_null)


class PlatformOut(BaseModel):
    """A platform."""

    model_config = ConfigDict(from_attributes=True)

    code: str
    name: str
    domain: str | None
    default_language: str
    is_active: bool
    created_at: datetime
    updated_at: datetime


# -- merchants ------------------------------------------------------------------------------


class MerchantCreate(_Request):
    """A new merchant (the business owning stores) on a platform."""

    platform: Code
    name: Name
    contact_email: Annotated[str, Field(max_length=255)] | None = None
    contact_phone: Annotated[str, Field(max_length=50)] | None = None
    website: Annotated[str, Field(max_length=255)] | None = None
    tax_number: Annotated[str, Field(max_length=50)] | None = None


class MerchantOut(BaseModel):
    """A merchant."""

    id: int
    platform: str
    name: str
    contact_email: str | None
    contact_phone: str | None
    website: str | None
    tax_number: str | None
    is_verified: bool
    created_at: datetime


# -- stores ---------------------------------------------------------------------------------


class StoreCreate(_Request):
    """A new store; the subdomain defaults to the code."""

    platform: Code
    code: Code
    name: Name
    subdomain: Annotated[str, Field(max_length=63)] | None = None
    merchant_id: int | None = None
    default_language: Language = "fr"
    languages: Annotated[list[Language], Field(max_length=10)] = Field(
        default_factory=lambda: list(DEFAULT_STORE_LANGUAGES)
    )


class StoreUpdate(_Request):
    """Changes to a store; left-out fields stay as they are, a null merchant_id detaches the merchant."""

    name: Name | None = None
    subdomain: Annotated[str, Field(max_length=63)] | None = None
    merchant_id: int | None = None
    default_language: Language | None = None
    languages: Annotated[list[Language], Field(max_length=10)] | None = None
    is_active: bool | None = None

    _no_nulls = field_validator(
        "name", "subdomain", "default_language", "languages", "is_active", mode="before"
    )(_not_null)


class StoreOut(BaseModel):
    """A store, with the paths of its storefront and dashboard."""

    code: str
    name: str
    platform: str
    subdomain: str
    custom_domain: str | None
    merchant_id: int | None
    merchant: str | None
    default_language: str
    languages: list[str]
    is_active: bool
    storefront_path: str
    dashboard_path: str
    created_at: datetime
    updated_at: datetime


# -- listings -------------------------------------------------------------------------------


ItemT = TypeVar("ItemT")


class PageOut(BaseModel, Generic[ItemT]):
    """One page of a listing."""

    items: list[ItemT]
    total: int
    page: int
    per_page: int
    pages: int


# -- modules --------------------------------------------------------------------------------


class ModuleOut(BaseModel):
    """A module and its state on one platform."""

    code: str
    name: str
    description: str
    tier: str
    requires: list[str]
    enabled: bool


class ModuleToggle(_Request):
    """Options of an enable or disable request."""

    dry_run: bool = Field(default=False, description="Only report what would change.")


class ModuleChangeOut(BaseModel):
    """What changed (or, for a dry run, would change): the module asked for and its cascade."""

    module: str
    action: str
    changed: list[str]
    dry_run: bool
