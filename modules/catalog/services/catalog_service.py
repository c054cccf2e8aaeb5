"""The catalog: categories, products with variants and translations, search, images, export.

Prices are integer cents with VAT included; ``vat_rate`` is in basis points (1700 = 17 %).
Every product has at least one variant (one without options for a simple product); stock
belongs to the variant's SKU and is kept by the inventory module.

Search: on SQLite an FTS5 table ``catalog_search`` holds one row per product and language
(rowid = product id × 16 + the language's slot), kept up to date by this service; on
PostgreSQL the query computes ``to_tsvector`` over the translation and the SKUs.
"""

from __future__ import annotations

import csv
import io
import re
import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Select, column, func, literal_column, or_, select, table, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, defer, lazyload, selectinload

from modules.catalog.exceptions import CatalogInputError, Problem
from modules.catalog.models import (
    Category,
    CategoryTranslation,
    Product,
    ProductImage,
    ProductTranslation,
    Variant,
)
from modules.catalog.services import media
from orion_server.config import SUPPORTED_LANGUAGES
from orion_server.database import begin_write, utcnow
from orion_server.errors import NotFoundError
from orion_server.models import Store
from orion_server.money import (
    DEFAULT_VAT_RATE,
    MoneyError,
    amount_text,
    parse_amount,
    parse_vat_rate,
    vat_percent,
)
from orion_server.pagination import Page

SLUG_PATTERN = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,98}[a-z0-9])?$")
SKU_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._/-]{0,63}$")
GTIN_PATTERN = re.compile(r"^(\d{8}|\d{12,14})$")
STATUSES = ("draft", "published")
SORTS = ("newest", "price_asc", "price_desc", "name", "relevance")
MAX_PRICE_CENTS = 100_000_000
PRICE_PROBLEMS = {
    "money.errors.invalid": "catalog.errors.price_invalid",
    "money.errors.decimals": "catalog.errors.price_invalid",
    "money.errors.negative": "catalog.errors.price_negative",
    "money.errors.too_high": "catalog.errors.price_too_high",
}
"""The catalog's message for each way orion_server.money refuses a price."""
MAX_STOCK = 1_000_000
MAX_ID = 2**31 - 1  # ids are 32-bit on PostgreSQL: looking up a bigger one fails there (a 500)
MAX_TITLE = 200
MAX_DESCRIPTION = 20_000
MAX_BRAND = 100
MAX_OPTIONS = 5
MAX_VARIANTS = 100
MAX_QUERY_TERMS = 8
PER_PAGE_LIMIT = 100
MAX_POSITION = 10_000
LANGUAGE_SLOTS = {language: slot for slot, language in enumerate(SUPPORTED_LANGUAGES)}
ROWS_PER_PRODUCT = 16

_search_table = table(
    "catalog_search", column("rowid"), column("store_id"), column("language"), column("rank")
)


# -- small helpers ---------------------------------------------------------------------------


def parse_options(value: Mapping[str, Any] | str | None) -> dict[str, str]:
    """``{"size": "M"}`` as given, or parsed from ``size=M, colour=red``; ValueError if malformed."""
    if value is None:
        return {}
    if isinstance(value, Mapping):
        return {str(k).strip(): str(v).strip() for k, v in value.items()}
    options: dict[str, str] = {}
    for part in str(value).replace(";", ",").split(","):
        if not part.strip():
            continue
        name, sep, option_value = part.partition("=")
        if not sep:
            name, sep, option_value = part.partition(":")
        if not sep:
            raise ValueError("write options as name=value")
        options[name.strip()] = option_value.strip()
    return options


def options_text(options: Mapping[str, str]) -> str:
    """``{"size": "M", "colour": "red"}`` -> ``size=M, colour=red``."""
    return ", ".join(f"{k}={v}" for k, v in options.items())


def search_terms(q: str | None) -> list[str]:
    """The words of a search box (letters and digits only, so no input can break a query)."""
    if not q:
        return []
    return [term.lower() for term in re.findall(r"[^\W_]+", q[:200])][:MAX_QUERY_TERMS]


def fts5_query(terms: Sequence[str]) -> str:
    """An FTS5 expression matching every term as a prefix: ``"brot"* "001"*``."""
    return " ".join(f'"{term}"*' for term in terms)


def stock_levels(db: Session, *, store_id: int, skus: Iterable[str]) -> dict[str, int | None]:
    """Units available per SKU (None: unlimited), asked of the inventory module.

    The only place the catalog reads stock; inventory answers 0 for SKUs it does not stock.
    """
    skus = list(skus)
    if not skus:
        return {}
    try:
        from modules.inventory.services import inventory_service
    except ImportError:
        return {}
    available = getattr(inventory_service, "available", None)
    if available is None:
        return {}
    return dict(available(db, store_id=store_id, skus=skus))


def set_initial_stock(
    db: Session, *, store_id: int, sku: str, quantity: int, actor: str | None, reference: str
) -> bool:
    """Record a new variant with the inventory module (its first units as a receipt);
    False when the inventory module is missing."""
    try:
        from modules.inventory.services import inventory_service
    except ImportError:
        return False
    if quantity > 0:
        inventory_service.receive(
            db,
            store_id=store_id,
            sku=sku,
            quantity=quantity,
            reason="receipt",
            actor=actor,
            reference=reference,
            note="initial stock",
        )
    else:
        inventory_service.ensure_item(db, store_id=store_id, sku=sku)
    return True


# -- what pages and the API get --------------------------------------------------------------


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
class ImageView:
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


class CatalogService:
    """Categories, products, variants, images, storefront listing and search, CSV export."""

    # -- categories -----------------------------------------------------------------------

    def list_categories(self, db: Session, *, store_id: int) -> list[Category]:
        """The store's categories, by position then slug."""
        return list(
            db.scalars(
                select(Category)
                .where(Category.store_id == store_id)
                .order_by(Category.position, Category.slug)
            )
        )

    def category_tree(self, db: Session, *, store_id: int) -> list[tuple[Category, int]]:
        """The store's categories depth first, each with its depth (0 for a top category)."""
        categories = self.list_categories(db, store_id=store_id)
        children: dict[int | None, list[Category]] = {}
        ids = {c.id for c in categories}
        for category in categories:
            parent = category.parent_id if category.parent_id in ids else None
            children.setdefault(parent, []).append(category)
        result: list[tuple[Category, int]] = []

        def walk(parent: int | None, depth: int) -> None:
            for category in children.get(parent, []):
                result.append((category, depth))
                walk(category.id, depth + 1)

        walk(None, 0)
        return result

    def get_category(self, db: Session, *, store_id: int, category_id: int) -> Category:
        """One of the store's categories; others look like they do not exist."""
        category = db.get(Category, category_id) if 0 < category_id <= MAX_ID else None
        if category is None or category.store_id != store_id:
            raise NotFoundError(f"no category {category_id}")
        return category

    def get_category_by_slug(self, db: Session, *, store_id: int, slug: str) -> Category:
        category = db.scalar(
            select(Category).where(Category.store_id == store_id, Category.slug == slug)
        )
        if category is None:
            raise NotFoundError(f"no category {slug!r}")
        return category

    def branch_ids(self, db: Session, *, store_id: int, category_id: int) -> list[int]:
        """The category and every category below it (what may not become its parent)."""
        return self._descendant_ids(db, store_id=store_id, category_id=category_id)

    def _descendant_ids(self, db: Session, *, store_id: int, category_id: int) -> list[int]:
        rows = db.execute(
            select(Category.id, Category.parent_id).where(Category.store_id == store_id)
        ).all()
        children: dict[int | None, list[int]] = {}
        for cid, parent in rows:
            children.setdefault(parent, []).append(cid)
        found, stack = [], [category_id]
        while stack:
            current = stack.pop()
            if current in found:
                continue
            found.append(current)
            stack.extend(children.get(current, []))
        return found

    def category_rows(self, db: Session, *, store_id: int) -> list[CategoryRow]:
        """The tree for the dashboard: depth first, with product counts per category."""
        tree = self.category_tree(db, store_id=store_id)
        direct = dict(
            db.execute(
                select(Product.category_id, func.count(Product.id))
                .where(Product.store_id == store_id, Product.category_id.is_not(None))
                .group_by(Product.category_id)
            ).all()
        )
        siblings: dict[int | None, list[int]] = {}
        for category, _depth in tree:
            siblings.setdefault(category.parent_id, []).append(category.id)
        rows: list[CategoryRow] = []
        for index, (category, depth) in enumerate(tree):
            total = direct.get(category.id, 0)
            children = 0
            for descendant, descendant_depth in tree[index + 1 :]:
                if descendant_depth <= depth:
                    break
                total += direct.get(descendant.id, 0)
                children += descendant_depth == depth + 1
            group = siblings.get(category.parent_id, [])
            rows.append(
                CategoryRow(
                    category=category,
                    depth=depth,
                    products=direct.get(category.id, 0),
                    products_with_children=total,
                    children=children,
                    first=bool(group) and group[0] == category.id,
                    last=bool(group) and group[-1] == category.id,
                )
            )
        return rows

    def save_category(
        self,
        db: Session,
        *,
        store_id: int,
        category_id: int | None = None,
        slug: str,
        names: Mapping[str, str | None],
        default_language: str = "en",
        parent_id: int | str | None = None,
        position: int | str | None = 0,
    ) -> Category:
        """Create (``category_id`` None) or update a category. Every problem is reported at
        once: a name in the default language is required, the slug is unique in the store, the
        parent is one of the store's categories and not the category itself or one of its
        descendants (no cycles), the position a whole number from 0 to ``MAX_POSITION``."""
        problems: list[Problem] = []
        slug = (slug or "").strip().lower()
        if not slug:
            problems.append(Problem("slug", "catalog.errors.category_slug_required"))
        elif not SLUG_PATTERN.match(slug):
            problems.append(Problem("slug", "catalog.errors.slug_invalid"))
        cleaned = {}
        for language, name in names.items():
            if language not in SUPPORTED_LANGUAGES:
                problems.append(Problem(f"names.{language}", "catalog.errors.language_unknown"))
                continue
            name = (name or "").strip()
            if not name:
                continue
            if len(name) > MAX_TITLE:
                problems.append(
                    Problem(f"names.{language}", "catalog.errors.too_long", {"max": MAX_TITLE})
                )
            cleaned[language] = name[:MAX_TITLE]
        if default_language not in cleaned:
            problems.append(Problem(f"names.{default_language}", "catalog.errors.name_required"))
        order = 0
        try:
            order = int(str(position if position is not None else "").strip() or "0")
            if not 0 <= order <= MAX_POSITION:
                raise ValueError
        except ValueError:
            problems.append(
                Problem("position", "catalog.errors.position_invalid", {"max": MAX_POSITION})
            )
        parent: int | None = None
        if parent_id not in (None, ""):
            try:
                parent = int(parent_id)  # type: ignore[arg-type]
                self.get_category(db, store_id=store_id, category_id=parent)
            except (ValueError, TypeError, NotFoundError):
                problems.append(Problem("parent_id", "catalog.errors.parent_invalid"))
                parent = None
        if category_id is not None:
            # 404 before any field message for a category of another store
            self.get_category(db, store_id=store_id, category_id=category_id)
            if parent is not None and parent in self._descendant_ids(
                db, store_id=store_id, category_id=category_id
            ):
                problems.append(Problem("parent_id", "catalog.errors.parent_cycle"))
        if slug and db.scalar(
            select(Category.id).where(
                Category.store_id == store_id,
                Category.slug == slug,
                Category.id != (category_id or 0),
            )
        ):
            problems.append(Problem("slug", "catalog.errors.category_slug_taken", {"slug": slug}))
        if problems:
            raise CatalogInputError(problems)
        begin_write(db)
        if category_id is not None:
            category = self.get_category(db, store_id=store_id, category_id=category_id)
            # checked again under the write lock: another writer may have moved a category
            if parent is not None and parent in self._descendant_ids(
                db, store_id=store_id, category_id=category_id
            ):
                db.rollback()
                raise CatalogInputError([Problem("parent_id", "catalog.errors.parent_cycle")])
        else:
            category = Category(store_id=store_id)
        category.slug, category.parent_id, category.position = slug, parent, order
        existing = {tr.language: tr for tr in category.translations}
        for language, tr in existing.items():
            if language not in cleaned:
                category.translations.remove(tr)
        for language, name in cleaned.items():
            if language in existing:
                existing[language].name = name
            else:
                category.translations.append(CategoryTranslation(language=language, name=name))
        if category_id is None:
            db.add(category)
        self._commit(db, [Problem("slug", "catalog.errors.category_slug_taken", {"slug": slug})])
        return category

    def move_category(
        self, db: Session, *, store_id: int, category_id: int, direction: str
    ) -> Category:
        """Swap a category with the sibling before (``up``) or after it (``down``); the
        siblings' positions are renumbered 0, 1, 2, ... in their shown order first."""
        if direction not in ("up", "down"):
            raise CatalogInputError([Problem("direction", "catalog.errors.direction_invalid")])
        begin_write(db)
        category = self.get_category(db, store_id=store_id, category_id=category_id)
        siblings = [
            c
            for c in self.list_categories(db, store_id=store_id)
            if c.parent_id == category.parent_id
        ]
        index = siblings.index(category)
        other = index - 1 if direction == "up" else index + 1
        if 0 <= other < len(siblings):
            siblings[index], siblings[other] = siblings[other], siblings[index]
        for position, sibling in enumerate(siblings):
            sibling.position = position
        db.commit()
        return category

    def delete_category(self, db: Session, *, store_id: int, category_id: int) -> None:
        """Delete a category. Its sub-categories move up one level (to its parent, or to the
        top) and its products stay, without a category; nothing else is deleted."""
        begin_write(db)
        category = self.get_category(db, store_id=store_id, category_id=category_id)
        db.execute(
            Product.__table__.update()
            .where(Product.store_id == store_id, Product.category_id == category.id)
            .values(category_id=None)
        )
        db.execute(
            Category.__table__.update()
            .where(Category.store_id == store_id, Category.parent_id == category.id)
            .values(parent_id=category.parent_id)
        )
        db.delete(category)
        db.commit()

    # -- products: reading ----------------------------------------------------------------

    def get_product(self, db: Session, *, store_id: int, product_id: int) -> Product:
        """One of the store's products; other stores' products look like they do not exist."""
        product = db.get(Product, product_id) if 0 < product_id <= MAX_ID else None
        if product is None or product.store_id != store_id:
            raise NotFoundError(f"no product {product_id}")
        return product

    def list_products(
        self,
        db: Session,
        *,
        store_id: int,
        q: str = "",
        status: str | None = None,
        category_id: int | None = None,
        page: int = 1,
        per_page: int = 25,
    ) -> Page:
        """The store's products for the dashboard, newest first; ``q`` looks in titles (every
        language), slugs and SKUs."""
        page, per_page = max(1, page), min(max(1, per_page), PER_PAGE_LIMIT)
        query = select(Product).where(Product.store_id == store_id)
        if status in STATUSES:
            query = query.where(Product.status == status)
        if category_id is not None:
            query = query.where(Product.category_id == category_id)
        needle = (q or "").strip().lower()[:100]
        if needle:
            in_titles = select(ProductTranslation.product_id).where(
                func.lower(ProductTranslation.title).contains(needle, autoescape=True)
            )
            in_skus = select(Variant.product_id).where(
                Variant.store_id == store_id,
                func.lower(Variant.sku).contains(needle, autoescape=True),
            )
            query = query.where(
                or_(
                    Product.slug.contains(needle, autoescape=True),
                    Product.id.in_(in_titles),
                    Product.id.in_(in_skus),
                )
            )
        total = db.scalar(select(func.count()).select_from(query.subquery())) or 0
        items = list(
            db.scalars(
                query.order_by(Product.created_at.desc(), Product.id.desc())
                .limit(per_page)
                .offset((page - 1) * per_page)
            )
        )
        return Page(items, total, page, per_page)

    def stock_by_sku(
        self, db: Session, *, store_id: int, products: Iterable[Product]
    ) -> dict[str, int | None]:
        """Units available for every variant of ``products``."""
        skus = [v.sku for p in products for v in p.variants]
        levels = stock_levels(db, store_id=store_id, skus=skus)
        return {sku: levels.get(sku) for sku in skus}

    @staticmethod
    def _price_expression():
        return func.coalesce(
            Variant.price_cents, func.coalesce(Product.sale_price_cents, Product.price_cents)
        )

    def _search_filter(
        self,
        db: Session,
        query: Select,
        *,
        store_id: int,
        language: str,
        default: str,
        terms: list[str],
    ) -> tuple[Select, Any]:
        """``query`` narrowed to products matching every term; also a rank to order by (or None)."""
        if db.get_bind().dialect.name == "sqlite":
            matches = (
                select(
                    literal_column(f"catalog_search.rowid / {ROWS_PER_PRODUCT}").label(
                        "product_id"
                    ),
                    literal_column("catalog_search.rank").label("rank"),
                )
                .select_from(_search_table)
                .where(
                    text("catalog_search MATCH :fts_query").bindparams(fts_query=fts5_query(terms))
                )
                .where(_search_table.c.store_id == store_id, _search_table.c.language == language)
                .subquery()
            )
            query = query.join(matches, matches.c.product_id == Product.id)
            return query, matches.c.rank
        tsquery = func.to_tsquery("simple", " & ".join(f"{term}:*" for term in terms))
        skus = (
            select(func.string_agg(Variant.sku, " "))
            .where(Variant.product_id == ProductTranslation.product_id)
            .scalar_subquery()
        )
        document = func.to_tsvector(
            "simple",
            func.coalesce(ProductTranslation.title, "")
            + " "
            + func.coalesce(ProductTranslation.description, "")
            + " "
            + func.coalesce(skus, ""),
        )
        matching = select(ProductTranslation.product_id).where(
            ProductTranslation.language.in_({language, default}), document.op("@@")(tsquery)
        )
        return query.where(Product.id.in_(matching)), None

    def list_storefront(
        self,
        db: Session,
        *,
        store_id: int,
        language: str,
        category: str | None = None,
        sort: str | None = None,
        q: str | None = None,
        page: int = 1,
        per_page: int = 24,
    ) -> Page:
        """Published products of the store with their price range and availability.

        ``category`` is a category slug (its sub-categories count too); ``q`` searches title,
        description and SKU in ``language``; ``sort`` is newest (default), price_asc,
        price_desc, name, or relevance (the default when searching). An unknown category gives
        an empty page.
        """
        page, per_page = max(1, page), min(max(1, per_page), PER_PAGE_LIMIT)
        default = self._default_language(db, store_id)
        query = select(Product).where(Product.store_id == store_id, Product.status == "published")
        if category:
            category_row = db.scalar(
                select(Category).where(Category.store_id == store_id, Category.slug == category)
            )
            if category_row is None:
                return Page([], 0, page, per_page)
            ids = self._descendant_ids(db, store_id=store_id, category_id=category_row.id)
            query = query.where(Product.category_id.in_(ids))
        terms = search_terms(q)
        rank = None
        if terms:
            query, rank = self._search_filter(
                db, query, store_id=store_id, language=language, default=default, terms=terms
            )
        sort = sort if sort in SORTS else ("relevance" if terms else "newest")
        min_price = (
            select(func.min(self._price_expression()))
            .where(Variant.product_id == Product.id)
            .correlate(Product)
            .scalar_subquery()
        )
        if sort == "price_asc":
            order = [min_price.asc(), Product.id.asc()]
        elif sort == "price_desc":
            order = [min_price.desc(), Product.id.desc()]
        elif sort == "name":
            title = (
                select(ProductTranslation.title)
                .where(
                    ProductTranslation.product_id == Product.id,
                    ProductTranslation.language.in_({language, default}),
                )
                .order_by((ProductTranslation.language == language).desc())
                .limit(1)
                .correlate(Product)
                .scalar_subquery()
            )
            order = [func.lower(func.coalesce(title, Product.slug)).asc(), Product.id.asc()]
        elif sort == "relevance" and rank is not None:
            order = [rank.asc(), Product.id.desc()]
        else:
            order = [Product.created_at.desc(), Product.id.desc()]
        total = db.scalar(select(func.count()).select_from(query.subquery())) or 0
        # A card needs the title in two languages at most, not every translation with its
        # description, nor the category: one query and a quarter of this method's time less
        # (profiled on the demo store). The partial collections are fine: the request only reads.
        card_loading = (
            selectinload(
                Product.translations.and_(ProductTranslation.language.in_({language, default}))
            ).options(defer(ProductTranslation.description)),
            lazyload(Product.category),
        )
        products = list(
            db.scalars(
                query.options(*card_loading)
                .order_by(*order)
                .limit(per_page)
                .offset((page - 1) * per_page)
            )
        )
        stock = self.stock_by_sku(db, store_id=store_id, products=products)
        cards = [self._card(product, language, default, stock) for product in products]
        return Page(cards, total, page, per_page)

    def _card(
        self, product: Product, language: str, default: str, stock: dict[str, int | None]
    ) -> ProductCard:
        prices = [product.variant_price(v) for v in product.variants] or [product.base_price_cents]
        image = product.images[0] if product.images else None
        on_sale = (
            product.sale_price_cents is not None and product.sale_price_cents < product.price_cents
        )
        return ProductCard(
            id=product.id,
            slug=product.slug,
            title=product.title_for(language, default),
            price_min=min(prices),
            price_max=max(prices),
            regular_price=product.price_cents if on_sale else None,
            available=any(
                stock.get(v.sku) is None or (stock.get(v.sku) or 0) > 0 for v in product.variants
            ),
            image_id=image.id if image else None,
            image_name=image.file_name if image else None,
        )

    def get_product_for_storefront(
        self, db: Session, *, store_id: int, slug: str, language: str
    ) -> ProductView:
        """A published product in ``language`` (falling back to the store's default language);
        NotFoundError for drafts and unknown slugs."""
        product = db.scalar(
            select(Product).where(
                Product.store_id == store_id, Product.slug == slug, Product.status == "published"
            )
        )
        if product is None:
            raise NotFoundError(f"no product {slug!r}")
        return self.view(db, product, language)

    def view(self, db: Session, product: Product, language: str) -> ProductView:
        """A product in ``language`` with stock per variant."""
        default = self._default_language(db, product.store_id)
        stock = self.stock_by_sku(db, store_id=product.store_id, products=[product])
        translation = product.translation_for(language, default)
        variants = [
            VariantView(
                id=v.id,
                sku=v.sku,
                options=dict(v.options or {}),
                label=v.label,
                price_cents=product.variant_price(v),
                stock=stock.get(v.sku),
            )
            for v in product.variants
        ]
        prices = [v.price_cents for v in variants] or [product.base_price_cents]
        on_sale = (
            product.sale_price_cents is not None and product.sale_price_cents < product.price_cents
        )
        return ProductView(
            id=product.id,
            slug=product.slug,
            language=translation.language if translation else language,
            title=product.title_for(language, default),
            description=translation.description if translation else "",
            brand=product.brand,
            gtin=product.gtin,
            vat_rate=product.vat_rate,
            price_min=min(prices),
            price_max=max(prices),
            regular_price=product.price_cents if on_sale else None,
            variants=variants,
            images=[ImageView(i.id, i.file_name, i.width, i.height) for i in product.images],
            category_slug=product.category.slug if product.category else None,
            category_name=product.category.name_for(language, default)
            if product.category
            else None,
            category_path=self._category_path(db, product, language, default),
        )

    def _category_path(
        self, db: Session, product: Product, language: str, default: str
    ) -> list[tuple[str, str]]:
        if product.category is None:
            return []
        by_id = {c.id: c for c in self.list_categories(db, store_id=product.store_id)}
        path: list[tuple[str, str]] = []
        current: Category | None = product.category
        while current is not None and len(path) < len(by_id) + 1:  # a bad row cannot loop
            path.insert(0, (current.slug, current.name_for(language, default)))
            current = by_id.get(current.parent_id) if current.parent_id else None
        return path

    # -- products: writing ----------------------------------------------------------------

    def _default_language(self, db: Session, store_id: int) -> str:
        language = db.scalar(select(Store.default_language).where(Store.id == store_id))
        return language if language in SUPPORTED_LANGUAGES else "en"

    def _clean(
        self,
        db: Session,
        *,
        store_id: int,
        default_language: str,
        slug: str,
        category_id: int | str | None,
        status: str | None,
        brand: str | None,
        gtin: str | None,
        vat_rate: int | str | None,
        price_cents: int | str | None,
        sale_price_cents: int | str | None,
        translations: Mapping[str, Mapping[str, str | None]],
        variants: Sequence[Mapping[str, Any]],
    ) -> _CleanProduct:
        problems: list[Problem] = []
        slug = (slug or "").strip().lower()
        if not slug:
            problems.append(Problem("slug", "catalog.errors.slug_required"))
        elif not SLUG_PATTERN.match(slug):
            problems.append(Problem("slug", "catalog.errors.slug_invalid"))

        status = status or "draft"
        if status not in STATUSES:
            problems.append(Problem("status", "catalog.errors.status_invalid"))

        category: int | None = None
        if category_id not in (None, ""):
            try:
                category = int(category_id)  # type: ignore[arg-type]
                self.get_category(db, store_id=store_id, category_id=category)
            except (ValueError, TypeError, NotFoundError):
                problems.append(Problem("category_id", "catalog.errors.category_invalid"))

        brand = (brand or "").strip()
        if len(brand) > MAX_BRAND:
            problems.append(Problem("brand", "catalog.errors.too_long", {"max": MAX_BRAND}))
        gtin = (gtin or "").strip().replace(" ", "")
        if gtin and not GTIN_PATTERN.match(gtin):
            problems.append(Problem("gtin", "catalog.errors.gtin_invalid"))

        rate = DEFAULT_VAT_RATE
        try:
            rate = parse_vat_rate(vat_rate if vat_rate is not None else DEFAULT_VAT_RATE)
        except MoneyError:
            problems.append(Problem("vat_rate", "catalog.errors.vat_rate_invalid"))

        def money(name: str, value: int | str | None, required: bool) -> int | None:
            try:
                cents = parse_amount(value, maximum_cents=MAX_PRICE_CENTS)
            except MoneyError as refused:
                problems.append(Problem(name, PRICE_PROBLEMS[refused.key]))
                return None
            if cents is None and required:
                problems.append(Problem(name, "catalog.errors.price_required"))
            return cents

        price = money("price_cents", price_cents, True)
        sale = money("sale_price_cents", sale_price_cents, False)
        if price is not None and sale is not None and sale >= price:
            problems.append(Problem("sale_price_cents", "catalog.errors.sale_not_lower"))

        cleaned: dict[str, dict[str, str]] = {}
        for language, values in translations.items():
            if language not in SUPPORTED_LANGUAGES:
                problems.append(
                    Problem(f"translations.{language}", "catalog.errors.language_unknown")
                )
                continue
            title = (values.get("title") or "").strip()
            description = (values.get("description") or "").replace("\r\n", "\n").strip()
            if not title and not description:
                continue
            if not title:
                problems.append(
                    Problem(f"translations.{language}.title", "catalog.errors.title_missing")
                )
            elif len(title) > MAX_TITLE:
                problems.append(
                    Problem(
                        f"translations.{language}.title",
                        "catalog.errors.too_long",
                        {"max": MAX_TITLE},
                    )
                )
            if len(description) > MAX_DESCRIPTION:
                problems.append(
                    Problem(
                        f"translations.{language}.description",
                        "catalog.errors.too_long",
                        {"max": MAX_DESCRIPTION},
                    )
                )
            cleaned[language] = {"title": title, "description": description}
        if default_language not in cleaned and not any(
            p.field == f"translations.{default_language}.title" for p in problems
        ):
            problems.append(
                Problem(f"translations.{default_language}.title", "catalog.errors.title_required")
            )

        clean_variants: list[dict[str, Any]] = []
        seen: set[str] = set()
        if not variants:
            problems.append(Problem("variants", "catalog.errors.variant_required"))
        if len(variants) > MAX_VARIANTS:
            problems.append(
                Problem("variants", "catalog.errors.too_many_variants", {"max": MAX_VARIANTS})
            )
        for index, raw in enumerate(variants[:MAX_VARIANTS]):
            prefix = f"variants.{index}"
            sku = str(raw.get("sku") or "").strip()
            if not sku:
                problems.append(Problem(f"{prefix}.sku", "catalog.errors.sku_required"))
            elif not SKU_PATTERN.match(sku):
                problems.append(Problem(f"{prefix}.sku", "catalog.errors.sku_invalid"))
            elif sku.upper() in seen:
                problems.append(Problem(f"{prefix}.sku", "catalog.errors.sku_repeated"))
            seen.add(sku.upper())
            try:
                options = parse_options(raw.get("options"))
                if len(options) > MAX_OPTIONS or any(
                    not k or not v or len(k) > 40 or len(v) > 80 for k, v in options.items()
                ):
                    raise ValueError
            except (ValueError, AttributeError):
                options = {}
                problems.append(Problem(f"{prefix}.options", "catalog.errors.options_invalid"))
            variant_price = money(f"{prefix}.price_cents", raw.get("price_cents"), False)
            stock = raw.get("stock")
            quantity: int | None = None
            if stock not in (None, ""):
                try:
                    quantity = int(str(stock).strip())
                    if not 0 <= quantity <= MAX_STOCK:
                        raise ValueError
                except ValueError:
                    problems.append(Problem(f"{prefix}.stock", "catalog.errors.stock_invalid"))
            variant_id = raw.get("id")
            clean_variants.append(
                {
                    "id": int(variant_id) if str(variant_id or "").isdigit() else None,
                    "sku": sku,
                    "options": options,
                    "price_cents": variant_price,
                    "stock": quantity,
                    "position": index,
                }
            )
        if problems:
            raise CatalogInputError(problems)
        return _CleanProduct(
            slug=slug,
            category_id=category,
            status=status,
            brand=brand,
            gtin=gtin,
            vat_rate=rate,
            price_cents=price or 0,
            sale_price_cents=sale,
            translations=cleaned,
            variants=clean_variants,
        )

    def _check_unique(
        self, db: Session, *, store_id: int, data: _CleanProduct, product_id: int | None
    ) -> None:
        problems: list[Problem] = []
        if db.scalar(
            select(Product.id).where(
                Product.store_id == store_id,
                Product.slug == data.slug,
                Product.id != (product_id or 0),
            )
        ):
            problems.append(Problem("slug", "catalog.errors.slug_taken", {"slug": data.slug}))
        skus = [v["sku"] for v in data.variants]
        taken = set(
            db.scalars(
                select(Variant.sku).where(
                    Variant.store_id == store_id,
                    Variant.sku.in_(skus),
                    Variant.product_id != (product_id or 0),
                )
            )
        )
        for index, variant in enumerate(data.variants):
            if variant["sku"] in taken:
                problems.append(
                    Problem(
                        f"variants.{index}.sku", "catalog.errors.sku_taken", {"sku": variant["sku"]}
                    )
                )
        if problems:
            raise CatalogInputError(problems)

    @staticmethod
    def _apply(product: Product, data: _CleanProduct) -> list[Variant]:
        """Copy ``data`` onto ``product``; returns the variants that are new."""
        product.slug = data.slug
        product.category_id = data.category_id
        product.status = data.status
        product.brand = data.brand
        product.gtin = data.gtin
        product.vat_rate = data.vat_rate
        product.price_cents = data.price_cents
        product.sale_price_cents = data.sale_price_cents
        existing = {tr.language: tr for tr in product.translations}
        for language, tr in existing.items():
            if language not in data.translations:
                product.translations.remove(tr)
        for language, values in data.translations.items():
            if language in existing:
                existing[language].title = values["title"]
                existing[language].description = values["description"]
            else:
                product.translations.append(ProductTranslation(language=language, **values))
        by_id = {v.id: v for v in product.variants}
        by_sku = {v.sku: v for v in product.variants}
        kept: list[Variant] = []
        new: list[Variant] = []
        for values in data.variants:
            variant = by_id.get(values["id"]) if values["id"] else None
            variant = variant or by_sku.get(values["sku"])
            if variant is None or variant in kept:
                variant = Variant(store_id=product.store_id)
                new.append(variant)
            variant.sku = values["sku"]
            variant.options = values["options"]
            variant.price_cents = values["price_cents"]
            variant.position = values["position"]
            kept.append(variant)
        for variant in list(product.variants):
            if variant not in kept:
                product.variants.remove(variant)
        for variant in new:
            product.variants.append(variant)
        return new

    def _commit(self, db: Session, problems: list[Problem]) -> None:
        try:
            db.commit()
        except IntegrityError as exc:  # two writers raced for the same slug or SKU
            db.rollback()
            raise CatalogInputError(problems) from exc

    def _stock_for_new(
        self,
        db: Session,
        product: Product,
        data: _CleanProduct,
        new: list[Variant],
        actor: str | None,
    ) -> None:
        wanted = {v["sku"]: v["stock"] for v in data.variants}
        for variant in new:
            set_initial_stock(
                db,
                store_id=product.store_id,
                sku=variant.sku,
                quantity=wanted.get(variant.sku) or 0,
                actor=actor,
                reference=f"catalog:product:{product.id}",
            )

    def create_product(
        self,
        db: Session,
        *,
        store_id: int,
        slug: str,
        translations: Mapping[str, Mapping[str, str | None]],
        variants: Sequence[Mapping[str, Any]],
        price_cents: int | str | None,
        default_language: str | None = None,
        category_id: int | str | None = None,
        status: str | None = "draft",
        brand: str | None = "",
        gtin: str | None = "",
        vat_rate: int | str | None = DEFAULT_VAT_RATE,
        sale_price_cents: int | str | None = None,
        actor: str | None = None,
    ) -> Product:
        """Create a product with its translations and variants.

        ``translations`` maps a language to ``title`` and ``description`` (a title is required
        in the store's default language); each variant has ``sku``, ``options`` (a dict or
        ``size=M, colour=red``), ``price_cents`` (None: the product's price) and ``stock``
        (initial units, recorded with inventory). Prices are cents (int) or euros typed in a
        form (str). Every problem is reported at once as a CatalogInputError.
        """
        default_language = default_language or self._default_language(db, store_id)
        data = self._clean(
            db,
            store_id=store_id,
            default_language=default_language,
            slug=slug,
            category_id=category_id,
            status=status,
            brand=brand,
            gtin=gtin,
            vat_rate=vat_rate,
            price_cents=price_cents,
            sale_price_cents=sale_price_cents,
            translations=translations,
            variants=variants,
        )
        begin_write(db)
        self._check_unique(db, store_id=store_id, data=data, product_id=None)
        product = Product(store_id=store_id)
        new = self._apply(product, data)
        db.add(product)
        db.flush()
        self._index(db, product, default_language)
        self._commit(db, [Problem("slug", "catalog.errors.slug_taken", {"slug": data.slug})])
        self._stock_for_new(db, product, data, new, actor)
        return product

    def update_product(
        self,
        db: Session,
        *,
        store_id: int,
        product_id: int,
        actor: str | None = None,
        default_language: str | None = None,
        **changes: Any,
    ) -> Product:
        """Change a product; keywords left out keep their value (same keywords as
        ``create_product``). ``translations`` and ``variants`` replace the old ones: variants
        are matched by ``id`` or SKU, missing ones are deleted, new ones get their stock."""
        allowed = {
            "slug",
            "translations",
            "variants",
            "price_cents",
            "category_id",
            "status",
            "brand",
            "gtin",
            "vat_rate",
            "sale_price_cents",
        }
        unknown = set(changes) - allowed
        if unknown:
            raise TypeError(f"unknown fields {sorted(unknown)}")
        default_language = default_language or self._default_language(db, store_id)
        product = self.get_product(db, store_id=store_id, product_id=product_id)
        current: dict[str, Any] = {
            "slug": product.slug,
            "category_id": product.category_id,
            "status": product.status,
            "brand": product.brand,
            "gtin": product.gtin,
            "vat_rate": product.vat_rate,
            "price_cents": product.price_cents,
            "sale_price_cents": product.sale_price_cents,
            "translations": {
                tr.language: {"title": tr.title, "description": tr.description}
                for tr in product.translations
            },
            "variants": [
                {"id": v.id, "sku": v.sku, "options": v.options, "price_cents": v.price_cents}
                for v in product.variants
            ],
        }
        current.update(changes)
        data = self._clean(db, store_id=store_id, default_language=default_language, **current)
        begin_write(db)
        product = self.get_product(db, store_id=store_id, product_id=product_id)
        self._check_unique(db, store_id=store_id, data=data, product_id=product.id)
        new = self._apply(product, data)
        product.updated_at = utcnow()
        db.flush()
        self._index(db, product, default_language)
        self._commit(db, [Problem("slug", "catalog.errors.slug_taken", {"slug": data.slug})])
        self._stock_for_new(db, product, data, new, actor)
        return product

    def set_status(self, db: Session, *, store_id: int, product_id: int, status: str) -> Product:
        """Publish (``published``) or take offline (``draft``)."""
        if status not in STATUSES:
            raise CatalogInputError([Problem("status", "catalog.errors.status_invalid")])
        begin_write(db)
        product = self.get_product(db, store_id=store_id, product_id=product_id)
        product.status = status
        product.updated_at = utcnow()
        db.commit()
        return product

    def publish(self, db: Session, *, store_id: int, product_id: int) -> Product:
        return self.set_status(db, store_id=store_id, product_id=product_id, status="published")

    def unpublish(self, db: Session, *, store_id: int, product_id: int) -> Product:
        return self.set_status(db, store_id=store_id, product_id=product_id, status="draft")

    def delete_product(self, db: Session, *, store_id: int, product_id: int) -> str:
        """Delete a product with its variants, text and pictures; returns its slug."""
        begin_write(db)
        product = self.get_product(db, store_id=store_id, product_id=product_id)
        slug = product.slug
        folder = media.media_dir(store_id, product.id)
        self._unindex(db, product.id)
        db.delete(product)
        db.commit()
        if folder.is_dir():
            for path in folder.iterdir():
                path.unlink(missing_ok=True)
            folder.rmdir()
        return slug

    # -- search index (SQLite) ------------------------------------------------------------

    def _unindex(self, db: Session, product_id: int) -> None:
        if db.get_bind().dialect.name != "sqlite":
            return
        db.execute(
            text("DELETE FROM catalog_search WHERE rowid >= :low AND rowid < :high"),
            {"low": product_id * ROWS_PER_PRODUCT, "high": (product_id + 1) * ROWS_PER_PRODUCT},
        )

    def _index(self, db: Session, product: Product, default_language: str) -> None:
        """(Re)write the product's rows of ``catalog_search``: one per supported language,
        with the text a shopper of that language sees (falling back to the default language)."""
        if db.get_bind().dialect.name != "sqlite":
            return
        self._unindex(db, product.id)
        skus = " ".join(v.sku for v in product.variants)
        rows = []
        for language, slot in LANGUAGE_SLOTS.items():
            translation = product.translation_for(language, default_language)
            rows.append(
                {
                    "rowid": product.id * ROWS_PER_PRODUCT + slot,
                    "store_id": product.store_id,
                    "language": language,
                    "title": translation.title if translation else product.slug,
                    "description": translation.description if translation else "",
                    "skus": skus,
                }
            )
        db.execute(
            text(
                "INSERT INTO catalog_search (rowid, store_id, language, title, description, skus) "
                "VALUES (:rowid, :store_id, :language, :title, :description, :skus)"
            ),
            rows,
        )

    def reindex_store(self, db: Session, *, store_id: int) -> int:
        """Rebuild the search rows of every product of the store; returns how many."""
        begin_write(db)
        default = self._default_language(db, store_id)
        products = list(db.scalars(select(Product).where(Product.store_id == store_id)))
        for product in products:
            self._index(db, product, default)
        db.commit()
        return len(products)

    # -- images ---------------------------------------------------------------------------

    def add_image(
        self, db: Session, *, store_id: int, product_id: int, filename: str, data: bytes
    ) -> ProductImage:
        """Store an uploaded picture: JPEG, PNG or WebP (recognised by its bytes, not its
        name), at most 5 MB and ``media.MAX_IMAGE_SIDE`` px a side, that Pillow can decode;
        its resized copies (``media.VARIANT_WIDTHS``) are written beside it."""
        if not data:
            raise CatalogInputError([Problem("image", "catalog.errors.image_empty")])
        if len(data) > media.MAX_IMAGE_BYTES:
            raise CatalogInputError(
                [
                    Problem(
                        "image",
                        "catalog.errors.image_too_large",
                        {"max": media.MAX_IMAGE_BYTES // (1024 * 1024)},
                    )
                ]
            )
        try:
            checked = media.check_image(data)
        except media.ImageRejected as exc:
            raise CatalogInputError([self._image_problem(exc)]) from None
        begin_write(db)
        product = self.get_product(db, store_id=store_id, product_id=product_id)
        folder = media.media_dir(store_id, product.id)
        folder.mkdir(parents=True, exist_ok=True)
        name = f"{uuid.uuid4().hex}.{media.EXTENSIONS[checked.content_type]}"
        path = folder / name
        path.write_bytes(data)
        try:
            media.make_variants(path)
        except media.ImageRejected as exc:
            db.rollback()
            self._remove_files(path)
            raise CatalogInputError([self._image_problem(exc)]) from None
        image = ProductImage(
            file_name=name,
            content_type=checked.content_type,
            width=checked.width,
            height=checked.height,
            size_bytes=len(data),
            position=len(product.images),
        )
        product.images.append(image)
        try:
            db.commit()
        except Exception:
            self._remove_files(path)
            raise
        return image

    @staticmethod
    def _image_problem(exc: media.ImageRejected) -> Problem:
        if exc.reason == "dimensions":
            return Problem(
                "image",
                "catalog.errors.image_dimensions",
                {
                    "side": media.MAX_IMAGE_SIDE,
                    "megapixels": media.MAX_IMAGE_PIXELS // 1_000_000,
                },
            )
        if exc.reason == "unreadable":
            return Problem("image", "catalog.errors.image_unreadable")
        return Problem("image", "catalog.errors.image_type")

    @staticmethod
    def _remove_files(path: Path) -> None:
        """Delete a picture's original and its resized copies."""
        path.unlink(missing_ok=True)
        for name in media.variant_names(path.name):
            path.with_name(name).unlink(missing_ok=True)

    def get_image(
        self, db: Session, *, store_id: int, image_id: int, published_only: bool = False
    ) -> ProductImage:
        """A picture of one of the store's products (of a published one if ``published_only``)."""
        image = db.get(ProductImage, image_id)
        if image is None or image.product.store_id != store_id:
            raise NotFoundError(f"no image {image_id}")
        if published_only and image.product.status != "published":
            raise NotFoundError(f"no image {image_id}")
        return image

    def image_path(self, image: ProductImage, *, width: int | None = None) -> Path:
        """The file of a picture, or of its resized copy at ``width`` px (``SMALL``/``LARGE``):
        a missing copy is made now; the original when it cannot be made."""
        original = media.media_dir(image.product.store_id, image.product_id) / image.file_name
        if width in media.VARIANT_WIDTHS:
            variant = media.ensure_variant(original, width)
            if variant is not None:
                return variant
        return original

    @staticmethod
    def image_content_type(image: ProductImage, path: Path) -> str:
        """What ``path`` (the original or a resized copy of ``image``) holds."""
        return image.content_type if path.name == image.file_name else media.VARIANT_CONTENT_TYPE

    def delete_image(self, db: Session, *, store_id: int, image_id: int) -> None:
        """Remove a picture and its files (the resized copies too)."""
        begin_write(db)
        image = self.get_image(db, store_id=store_id, image_id=image_id)
        path = media.media_dir(image.product.store_id, image.product_id) / image.file_name
        db.delete(image)
        db.commit()
        self._remove_files(path)

    # -- export ---------------------------------------------------------------------------

    def export_csv(self, db: Session, *, store_id: int, languages: Sequence[str]) -> str:
        """Every product of the store as CSV (UTF-8), one row per variant, with the title and
        description in each of ``languages``; prices in euros with a dot."""
        languages = [lang for lang in languages if lang in SUPPORTED_LANGUAGES]
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        header = [
            "product_id",
            "slug",
            "status",
            "category",
            "brand",
            "gtin",
            "vat_rate",
            "price",
            "sale_price",
            "sku",
            "options",
            "variant_price",
            "stock",
        ]
        for language in languages:
            header += [f"title_{language}", f"description_{language}"]
        writer.writerow(header)
        products = list(
            db.scalars(select(Product).where(Product.store_id == store_id).order_by(Product.id))
        )
        stock = self.stock_by_sku(db, store_id=store_id, products=products)
        for product in products:
            texts: list[str] = []
            by_language = {tr.language: tr for tr in product.translations}
            for language in languages:
                tr = by_language.get(language)
                texts += [tr.title if tr else "", tr.description if tr else ""]
            for variant in product.variants:
                level = stock.get(variant.sku)
                writer.writerow(
                    [
                        product.id,
                        product.slug,
                        product.status,
                        product.category.slug if product.category else "",
                        product.brand,
                        product.gtin,
                        vat_percent(product.vat_rate),
                        amount_text(product.price_cents),
                        amount_text(product.sale_price_cents),
                        variant.sku,
                        options_text(variant.options or {}),
                        amount_text(product.variant_price(variant)),
                        "" if level is None else level,
                        *texts,
                    ]
                )
        return buffer.getvalue()


catalog_service = CatalogService()
