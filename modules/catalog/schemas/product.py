"""Requests and responses of the catalog's store and storefront APIs (prices in cents)."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

Status = Literal["draft", "published"]
Condition = Literal["new", "refurbished", "used"]
Availability = Literal["in_stock", "out_of_stock", "preorder", "backorder"]


class TranslationIn(BaseModel):
    """A product's text in one language."""

    model_config = ConfigDict(extra="forbid")

    title: str = Field("", max_length=500)
    description: str = Field("", max_length=50_000)


class VariantIn(BaseModel):
    """A variant: its SKU, options such as ``{"size": "M"}``, own price (None: the product's)
    and, for a new variant, its initial stock."""

    model_config = ConfigDict(extra="forbid")

    id: int | None = None
    sku: str = Field(..., max_length=100)
    options: dict[str, str] = Field(default_factory=dict)
    price_cents: int | None = None
    stock: int | None = Field(None, description="Initial units (new variants only).")


class ProductCreate(BaseModel):
    """A new product: titles per language (required in the store's default language)."""

    model_config = ConfigDict(extra="forbid")

    slug: str = Field(..., max_length=200)
    translations: dict[str, TranslationIn]
    variants: list[VariantIn] = Field(..., max_length=200)
    price_cents: int
    sale_price_cents: int | None = None
    vat_rate: int = Field(1700, description="Basis points: 1700, 1400, 800, 300 or 0.")
    category_id: int | None = None
    status: Status = "draft"
    brand: str = Field("", max_length=500)
    gtin: str = Field("", max_length=50)
    condition: Condition = "new"
    availability: Availability | None = Field(None, description="Set instead of following the stock.")
    cost_cents: int | None = Field(None, description="What one unit costs the store, VAT excluded.")
    is_digital: bool = Field(False, description="Digital products have unlimited stock.")


class ProductUpdate(BaseModel):
    """Fields to change; left out means unchanged. ``translations`` and ``variants`` replace."""

    model_config = ConfigDict(extra="forbid")

    slug: str | None = Field(None, max_length=200)
    translations: dict[str, TranslationIn] | None = None
    variants: list[VariantIn] | None = Field(None, max_length=200)
    price_cents: int | None = None
    sale_price_cents: int | None = None
    vat_rate: int | None = None
    category_id: int | None = None
    status: Status | None = None
    brand: str | None = Field(None, max_length=500)
    gtin: str | None = Field(None, max_length=50)
    condition: Condition | None = None
    availability: Availability | None = Field(None, description="null: follow the stock.")
    cost_cents: int | None = None
    is_digital: bool | None = None


class TranslationOut(BaseModel):
    title: str
    description: str


class VariantOut(BaseModel):
    id: int
    sku: str
    options: dict[str, str]
    price_cents: int | None
    effective_price_cents: int
    stock: int | None


class ProductOut(BaseModel):
    """A product as the store dashboard's API shows it."""

    id: int
    slug: str
    status: str
    category_id: int | None
    brand: str
    gtin: str
    vat_rate: int
    price_cents: int
    sale_price_cents: int | None
    condition: str
    availability: str | None
    cost_cents: int | None
    margin_cents: int | None = Field(description="Net price less cost, per unit; null without a cost.")
    margin_percent: float | None = Field(description="The margin as a percentage of the net price.")
    is_digital: bool
    translations: dict[str, TranslationOut]
    variants: list[VariantOut]
    image_ids: list[int]
    created_at: datetime
    updated_at: datetime


class ProductPageOut(BaseModel):
    items: list[ProductOut]
    total: int
    page: int
    per_page: int
    pages: int


class CardOut(BaseModel):
    """A product in a storefront listing."""

    slug: str
    title: str
    price_min_cents: int
    price_max_cents: int
    regular_price_cents: int | None
    available: bool
    url: str


class CardPageOut(BaseModel):
    items: list[CardOut]
    total: int
    more: bool = Field(
        default=False,
        description="True when more products match than `total` says: a search counts up to 1,000.",
    )
    page: int
    per_page: int
    pages: int


class StorefrontVariantOut(BaseModel):
    sku: str
    options: dict[str, str]
    price_cents: int
    available: bool
    stock: int | None


class StorefrontProductOut(BaseModel):
    """A published product in the shopper's language."""

    slug: str
    language: str
    title: str
    description: str
    brand: str
    gtin: str
    vat_rate: int
    price_min_cents: int
    price_max_cents: int
    regular_price_cents: int | None
    available: bool
    category: str | None
    options: dict[str, list[str]]
    variants: list[StorefrontVariantOut]
    images: list[str]
