"""What a catalog sells, as the cart and checkout see it, without importing the catalog.

The catalog module provides ``ProductCatalog`` (``provides=`` in its definition); the cart and
checkout ask ``find_offer`` for the current price of a SKU::

    from modules.contracts.product_catalog import find_offer

    offer = find_offer(db, store_id=store.id, sku="BREAD-1", language="de")
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol, runtime_checkable

from orion_server.providers import get_provider
from orion_server.tenants import platform_id_of_store


@dataclass(frozen=True)
class Offer:
    """One buyable SKU of a store at its current price, in one language."""

    sku: str
    """The variant's SKU, unique per store."""
    title: str
    """The product's title in the asked language (with fallback)."""
    options: dict[str, str] = field(default_factory=dict)
    """The variant's options with their names in the asked language, e.g. ``{"Größe": "M"}``
    (de); empty for a simple product. Orders keep them as they were when the line was ordered."""
    unit_price_cents: int = 0
    """What one unit costs now (the sale price when there is one), VAT included."""
    vat_rate: int = 1700
    """VAT rate in basis points, as the catalog stores it (1700 = 17 %)."""
    image_url: str | None = None
    """Path of the first picture relative to the storefront root, None without one."""
    product_url_path: str = ""
    """Path of the product page relative to the storefront root, e.g. ``products/<slug>``."""
    published: bool = True
    """False for drafts: not for sale."""


CONDITIONS = ("new", "refurbished", "used")
"""A product's condition, as Google Shopping names it."""
AVAILABILITIES = ("in_stock", "out_of_stock", "preorder", "backorder")
"""What a product's availability may be set to instead of following its stock (Google
Shopping's values)."""


@dataclass(frozen=True)
class FeedItem:
    """One published variant as a product feed (Google Shopping, Letzshop) lists it."""

    sku: str
    product_id: int
    """The product the variant belongs to (Google's ``item_group_id``)."""
    title: str
    """The product's title in the asked language (with fallback), with the variant's options."""
    description: str
    product_url_path: str
    """Path of the product page relative to the storefront root, e.g. ``products/<slug>``."""
    image_paths: tuple[str, ...] = ()
    """Paths of the product's pictures relative to the storefront root, first one first."""
    price_cents: int = 0
    """The regular price of one unit, VAT included."""
    sale_price_cents: int | None = None
    """The reduced price when the product is on sale, else None."""
    brand: str = ""
    gtin: str = ""
    condition: str = "new"
    """One of ``CONDITIONS``."""
    availability: str | None = None
    """One of ``AVAILABILITIES`` when staff set it, None: follow the stock."""
    stock: int | None = 0
    """Units that can be sold now; None for unlimited (digital) products."""
    is_digital: bool = False


@runtime_checkable
class ProductCatalog(Protocol):
    """Where offers come from (the catalog module)."""

    def offer(self, db: Any, *, store_id: int, sku: str, language: str) -> Offer | None:
        """The offer for ``sku`` at ``store_id`` in ``language``, None when the SKU is unknown."""
        ...

    def feed_items(self, db: Any, *, store_id: int, language: str) -> Iterator[FeedItem]:
        """Every variant of the store's published products, in ``language``, product by
        product (oldest first) and in variant order, with its stock."""
        ...


def find_offer(db: Any, *, store_id: int, sku: str, language: str) -> Offer | None:
    """The offer for ``sku`` from the catalog of the store's platform; None when the SKU is
    unknown or no enabled module provides a catalog there."""
    catalog = get_provider(db, ProductCatalog, platform_id=platform_id_of_store(db, store_id))
    if catalog is None:
        return None
    return catalog.offer(db, store_id=store_id, sku=sku, language=language)


@dataclass(frozen=True)
class ImportedProduct:
    """One product read from an outside catalogue file (a Letzshop feed, Orion's CSV), to be
    created or updated by its SKU. Texts are in ``language``; prices are cents."""

    sku: str
    language: str
    title: str
    description: str = ""
    price_cents: int | None = None
    sale_price_cents: int | None = None
    brand: str = ""
    gtin: str = ""
    condition: str = "new"
    availability: str | None = None
    stock: int | None = None
    """Opening units of a new product; an existing product's stock is left to inventory."""
    images: tuple[tuple[str, bytes], ...] = ()
    """``(file name, data)`` of pictures for a product that has none yet."""
    given: frozenset[str] = frozenset(
        {"sale_price_cents", "brand", "gtin", "condition", "availability", "description"}
    )
    """Which of the optional fields the file has: the others keep an existing product's value
    (a new product gets their defaults)."""


@runtime_checkable
class ProductImport(Protocol):
    """Creating and updating products from an outside catalogue (the catalog module)."""

    def import_product(self, db: Any, *, store_id: int, product: ImportedProduct, actor: str | None) -> str:
        """Create the product of ``product.sku`` (published) or bring it in line with
        ``product``; ``created``, ``updated`` or ``unchanged`` (nothing written: importing the
        same file twice changes nothing). A product is written whole or not at all; broken
        rules raise ``orion_server.forms.InputError`` naming the fields (``price_cents``,
        ``title``, ``gtin``...)."""
        ...

    def has_images(self, db: Any, *, store_id: int, sku: str) -> bool:
        """Whether the product of ``sku`` exists and has pictures (no need to fetch any)."""
        ...


def catalog_of(db: Any, *, store_id: int) -> ProductCatalog | None:
    """The catalog of the store's platform, None where no enabled module provides one."""
    return get_provider(db, ProductCatalog, platform_id=platform_id_of_store(db, store_id))


@runtime_checkable
class ProductCategories(Protocol):
    """The category each SKU's product is filed under (the catalog module), for reports."""

    def category_names(
        self, db: Any, *, store_id: int, skus: Sequence[str], language: str
    ) -> Mapping[str, str]:
        """``{sku: category name in language}`` for the SKUs whose product has a category;
        unknown SKUs and products without a category are left out."""
        ...
