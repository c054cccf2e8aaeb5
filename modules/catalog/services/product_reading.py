"""Reading products: the dashboard's list, the storefront's listing and search, one product's view."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import Select, func, literal, literal_column, or_, select, text
from sqlalchemy.orm import Session

from modules.catalog.models import Category, Product, ProductImage, ProductTranslation, Variant
from modules.catalog.models.catalog import FALLBACK_LANGUAGE
from modules.catalog.services.rules import (
    LANGUAGE_SLOTS,
    MAX_ID,
    PER_PAGE_LIMIT,
    ROWS_PER_PRODUCT,
    SEARCH_CAP,
    SORTS,
    STATUSES,
    _documents,
    _search_table,
    fts5_query,
    search_terms,
    stock_levels,
)
from modules.catalog.services.views import ImageView, ProductCard, ProductView, VariantView
from orion_server.config import SUPPORTED_LANGUAGES
from orion_server.errors import NotFoundError
from orion_server.pagination import Page


class ProductReading:
    """Reading products: the dashboard's list, the storefront's listing and search, one product's view."""

    @staticmethod
    def margin(product: Product) -> tuple[int, float] | None:
        """What the store keeps of one unit sold at its current price, VAT excluded, less the
        cost: ``(cents, percent of the net price)``; None without a cost or a price."""
        if product.cost_cents is None:
            return None
        net = round(product.base_price_cents * 10_000 / (10_000 + product.vat_rate))
        if net <= 0:
            return None
        kept = net - product.cost_cents
        return kept, round(kept * 100 / net, 1)

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
        language: str,
        default: str,
        terms: list[str],
    ) -> tuple[Select, Any, Any]:
        """``query`` narrowed to products matching every term; a rank to order by (or None), and
        the order of the newest matches first (what a capped search keeps)."""
        if db.get_bind().dialect.name == "sqlite":
            # The shopper's language is the row's slot (rowid = product id * 16 + slot), and the
            # store is the product's: comparing the table's unindexed store and language columns
            # read every matching row of every store from the table's content (60 ms for a word
            # in 9,000 products).
            matches = (
                select(
                    literal_column("catalog_search.rowid").label("search_rowid"),
                    literal_column(f"catalog_search.rowid / {ROWS_PER_PRODUCT}").label("product_id"),
                    literal_column("catalog_search.rank").label("rank"),
                )
                .select_from(_search_table)
                .where(text("catalog_search MATCH :fts_query").bindparams(fts_query=fts5_query(terms)))
                .where(
                    literal_column(f"catalog_search.rowid % {ROWS_PER_PRODUCT}")
                    == LANGUAGE_SLOTS.get(language, 0)
                )
                .subquery()
            )
            query = query.join(matches, matches.c.product_id == Product.id)
            return query, matches.c.rank, matches.c.search_rowid.desc()
        # PostgreSQL: the stored documents of the shopper's language, through that language's
        # GIN index (its name is in the query, so the plan can use the partial index).
        tsquery = func.to_tsquery("simple", " & ".join(f"{term}:*" for term in terms))
        language = language if language in LANGUAGE_SLOTS else default
        matches = (
            select(
                _documents.c.product_id,
                (-func.ts_rank(_documents.c.document, tsquery)).label("rank"),
            )
            .where(
                _documents.c.language == literal(language, literal_execute=True),
                _documents.c.document.op("@@")(tsquery),
            )
            .subquery()
        )
        query = query.join(matches, matches.c.product_id == Product.id)
        return query, matches.c.rank, Product.id.desc()

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
        sort = sort if sort in SORTS else ("relevance" if terms else "newest")
        rank = newest_first = None
        if terms:
            query, rank, newest_first = self._search_filter(
                db, query, language=language, default=default, terms=terms
            )
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
        else:  # newest; a search's relevance order is made below
            order = [Product.created_at.desc(), Product.id.desc()]
        more = False
        offset = (page - 1) * per_page
        if terms:
            # Ranked and counted among the newest SEARCH_CAP matches (one more tells there are
            # more), read in one query: ranking or counting every match grew with the word's reach.
            ranked = sort == "relevance" and rank is not None
            kept = query.with_only_columns(Product.id, *([rank] if ranked else []))
            matched = db.execute(kept.order_by(newest_first).limit(SEARCH_CAP + 1)).all()
            more, matched = len(matched) > SEARCH_CAP, matched[:SEARCH_CAP]
            total = len(matched)
            if sort == "relevance":
                if ranked:
                    matched = sorted(matched, key=lambda row: (row[1], -row[0]))
                ids = [row[0] for row in matched[offset : offset + per_page]]
            else:  # another order looks at every match, as the listing does
                limit = min(per_page, max(0, SEARCH_CAP - offset))
                ids = (
                    list(db.scalars(query.with_only_columns(Product.id).order_by(*order).limit(limit).offset(offset)))
                    if limit
                    else []
                )
        else:
            total = db.scalar(select(func.count()).select_from(query.subquery())) or 0
            ids = list(
                db.scalars(
                    query.with_only_columns(Product.id).order_by(*order).limit(per_page).offset(offset)
                )
            )
        return Page(self._cards(db, store_id, ids, language, default), total, page, per_page, more=more)

    def _cards(
        self, db: Session, store_id: int, ids: list[int], language: str, default: str
    ) -> list[ProductCard]:
        """The cards of products ``ids``, in that order, read as plain rows: a card needs a title
        in two languages at most, the variants' prices and SKUs, the first picture and whether
        anything is in stock, not product objects with every translation and relationship (loading
        those was two thirds of a listing's time at 10,000 products)."""
        if not ids:
            return []
        products = {
            row.id: row
            for row in db.execute(
                select(
                    Product.id, Product.slug, Product.price_cents, Product.sale_price_cents
                ).where(Product.id.in_(ids))
            )
        }
        titles: dict[int, dict[str, str]] = {}
        for product_id, text_language, title in db.execute(
            select(
                ProductTranslation.product_id, ProductTranslation.language, ProductTranslation.title
            ).where(
                ProductTranslation.product_id.in_(ids),
                ProductTranslation.language.in_({language, default}),
            )
        ):
            titles.setdefault(product_id, {})[text_language] = title
        untitled = [i for i in ids if i not in titles]
        if untitled:  # written before the store's default language changed: any language will do
            for product_id, text_language, title in db.execute(
                select(
                    ProductTranslation.product_id,
                    ProductTranslation.language,
                    ProductTranslation.title,
                ).where(ProductTranslation.product_id.in_(untitled))
            ):
                titles.setdefault(product_id, {})[text_language] = title
        variants: dict[int, list[tuple[str, int | None]]] = {}
        for product_id, sku, price in db.execute(
            select(Variant.product_id, Variant.sku, Variant.price_cents)
            .where(Variant.product_id.in_(ids))
            .order_by(Variant.position, Variant.id)
        ):
            variants.setdefault(product_id, []).append((sku, price))
        images: dict[int, ImageView] = {}
        for product_id, image_id, file_name, width, height in db.execute(
            select(ProductImage.product_id, ProductImage.id, ProductImage.file_name,
                   ProductImage.width, ProductImage.height)
            .where(ProductImage.product_id.in_(ids))
            .order_by(ProductImage.position.desc(), ProductImage.id.desc())
        ):
            # the last one kept is the first picture
            images[product_id] = ImageView(image_id, file_name, width, height)
        stock = stock_levels(
            db, store_id=store_id, skus=[sku for rows in variants.values() for sku, _price in rows]
        )
        cards = []
        for product_id in ids:
            product = products[product_id]
            current = (
                product.sale_price_cents
                if product.sale_price_cents is not None
                else product.price_cents
            )
            own = variants.get(product_id, [])
            prices = [current if price is None else price for _sku, price in own] or [current]
            on_sale = (
                product.sale_price_cents is not None
                and product.sale_price_cents < product.price_cents
            )
            texts = titles.get(product_id, {})
            title = next(
                (texts[c] for c in (language, default, FALLBACK_LANGUAGE, *SUPPORTED_LANGUAGES) if texts.get(c)),
                next(iter(texts.values()), "") or product.slug,
            )
            image = images.get(product_id)
            cards.append(
                ProductCard(
                    id=product_id,
                    slug=product.slug,
                    title=title,
                    price_min=min(prices),
                    price_max=max(prices),
                    regular_price=product.price_cents if on_sale else None,
                    available=any(
                        stock.get(sku) is None or (stock.get(sku) or 0) > 0 for sku, _price in own
                    ),
                    image_id=image.id if image else None,
                    image_name=image.file_name if image else None,
                    image=image,
                )
            )
        return cards

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
        if product.category_id is None:
            return []
        return self.category_path(
            db, store_id=product.store_id, category_id=product.category_id, language=language, default=default
        )

    def category_path(
        self, db: Session, *, store_id: int, category_id: int, language: str, default: str
    ) -> list[tuple[str, str]]:
        """``(slug, name)`` from the top category down to ``category_id`` (for a breadcrumb)."""
        tree = self.storefront_tree(db, store_id=store_id, language=language, default=default)
        by_id = {link.id: link for link, _depth in tree}
        path: list[tuple[str, str]] = []
        current = by_id.get(category_id)
        while current is not None and len(path) < len(by_id) + 1:  # a bad row cannot loop
            path.insert(0, (current.slug, current.name))
            current = by_id.get(current.parent_id) if current.parent_id else None
        return path
