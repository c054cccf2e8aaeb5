"""The floor ``make bench`` measures Orion against: the same stack, bare, on the same data.

A FastAPI app with SQLAlchemy and Jinja2 and nothing else (no middleware, no modules, no
sessions), served by uvicorn with as many workers as Orion, reading the same database. Each
storefront page does the least a shop must do for it, in plain SQL:

- home: the store by its code (Orion's home shows the store, its pages and the cart);
- listing and category page: the store (and the category) by code, 24 published products,
  newest first, with their title in the shopper's language (falling back to the store's),
  and how many there are;
- search: the same, for the 1,000 newest products matching a word, by relevance, counted up to
  1,000 (SQLite: Orion's FTS5 table; PostgreSQL: Orion's stored ``tsvector`` documents when
  there are, else ``to_tsvector`` at query time);
- product page: the product by its slug, its texts, variants with their prices and stock.

Every page is padded to the byte size of Orion's page for it (``FLOOR_SIZES``, a JSON file of
``{"home": bytes, ...}``), so both send the same bytes. ``FLOOR_DATABASE_URL`` names the
database. Run by ``bench/run.py``: ``uvicorn floor:app --app-dir bench --workers 2``.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from fastapi import FastAPI, HTTPException, Request
from fastapi.responses import HTMLResponse, PlainTextResponse
from jinja2 import DictLoader, Environment, select_autoescape
from sqlalchemy import create_engine, inspect, text

ROWS_PER_PRODUCT = 16  # Orion's FTS5 rows per product (modules/catalog/services/rules.py)
LANGUAGE_SLOTS = {"en": 0, "de": 1, "fr": 2, "lb": 3}  # a language's row of a product there
PER_PAGE = 24

engine = create_engine(os.environ.get("FLOOR_DATABASE_URL", "sqlite:///orion.db"))
SIZES: dict[str, int] = json.loads(Path(os.environ["FLOOR_SIZES"]).read_text()) if os.environ.get("FLOOR_SIZES") else {}
STORED_DOCUMENTS = engine.dialect.name != "sqlite" and inspect(engine).has_table("catalog_search")

templates = Environment(autoescape=select_autoescape(default=True), loader=DictLoader({
    "list.html": """<!doctype html><html lang="{{ language }}"><head><meta charset="utf-8">
<title>{{ store.name }}</title></head><body><h1>{{ title }}</h1><p>{{ total }}</p><ul>
{% for product in products %}<li><a href="products/{{ product.slug }}">{{ product.title }}</a></li>
{% endfor %}</ul></body></html>""",
    "product.html": """<!doctype html><html lang="{{ language }}"><head><meta charset="utf-8">
<title>{{ product.title }}</title></head><body><h1>{{ product.title }}</h1><p>{{ product.description }}</p>
<ul>{% for variant in variants %}<li>{{ variant.sku }} {{ variant.options }} {{ variant.price }} {{ variant.stock }}</li>
{% endfor %}</ul></body></html>""",
}))
app = FastAPI(docs_url=None, redoc_url=None, openapi_url=None)

STORE = text("SELECT s.id, s.name, s.default_language FROM stores s JOIN platforms p ON p.id = s.platform_id "
             "WHERE p.code = :platform AND s.code = :store")
# the page's products first, then their titles: only 24 rows are joined
CARDS = """SELECT p.id, p.slug, COALESCE(t.title, d.title) AS title FROM (
  SELECT p.id, p.slug, p.created_at FROM catalog_products p
  WHERE p.store_id = :store_id AND p.status = 'published' {where}
  ORDER BY p.created_at DESC, p.id DESC LIMIT :limit OFFSET :offset) p
LEFT JOIN catalog_product_translations t ON t.product_id = p.id AND t.language = :language
LEFT JOIN catalog_product_translations d ON d.product_id = p.id AND d.language = :default
ORDER BY p.created_at DESC, p.id DESC"""
COUNT = "SELECT count(*) FROM catalog_products p WHERE p.store_id = :store_id AND p.status = 'published' {where}"


def _padded(html: str, kind: str) -> HTMLResponse:
    body = html.encode()
    missing = SIZES.get(kind, 0) - len(body) - 7
    if missing > 0:
        body += b"<!--" + b" " * missing + b"-->"
    return HTMLResponse(body)


def _store(connection: Any, platform: str, store: str) -> Any:
    row = connection.execute(STORE, {"platform": platform, "store": store}).first()
    if row is None:
        raise HTTPException(404)
    return row


def _language(request: Request, store: Any) -> str:
    return request.query_params.get("lang") or store.default_language


def _page(request: Request) -> int:
    number = request.query_params.get("page", "1")
    return max(1, int(number)) if number.isdigit() else 1


def _search(connection: Any, store: Any, language: str, word: str, offset: int) -> tuple[list[Any], int]:
    """The 1,000 newest products matching ``word`` (one of the product's texts), ranked, and
    how many there are up to 1,000: the same work as Orion's search."""
    values = {"store_id": store.id, "language": language, "limit": PER_PAGE, "offset": offset}
    if engine.dialect.name == "sqlite":
        newest = ("SELECT s.rowid / :rows AS product_id, {rank} FROM catalog_search s "
                  "JOIN catalog_products p ON p.id = s.rowid / :rows WHERE catalog_search MATCH :query "
                  "AND s.rowid % :rows = :slot AND p.store_id = :store_id AND p.status = 'published' "
                  "ORDER BY s.rowid DESC LIMIT 1000")
        values.update(rows=ROWS_PER_PRODUCT, slot=LANGUAGE_SLOTS.get(language, 0),
                      query='{title description skus} : ("' + word + '"*)')
        rank = "s.rank"
    else:
        values["query"] = f"{word}:*"
        if STORED_DOCUMENTS:  # Orion's catalog_search (catalog_003), through the language's GIN index
            literal = language if language.isalpha() and len(language) <= 8 else "en"
            newest = ("SELECT s.product_id, {rank} FROM catalog_search s JOIN catalog_products p "
                      f"ON p.id = s.product_id WHERE s.language = '{literal}' "
                      "AND s.document @@ to_tsquery('simple', :query) AND p.store_id = :store_id "
                      "AND p.status = 'published' ORDER BY s.product_id DESC LIMIT 1000")
            rank = "-ts_rank(s.document, to_tsquery('simple', :query))"  # FTS5's rank: lower is better
        else:
            vector = "to_tsvector('simple', t.title || ' ' || t.description)"
            newest = ("SELECT p.id AS product_id, {rank} FROM catalog_products p JOIN catalog_product_translations t "
                      "ON t.product_id = p.id AND t.language = :language WHERE p.store_id = :store_id "
                      f"AND p.status = 'published' AND {vector} @@ to_tsquery('simple', :query) "
                      "ORDER BY p.id DESC LIMIT 1000")
            rank = f"-ts_rank({vector}, to_tsquery('simple', :query))"
    ranked = newest.replace("{rank}", f"{rank} AS rank")
    cards = connection.execute(text(
        f"SELECT p.id, p.slug, t.title FROM ({ranked}) m JOIN catalog_products p ON p.id = m.product_id "
        "JOIN catalog_product_translations t ON t.product_id = p.id AND t.language = :language "
        "ORDER BY m.rank LIMIT :limit OFFSET :offset"), values).all()
    total = connection.execute(text(f"SELECT count(*) FROM ({newest.replace('{rank}', '1')}) m"), values).scalar_one()
    return cards, total


def _listing(request: Request, platform: str, store_code: str, category: str | None) -> HTMLResponse:
    word = (request.query_params.get("q") or "").strip().lower()
    offset = (_page(request) - 1) * PER_PAGE
    with engine.connect() as connection:
        store = _store(connection, platform, store_code)
        language = _language(request, store)
        values: dict[str, Any] = {"store_id": store.id, "language": language, "default": store.default_language,
                                  "limit": PER_PAGE, "offset": offset}
        if word:
            cards, total = _search(connection, store, language, word, offset)
            kind = "search"
        else:
            where = ""
            if category:
                category_id = connection.execute(
                    text("SELECT id FROM catalog_categories WHERE store_id = :store_id AND slug = :slug"),
                    {"store_id": store.id, "slug": category}).scalar()
                if category_id is None:
                    raise HTTPException(404)
                where, values["category_id"] = "AND p.category_id = :category_id", category_id
            cards = connection.execute(text(CARDS.format(where=where)), values).all()
            total = connection.execute(text(COUNT.format(where=where)), values).scalar_one()
            kind = "category" if category else "listing"
    html = templates.get_template("list.html").render(store=store, language=language, title=category or "Produits",
                                                      products=cards, total=total)
    return _padded(html, kind)


@app.get("/ping")
def ping() -> PlainTextResponse:
    return PlainTextResponse("ok")


@app.get("/platforms/{platform}/storefront/{store_code}/")
def home(request: Request, platform: str, store_code: str) -> HTMLResponse:
    with engine.connect() as connection:
        store = _store(connection, platform, store_code)
    html = templates.get_template("list.html").render(store=store, language=_language(request, store),
                                                      title=store.name, products=[], total=0)
    return _padded(html, "home")


@app.get("/platforms/{platform}/storefront/{store_code}/products")
def listing(request: Request, platform: str, store_code: str) -> HTMLResponse:
    return _listing(request, platform, store_code, None)


@app.get("/platforms/{platform}/storefront/{store_code}/categories/{slug}")
def category(request: Request, platform: str, store_code: str, slug: str) -> HTMLResponse:
    return _listing(request, platform, store_code, slug)


@app.get("/platforms/{platform}/storefront/{store_code}/products/{slug}")
def product(request: Request, platform: str, store_code: str, slug: str) -> HTMLResponse:
    with engine.connect() as connection:
        store = _store(connection, platform, store_code)
        language = _language(request, store)
        row = connection.execute(text(
            "SELECT p.id, p.price_cents, p.sale_price_cents, COALESCE(t.title, d.title) AS title, "
            "COALESCE(t.description, d.description) AS description FROM catalog_products p "
            "LEFT JOIN catalog_product_translations t ON t.product_id = p.id AND t.language = :language "
            "LEFT JOIN catalog_product_translations d ON d.product_id = p.id AND d.language = :default "
            "WHERE p.store_id = :store_id AND p.slug = :slug AND p.status = 'published'"),
            {"store_id": store.id, "slug": slug, "language": language, "default": store.default_language}).first()
        if row is None:
            raise HTTPException(404)
        variants = connection.execute(text(
            "SELECT v.sku, v.options, COALESCE(v.price_cents, :price) AS price, "
            "(SELECT sum(s.on_hand - s.reserved) FROM stock_items s WHERE s.store_id = :store_id AND s.sku = v.sku) "
            "AS stock FROM catalog_variants v WHERE v.product_id = :product_id ORDER BY v.position"),
            {"store_id": store.id, "product_id": row.id,
             "price": row.sale_price_cents or row.price_cents}).all()
        connection.execute(text("SELECT id, file_name FROM catalog_images WHERE product_id = :id ORDER BY position"),
                           {"id": row.id}).all()
    html = templates.get_template("product.html").render(language=language, product=row, variants=variants)
    return _padded(html, "product")
