"""The catalog as CSV, one row per variant, in the chosen languages."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from modules.catalog.models import Product
from modules.catalog.services.rules import options_text
from orion_server.config import SUPPORTED_LANGUAGES
from orion_server.money import amount_text, vat_percent


class Export:
    """The catalog as CSV, one row per variant, in the chosen languages."""

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
