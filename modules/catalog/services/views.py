"""What pages and the API get from the catalog: cards, product views, category rows."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from modules.catalog.models import Category
from modules.catalog.services import media
from orion_server.money import vat_percent


@dataclass(frozen=True)
class ImageView:
    """A product picture with its original size (None: unknown, an old upload)."""

    id: int
    file_name: str
    width: int | None
    height: int | None

    def size_at(self, longest: int) -> tuple[int, int] | None:
        """Width and height of the resized copy at ``longest`` px (None: size unknown)."""
        return media.scaled_size(self.width, self.height, longest)

    @property
    def sources(self) -> list[tuple[int, int]]:
        """``(variant, its width in px)`` for a ``srcset``; a small original, whose copies
        are all the same size, gives one entry."""
        by_width: dict[int, int] = {}
        for longest in media.VARIANT_WIDTHS:
            size = self.size_at(longest)
            by_width.setdefault(size[0] if size else longest, longest)
        return [(variant, width) for width, variant in by_width.items()]


@dataclass(frozen=True)
class ProductCard:
    """A product in a storefront listing."""

    id: int
    slug: str
    title: str
    price_min: int
    price_max: int
    regular_price: int | None
    """The price before the sale, when the product is on sale."""
    available: bool
    image_id: int | None
    image_name: str | None
    image: ImageView | None = None
    """The first picture with its size: the listing's ``width``/``height`` and ``srcset``."""


@dataclass(frozen=True)
class VariantView:
    """A variant on the product page."""

    id: int
    sku: str
    options: dict[str, str]
    label: str
    price_cents: int
    stock: int | None
    """Units available; None when unlimited."""

    @property
    def available(self) -> bool:
        return self.stock is None or self.stock > 0


@dataclass(frozen=True)
class CategoryLink:
    """A category as the storefront shows it: its name in one language, where it sits."""

    id: int
    parent_id: int | None
    slug: str
    name: str


@dataclass(frozen=True)
class CategoryRow:
    """A category in the dashboard's tree: its depth, how many products it holds itself and
    with its sub-categories, and whether it can move up or down among its siblings."""

    category: Category
    depth: int
    products: int
    products_with_children: int
    children: int
    first: bool
    last: bool


@dataclass(frozen=True)
class ProductView:
    """One published product in one language, ready to render."""

    id: int
    slug: str
    language: str
    title: str
    description: str
    brand: str
    gtin: str
    vat_rate: int
    price_min: int
    price_max: int
    regular_price: int | None
    variants: list[VariantView]
    images: list[ImageView]
    category_slug: str | None
    category_name: str | None
    category_path: list[tuple[str, str]] = field(default_factory=list)
    """``(slug, name)`` from the top category down to the product's, for a breadcrumb."""

    @property
    def vat_percent(self) -> str:
        return vat_percent(self.vat_rate)

    @property
    def available(self) -> bool:
        return any(v.available for v in self.variants)

    @property
    def option_names(self) -> dict[str, list[str]]:
        """Every option name with its values in variant order: ``{"size": ["S", "M"]}``."""
        names: dict[str, list[str]] = {}
        for variant in self.variants:
            for name, value in variant.options.items():
                values = names.setdefault(name, [])
                if value not in values:
                    values.append(value)
        return names

    @property
    def paragraphs(self) -> list[str]:
        return [p.strip() for p in re.split(r"\n\s*\n", self.description or "") if p.strip()]


@dataclass
class _CleanProduct:
    slug: str
    category_id: int | None
    status: str
    brand: str
    gtin: str
    vat_rate: int
    price_cents: int
    sale_price_cents: int | None
    translations: dict[str, dict[str, str]]
    variants: list[dict[str, Any]] = field(default_factory=list)
    condition: str = "new"
    availability: str | None = None
    cost_cents: int | None = None
    is_digital: bool = False
