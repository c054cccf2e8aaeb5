"""Grow the demo bakery to ``--products`` products through the catalog service (``make bench``).

Run inside an installation's environment after ``orion init`` and ``orion demo``:
``python bench/store10k.py --products 10000``. Each product is made as a store owner's form
would make it (``catalog_service.create_product``: translations in French, German and English,
a variant or three with their opening stock, a category, published), so every index, search
row and stock ledger entry the shop keeps is there. Titles are drawn so that one word is in
nine products of ten (``COMMON``) and another in one of two hundred (``RARE``): the two searches
the benchmark times. Prints ``{"platform", "store", "products", "category", "slugs", "skus",
"common", "rare"}`` as JSON.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import func, select  # noqa: E402

from modules.billing.services.subscription_service import subscription_service  # noqa: E402
from modules.catalog.models import Category, Product  # noqa: E402
from modules.catalog.services import catalog_service  # noqa: E402
from orion_server.database import session_scope  # noqa: E402
from orion_server.models import Platform, Store  # noqa: E402

PLATFORM = "demo"
STORE = "boulangerie-dupont"
COMMON = "maison"
RARE = "myrtille"

# (fr, de, en) of each word a title is made of
KINDS = [("pain", "Brot", "bread"), ("baguette", "Baguette", "baguette"), ("tarte", "Kuchen", "tart"),
         ("brioche", "Brioche", "brioche"), ("croissant", "Hörnchen", "croissant"), ("gâteau", "Torte", "cake"),
         ("biscuit", "Keks", "biscuit"), ("sablé", "Mürbeteig", "shortbread")]
GRAINS = [("de seigle", "Roggen", "rye"), ("complet", "Vollkorn", "wholemeal"), ("aux noix", "Nuss", "walnut"),
          ("au beurre", "Butter", "butter"), ("aux graines", "Körner", "seeded"), ("au miel", "Honig", "honey"),
          ("aux pommes", "Apfel", "apple"), ("au chocolat", "Schokoladen", "chocolate")]
SIZES = [({"size": "S"}, None), ({"size": "M"}, 80), ({"size": "L"}, 160)]


def _product(n: int, rng: random.Random, categories: list[int]) -> dict:
    kind = KINDS[n % len(KINDS)]
    grain = GRAINS[(n // len(KINDS)) % len(GRAINS)]
    common = n % 10 != 0
    rare = n % 200 == 7
    titles = {}
    for index, language in enumerate(("fr", "de", "en")):
        words = [kind[index].capitalize(), grain[index]]
        if common:
            words.append(COMMON)
        if rare:
            words.append(RARE)
        words.append(f"n° {n}")
        titles[language] = {
            "title": " ".join(words),
            "description": (f"{kind[index].capitalize()} {grain[index]}, " + ("cuit ce matin, " if index == 0 else "")
                            + " ".join(rng.choice(("levain", "farine", "four", "croûte", "mie", "beurre", "sel"))
                                       for _ in range(24))),
        }
    price = 150 + (n * 37) % 2400
    stock = 0 if n % 17 == 0 else 1000
    if n % 5 == 0:
        variants = [{"sku": f"B10K-{n:05d}-{options['size']}", "options": options, "price_cents": None
                     if extra is None else price + extra, "stock": stock} for options, extra in SIZES]
    else:
        variants = [{"sku": f"B10K-{n:05d}", "options": {}, "stock": stock}]
    return {"slug": f"bench-{n:05d}", "translations": titles, "variants": variants, "price_cents": price,
            "category_id": categories[n % len(categories)]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--products", type=int, default=10_000, help="products the store should have (default 10,000)")
    args = parser.parse_args()
    rng = random.Random(11)
    started = time.monotonic()
    with session_scope() as db:
        platform = db.scalars(select(Platform).filter_by(code=PLATFORM)).one()
        store = db.scalars(select(Store).filter_by(code=STORE, platform_id=platform.id)).one()
        categories = list(db.scalars(select(Category.id).where(Category.store_id == store.id).order_by(Category.id)))
        have = db.scalar(select(func.count()).select_from(Product).where(Product.store_id == store.id)) or 0
        if have < args.products:  # a shop of thousands of products is on a plan with no product limit
            subscription_service.activate(db, store_id=store.id, tier="professional")
        for n in range(have, args.products):
            spec = _product(n, rng, categories)
            catalog_service.create_product(db, store_id=store.id, status="published", vat_rate=300,
                                           default_language=store.default_language, actor="bench", **spec)
            if n % 1000 == 999:
                print(f"  {n + 1:,} products ({time.monotonic() - started:.0f} s)", file=sys.stderr, flush=True)
        total = db.scalar(select(func.count()).select_from(Product).where(Product.store_id == store.id)) or 0
        category = db.scalar(select(Category.slug).where(Category.id == categories[0]))
        newest = list(db.scalars(select(Product.slug).where(Product.store_id == store.id, Product.status == "published")
                                 .order_by(Product.id.desc()).limit(200)))
    skus = [f"B10K-{n:05d}" for n in range(max(0, args.products - 400), args.products) if n % 5 and n % 17]
    print(json.dumps({"platform": PLATFORM, "store": STORE, "products": total, "category": category,
                      "slugs": newest, "skus": skus[:100], "common": COMMON, "rare": RARE}))


if __name__ == "__main__":
    main()
