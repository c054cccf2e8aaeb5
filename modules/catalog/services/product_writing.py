"""Writing products: checking every input at once, variants, status, deletion."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from modules.catalog.exceptions import CatalogInputError, Problem
from modules.catalog.models import Product, ProductTranslation, Variant
from modules.catalog.services import media
from modules.catalog.services.announce import catalog_changed
from modules.catalog.services.rules import (
    GTIN_PATTERN,
    MAX_BRAND,
    MAX_DESCRIPTION,
    MAX_OPTIONS,
    MAX_PRICE_CENTS,
    MAX_STOCK,
    MAX_TITLE,
    MAX_VARIANTS,
    PRICE_PROBLEMS,
    SKU_PATTERN,
    SLUG_PATTERN,
    STATUSES,
    parse_flag,
    parse_options,
    set_initial_stock,
    set_unlimited,
)
from modules.catalog.services.slug_history import forget_product, remember_slug
from modules.catalog.services.views import _CleanProduct
from modules.catalog.usage import product_count
from modules.contracts.product_catalog import AVAILABILITIES, CONDITIONS
from modules.contracts.tier_limits import PRODUCTS, limit_of
from orion_server.config import SUPPORTED_LANGUAGES
from orion_server.database import begin_write, utcnow
from orion_server.errors import NotFoundError
from orion_server.models import Store
from orion_server.money import DEFAULT_VAT_RATE, MoneyError, parse_amount, parse_vat_rate


class ProductWriting:
    """Writing products: checking every input at once, variants, status, deletion."""

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
        condition: str | None = "new",
        availability: str | None = None,
        cost_cents: int | str | None = None,
        is_digital: bool | str | None = False,
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
        cost = money("cost_cents", cost_cents, False)

        condition = (condition or "new").strip()
        if condition not in CONDITIONS:
            problems.append(Problem("condition", "catalog.errors.condition_invalid"))
        availability = (availability or "").strip() or None
        if availability is not None and availability not in AVAILABILITIES:
            problems.append(Problem("availability", "catalog.errors.availability_invalid"))

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
            condition=condition,
            availability=availability,
            cost_cents=cost,
            is_digital=parse_flag(is_digital),
        )

    @staticmethod
    def _check_room(db: Session, *, store_id: int) -> None:
        """CatalogInputError when the store's plan allows no more products (drafts count),
        naming the limit, the count and the plan that allows more. Inside the write
        transaction, so two staff adding the last product at once cannot both pass."""
        limit = limit_of(db, store_id=store_id, key=PRODUCTS)
        if limit is None or limit.limit is None:
            return
        used = product_count(db, store_id)
        if limit.reached(used):
            db.rollback()
            key = "catalog.errors.product_limit" if limit.lifted_by else "catalog.errors.product_limit_top"
            raise CatalogInputError([Problem("form", key, limit.message_params(used))])

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
        product.condition = data.condition
        product.availability = data.availability
        product.cost_cents = data.cost_cents
        product.is_digital = data.is_digital
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
        if data.is_digital:
            set_unlimited(db, store_id=product.store_id, skus=[v.sku for v in new], unlimited=True)
            return
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
        condition: str | None = "new",
        availability: str | None = None,
        cost_cents: int | str | None = None,
        is_digital: bool | str | None = False,
        actor: str | None = None,
    ) -> Product:
        """Create a product with its translations and variants.

        ``translations`` maps a language to ``title`` and ``description`` (a title is required
        in the store's default language); each variant has ``sku``, ``options`` (a dict or
        ``size=M, colour=red``), ``price_cents`` (None: the product's price) and ``stock``
        (initial units, recorded with inventory). Prices are cents (int) or euros typed in a
        form (str). ``condition`` is new, refurbished or used; ``availability`` None follows
        the stock; ``cost_cents`` (VAT excluded) gives the margin; a digital product's SKUs
        have unlimited stock. Every problem is reported at once as a CatalogInputError.
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
            condition=condition,
            availability=availability,
            cost_cents=cost_cents,
            is_digital=is_digital,
        )
        begin_write(db)
        self._check_room(db, store_id=store_id)
        self._check_unique(db, store_id=store_id, data=data, product_id=None)
        product = Product(store_id=store_id)
        new = self._apply(product, data)
        db.add(product)
        db.flush()
        self._index(db, product, default_language)
        remember_slug(db, store_id=store_id, kind="product", old=None, new=product.slug, target_id=product.id)
        catalog_changed(db, store_id)
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
            "condition",
            "availability",
            "cost_cents",
            "is_digital",
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
            "condition": product.condition,
            "availability": product.availability,
            "cost_cents": product.cost_cents,
            "is_digital": product.is_digital,
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
        was_digital = product.is_digital
        old_slug = product.slug
        new = self._apply(product, data)
        product.updated_at = utcnow()
        db.flush()
        self._index(db, product, default_language)
        remember_slug(db, store_id=store_id, kind="product", old=old_slug, new=product.slug, target_id=product.id)
        catalog_changed(db, store_id)
        self._commit(db, [Problem("slug", "catalog.errors.slug_taken", {"slug": data.slug})])
        self._stock_for_new(db, product, data, new, actor)
        if was_digital != data.is_digital:
            kept = [v.sku for v in product.variants if v not in new]
            set_unlimited(db, store_id=store_id, skus=kept, unlimited=data.is_digital)
        return product

    def set_status(self, db: Session, *, store_id: int, product_id: int, status: str) -> Product:
        """Publish (``published``) or take offline (``draft``)."""
        if status not in STATUSES:
            raise CatalogInputError([Problem("status", "catalog.errors.status_invalid")])
        begin_write(db)
        product = self.get_product(db, store_id=store_id, product_id=product_id)
        product.status = status
        product.updated_at = utcnow()
        catalog_changed(db, store_id)
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
        forget_product(db, store_id=store_id, product=product)
        db.delete(product)
        catalog_changed(db, store_id)
        db.commit()
        if folder.is_dir():
            for path in folder.iterdir():
                path.unlink(missing_ok=True)
            folder.rmdir()
        return slug
