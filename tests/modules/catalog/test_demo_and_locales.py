"""Demo products and translations of the catalog module."""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import func, select

from modules.catalog import demo
from modules.catalog.models import Product
from modules.catalog.services import media
from orion_server.modules.service import module_service

MODULE = Path(demo.__file__).parent


def test_the_demo_fills_both_stores_with_products_in_four_languages(client, factories, db_session):
    """About 50 published products with variants and stock; a second run adds nothing."""
    platform = factories.platform(code="demo", name="Letzshop Demo")
    module_service.enable_module(db_session, platform.id, "catalog")
    languages = ["fr", "de", "en", "lb"]
    stores = [
        factories.store(
            platform, code="boulangerie-dupont", languages=languages, default_language="fr"
        ),
        factories.store(
            platform, code="librairie-ernster", languages=languages, default_language="de"
        ),
    ]

    assert len(demo.load_demo(db_session, platform, stores)) == 2
    assert demo.load_demo(db_session, platform, stores) == []

    assert 45 <= db_session.scalar(select(func.count(Product.id))) <= 60
    products = db_session.scalars(select(Product)).all()
    assert all(len(p.images) == 1 for p in products)  # a drawn picture each, with its copies
    for product in products[:3]:
        folder = media.media_dir(product.store_id, product.id)
        for name in media.variant_names(product.images[0].file_name):
            assert (folder / name).is_file()
    root = "/platforms/demo/storefront"
    book = client.get(
        f"{root}/librairie-ernster/api/v1/catalog/products/river-of-light?lang=lb"
    ).json()
    assert book["title"] == "Floss aus Liicht"
    assert book["options"] == {"format": ["Hardcover", "Paperback", "E-book"]}
    assert book["available"] is True
    found = client.get(
        f"{root}/boulangerie-dupont/api/v1/catalog/products",
        params={"q": "Roggenbrot", "lang": "de"},
    ).json()
    assert [p["slug"] for p in found["items"]] == ["rye-bread"]


def test_every_language_has_the_same_keys_and_real_translations():
    """en, de, fr and lb define the same keys; German and French are not English copies."""
    catalogues = {
        lang: json.loads((MODULE / "locales" / f"{lang}.json").read_text("utf-8"))
        for lang in ("en", "de", "fr", "lb")
    }

    assert {frozenset(c) for c in catalogues.values()} == {frozenset(catalogues["en"])}
    for lang in ("de", "fr", "lb"):
        same = [k for k, v in catalogues[lang].items() if v == catalogues["en"][k] and len(v) > 12]
        assert len(same) < 5, (lang, same)
