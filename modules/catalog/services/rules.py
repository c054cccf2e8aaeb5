"""The catalog's limits, patterns and small helpers shared by its services."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from sqlalchemy import column, table
from sqlalchemy.orm import Session

from orion_server.config import SUPPORTED_LANGUAGES

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
SEARCH_CAP = 1000
"""A search ranks and counts at most this many of the newest matching products; past it the
count reads "more than 1,000": the cost of a search does not grow with a word every product has."""

_search_table = table(
    "catalog_search", column("rowid"), column("store_id"), column("language"), column("rank")
)
"""SQLite's FTS5 ``catalog_search`` (catalog_001)."""
_documents = table(
    "catalog_search", column("product_id"), column("language"), column("store_id"), column("document")
)
"""PostgreSQL's ``catalog_search`` of stored ``tsvector`` documents (catalog_003)."""


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
    """An FTS5 expression matching every term as a prefix in a product's texts (not its store
    number): ``{title description skus} : ("brot"* "001"*)``."""
    return "{title description skus} : (" + " ".join(f'"{term}"*' for term in terms) + ")"


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


def parse_flag(value: Any) -> bool:
    """A checkbox or JSON flag: ``True``, ``"on"``, ``"true"``, ``"1"``, ``"yes"`` are true."""
    if isinstance(value, bool):
        return value
    return str(value or "").strip().lower() in ("on", "true", "1", "yes")


def set_unlimited(db: Session, *, store_id: int, skus: Iterable[str], unlimited: bool) -> None:
    """Make the SKUs' stock unlimited (a digital product: never refused, never reserved) or
    counted again, with the inventory module; nothing when it is missing."""
    try:
        from modules.inventory.services import inventory_service
    except ImportError:
        return
    for sku in skus:
        for item in inventory_service.items_for_sku(db, store_id=store_id, sku=sku) or [None]:
            if item is None:
                inventory_service.ensure_item(db, store_id=store_id, sku=sku, unlimited=unlimited)
            elif item.is_unlimited != unlimited:
                inventory_service.ensure_item(
                    db, store_id=store_id, sku=sku, location_code=item.location.code, unlimited=unlimited
                )


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
