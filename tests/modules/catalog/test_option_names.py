"""Variant option names in the shopper's language: on the product page and in the offers the
cart and checkout take (so orders keep them as the shopper read them); the demo's pictures."""

from __future__ import annotations

import io
import re

import pytest
from PIL import Image, ImageChops

from modules.catalog import demo
from modules.catalog.offers import CatalogOffers
from modules.catalog.options import KNOWN_OPTIONS, labelled_options, option_label
from modules.contracts.product_catalog import find_offer
from orion_server.i18n import catalogue
from tests.modules.catalog.conftest import storefront

ALL = ("en", "de", "fr", "lb")


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("weight", ("Weight", "Gewicht", "Poids", "Gewiicht")),
        ("size", ("Size", "Größe", "Taille", "Gréisst")),
        ("colour", ("Colour", "Farbe", "Couleur", "Faarf")),
        ("Color", ("Colour", "Farbe", "Couleur", "Faarf")),
        ("flavour", ("Flavour", "Geschmack", "Goût", "Goût")),
        ("pack", ("Pack size", "Packungsgröße", "Conditionnement", "Packungsgréisst")),
    ],
)
def test_known_option_names_are_translated(name, expected):
    assert tuple(option_label(name, lang) for lang in ALL) == expected


def test_unknown_option_names_are_shown_as_typed_with_a_capital():
    assert option_label("fit", "de") == "Fit"
    assert option_label("  Schnëtt ", "lb") == "Schnëtt"
    assert option_label("grind level", "fr") == "Grind level"


def test_every_known_name_and_every_demo_option_has_a_translation_in_each_language():
    demo_names = {name for row in demo.BAKERY for options, _price in row[5] for name in options} | {"format"}
    assert demo_names <= set(KNOWN_OPTIONS)
    for key in KNOWN_OPTIONS:
        texts = [catalogue.messages[lang].get(f"catalog.option.{key}") for lang in ALL]
        assert all(texts), (key, texts)


def test_the_product_page_names_the_options_in_the_shoppers_language(client, shop, make_product):
    platform, store = shop
    make_product(
        store,
        "rye-bread",
        titles={"fr": "Pain de seigle", "de": "Roggenbrot"},
        variants=[
            {"sku": "RYE-1", "options": {"weight": "500 g"}},
            {"sku": "RYE-2", "options": {"weight": "1 kg"}, "price_cents": 780},
        ],
    )
    make_product(store, "apron", variants=[{"sku": "AP-1", "options": {"fit": "slim", "color": "blue"}}])

    german = client.get(storefront(platform, store, "products/rye-bread?lang=de")).text
    french = client.get(storefront(platform, store, "products/rye-bread?lang=fr")).text
    apron = client.get(storefront(platform, store, "products/apron?lang=de")).text

    assert "<th>Gewicht</th>" in german
    assert "Weight" not in german and not re.search(r">\s*weight\s*<", german)
    assert "<th>Poids</th>" in french
    assert "<th>Fit</th><th>Farbe</th>" in apron


def test_the_offer_carries_the_option_names_in_the_asked_language(db_session, shop, make_product):
    store = shop[1]
    make_product(store, "cake", variants=[{"sku": "CK-10", "options": {"size": "10", "fit": "round"}}])

    german = CatalogOffers().offer(db_session, store_id=store.id, sku="CK-10", language="de")
    french = find_offer(db_session, store_id=store.id, sku="CK-10", language="fr")

    assert german.options == {"Größe": "10", "Fit": "round"}
    assert french.options == {"Taille": "10", "Fit": "round"}
    assert list(labelled_options({"b": "1", "a": "2"}, "en")) == ["B", "A"]  # the variant's order


def test_the_demo_pictures_initials_fold_accents_and_draw_a_real_glyph():
    assert demo.picture_initials("Éclair") == "E"
    assert demo.picture_initials("Äppelkuch mat Zimt") == "AM"
    assert demo.picture_initials("") == "?"
    font = demo.picture_font(200)
    missing = font.getmask("\uffff")
    for title in ("Éclair", "Ëmmer", "Øre"):
        initials = demo.picture_initials(title)
        mask = font.getmask(initials)
        same = mask.size == missing.size and bytes(mask) == bytes(missing)
        assert not same, f"{title}: {initials!r} is drawn as the missing-glyph box"


def test_the_eclair_picture_shows_an_e():
    """The Éclair's picture and one drawn for "Eclair" are the same picture."""
    accented = Image.open(io.BytesIO(demo.demo_picture("Éclair", "pastries")))
    plain = Image.open(io.BytesIO(demo.demo_picture("Eclair", "pastries")))
    difference = ImageChops.difference(accented.convert("L"), plain.convert("L"))
    assert difference.getextrema()[1] < 8  # JPEG noise at most
