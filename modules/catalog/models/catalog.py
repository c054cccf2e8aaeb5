"""Categories (a tree per store), products with their text per language, variants and images."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from orion_server.config import SUPPORTED_LANGUAGES
from orion_server.database import Base, TimestampMixin, UTCDateTime, utcnow

FALLBACK_LANGUAGE = "en"


def _pick(by_language: dict[str, Any], language: str | None, default: str | None = None) -> Any:
    for candidate in (language, default, FALLBACK_LANGUAGE, *SUPPORTED_LANGUAGES):
        if candidate in by_language:
            return by_language[candidate]
    return next(iter(by_language.values()), None)


class Category(TimestampMixin, Base):
    """A category of a store's products; ``parent_id`` makes the categories a tree."""

    __tablename__ = "catalog_categories"
    __table_args__ = (UniqueConstraint("store_id", "slug"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    store_id: Mapped[int] = mapped_column(ForeignKey("stores.id", ondelete="CASCADE"), index=True)
    parent_id: Mapped[int | None] = mapped_column(
        ForeignKey("catalog_categories.id", ondelete="SET NULL"), index=True
    )
    slug: Mapped[str] = mapped_column(String(100), nullable=False)
    position: Mapped[int] = mapped_column(Integer, default=0, nullable=False)

    translations: Mapped[list[CategoryTranslation]] = relationship(
        back_populates="category",
        cascade="all, delete-orphan",
        lazy="selectin",
        order_by="CategoryTranslation.language",
    )

    def name_for(self, language: str | None, default: str | None = None) -> str:
        """The name in ``language`` (else the default language, English, any), or the slug."""
        tr = _pick({t.language: t for t in self.translations}, language, default)
        return tr.name if tr and tr.name else self.slug


class CategoryTranslation(TimestampMixin, Base):
    """The name of a category in one language."""

    __tablename__ = "catalog_category_translations"
    __table_args__ = (UniqueConstraint("category_id", "language"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    category_id: Mapped[int] = mapped_column(
        ForeignKey("catalog_categories.id", ondelete="CASCADE"), index=True
    )
    language: Mapped[str] = mapped_column(String(5), nullable=False)
    name: Mapped[str] = mapped_column(String(200), nullable=False)

    category: Mapped[Category] = relationship(back_populates="translations")


class Product(TimestampMixin, Base):
    """A product of a store: prices in cents with VAT included, VAT rate in basis points."""

    __tablename__ = "catalog_products"
    __table_args__ = (
        UniqueConstraint("store_id", "slug"),
        Index("ix_catalog_products_store_listing", "store_id", "status", "created_at", "id"),
        # the dashboard's list, drafts too, newest first
        Index("ix_catalog_products_store_newest", "store_id", "created_at", "id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    store_id: Mapped[int] = mapped_column(ForeignKey("stores.id", ondelete="CASCADE"), index=True)
    category_id: Mapped[int | None] = mapped_column(
        ForeignKey("catalog_categories.id", ondelete="SET NULL"), index=True
    )
    slug: Mapped[str] = mapped_column(String(100), nullable=False)
    status: Mapped[str] = mapped_column(String(20), default="draft", nullable=False)
    brand: Mapped[str] = mapped_column(String(100), default="", nullable=False)
    gtin: Mapped[str] = mapped_column(String(14), default="", nullable=False)
    vat_rate: Mapped[int] = mapped_column(Integer, default=1700, nullable=False)
    price_cents: Mapped[int] = mapped_column(Integer, nullable=False)
    sale_price_cents: Mapped[int | None] = mapped_column(Integer)
    condition: Mapped[str] = mapped_column(String(20), default="new", nullable=False)
    """``new``, ``refurbished`` or ``used`` (Google Shopping's words)."""
    availability: Mapped[str | None] = mapped_column(String(20))
    """``in_stock``, ``out_of_stock``, ``preorder`` or ``backorder`` set by staff; None: from
    the stock."""
    cost_cents: Mapped[int | None] = mapped_column(Integer)
    """What one unit costs the store, VAT excluded (for the margin staff see)."""
    is_digital: Mapped[bool] = mapped_column(Boolean, default=False, nullable=False)
    """A digital product never runs out: inventory keeps its SKUs unlimited."""

    translations: Mapped[list[ProductTranslation]] = relationship(
        back_populates="product",
        cascade="all, delete-orphan",
        lazy="selectin",
        order_by="ProductTranslation.language",
    )
    variants: Mapped[list[Variant]] = relationship(
        back_populates="product",
        cascade="all, delete-orphan",
        lazy="selectin",
        order_by="(Variant.position, Variant.id)",
    )
    images: Mapped[list[ProductImage]] = relationship(
        back_populates="product",
        cascade="all, delete-orphan",
        lazy="selectin",
        order_by="(ProductImage.position, ProductImage.id)",
    )
    category: Mapped[Category | None] = relationship(lazy="joined")

    def translation_for(
        self, language: str | None, default: str | None = None
    ) -> ProductTranslation | None:
        """The text in ``language``, else the default language, English, any."""
        return _pick({t.language: t for t in self.translations}, language, default)

    def title_for(self, language: str | None, default: str | None = None) -> str:
        """The title in ``language`` (same fallback), or the slug."""
        tr = self.translation_for(language, default)
        return tr.title if tr and tr.title else self.slug

    @property
    def base_price_cents(self) -> int:
        """What the product costs now: the sale price when there is one."""
        return self.sale_price_cents if self.sale_price_cents is not None else self.price_cents

    def variant_price(self, variant: Variant) -> int:
        """A variant's own price, else the product's current price."""
        return variant.price_cents if variant.price_cents is not None else self.base_price_cents


class ProductTranslation(TimestampMixin, Base):
    """The title and description of a product in one language."""

    __tablename__ = "catalog_product_translations"
    __table_args__ = (UniqueConstraint("product_id", "language"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    product_id: Mapped[int] = mapped_column(
        ForeignKey("catalog_products.id", ondelete="CASCADE"), index=True
    )
    language: Mapped[str] = mapped_column(String(5), nullable=False)
    title: Mapped[str] = mapped_column(String(200), nullable=False)
    description: Mapped[str] = mapped_column(Text, default="", nullable=False)

    product: Mapped[Product] = relationship(back_populates="translations")


class Variant(TimestampMixin, Base):
    """A buyable version of a product (size M, red) with its own SKU, price and stock.

    Every product has at least one variant; a product without options has one with ``{}``.
    ``store_id`` repeats the product's so the SKU can be unique per store.
    """

    __tablename__ = "catalog_variants"
    __table_args__ = (UniqueConstraint("store_id", "sku"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    product_id: Mapped[int] = mapped_column(
        ForeignKey("catalog_products.id", ondelete="CASCADE"), index=True
    )
    store_id: Mapped[int] = mapped_column(ForeignKey("stores.id", ondelete="CASCADE"), index=True)
    sku: Mapped[str] = mapped_column(String(64), nullable=False)
    options: Mapped[dict[str, str]] = mapped_column(JSON, default=dict, nullable=False)
    price_cents: Mapped[int | None] = mapped_column(Integer)
    position: Mapped[int] = mapped_column(Integer, default=0, nullable=False)

    product: Mapped[Product] = relationship(back_populates="variants")

    @property
    def label(self) -> str:
        """``M / red``, or the SKU when the variant has no options."""
        return " / ".join(str(v) for v in self.options.values()) if self.options else self.sku


class ProductImage(Base):
    """An uploaded picture of a product, stored under ``data_dir/media/<store id>/catalog``."""

    __tablename__ = "catalog_images"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    product_id: Mapped[int] = mapped_column(
        ForeignKey("catalog_products.id", ondelete="CASCADE"), index=True
    )
    file_name: Mapped[str] = mapped_column(String(255), nullable=False)
    content_type: Mapped[str] = mapped_column(String(50), nullable=False)
    width: Mapped[int | None] = mapped_column(Integer)
    height: Mapped[int | None] = mapped_column(Integer)
    size_bytes: Mapped[int] = mapped_column(Integer, default=0, nullable=False)
    position: Mapped[int] = mapped_column(Integer, default=0, nullable=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, nullable=False)

    product: Mapped[Product] = relationship(back_populates="images")


class SlugRedirect(Base):
    """An address a product or category had before its slug changed: the storefront answers it
    with a permanent redirect to the current one, so links and search results keep working.
    Removed with its category, and when a new product or category takes the old slug. A deleted
    product leaves its addresses behind without a target (no product, no category): they answer
    410 Gone."""

    __tablename__ = "catalog_slug_redirects"
    __table_args__ = (UniqueConstraint("store_id", "kind", "old_slug"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    store_id: Mapped[int] = mapped_column(ForeignKey("stores.id", ondelete="CASCADE"), nullable=False)
    kind: Mapped[str] = mapped_column(String(10), nullable=False)
    """``product`` or ``category``."""
    old_slug: Mapped[str] = mapped_column(String(100), nullable=False)
    product_id: Mapped[int | None] = mapped_column(ForeignKey("catalog_products.id", ondelete="CASCADE"))
    category_id: Mapped[int | None] = mapped_column(ForeignKey("catalog_categories.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, nullable=False)
