"""The storefront: listing, sorting, pagination, categories, search, product pages."""

from __future__ import annotations

import pytest

from modules.catalog.services import catalog_service
from orion_server.modules.service import module_service
from tests.modules.catalog.conftest import storefront


@pytest.fixture
def breads(shop, make_product):
    """Three published breads and one draft, with French and German texts."""
    platform, store = shop
    make_product(
        store,
        "pain-seigle",
        titles={"fr": "Pain de seigle", "de": "Roggenbrot"},
        descriptions={"fr": "Une mie dense au levain.", "de": "Kräftige Krume aus Sauerteig."},
        price=420,
        sku="BRD-RYE-01",
    )
    make_product(
        store,
        "baguette",
        titles={"fr": "Baguette tradition", "de": "Traditionsbaguette"},
        descriptions={"fr": "Croûte croustillante.", "de": "Knusprige Kruste."},
        price=120,
        sku="BRD-BAG-02",
    )
    make_product(
        store,
        "croissant",
        titles={"fr": "Croissant au beurre", "de": "Buttercroissant"},
        descriptions={"fr": "Feuilletage pur beurre.", "de": "Blätterteig mit Butter."},
        price=150,
        sku="PST-CRO-03",
    )
    make_product(store, "secret-cake", titles={"fr": "Gâteau secret"}, price=900, status="draft")
    return platform, store


def test_the_listing_shows_published_products_with_prices(client, breads):
    """Shoppers see the published products with their price in the money format."""
    platform, store = breads
    html = client.get(storefront(platform, store, "products?lang=fr")).text

    assert "Pain de seigle" in html
    assert "4,20\xa0€" in html
    assert "Gâteau secret" not in html


def test_draft_products_are_invisible_on_the_storefront(client, breads):
    """A draft has no page and no API entry for shoppers."""
    platform, store = breads

    assert client.get(storefront(platform, store, "products/secret-cake")).status_code == 404
    assert (
        client.get(storefront(platform, store, "api/v1/catalog/products/secret-cake")).status_code
        == 404
    )
    slugs = [
        p["slug"]
        for p in client.get(storefront(platform, store, "api/v1/catalog/products")).json()["items"]
    ]
    assert "secret-cake" not in slugs


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("price_asc", ["baguette", "croissant", "pain-seigle"]),
        ("price_desc", ["pain-seigle", "croissant", "baguette"]),
        ("name", ["baguette", "croissant", "pain-seigle"]),
        ("newest", ["croissant", "baguette", "pain-seigle"]),
    ],
)
def test_products_are_sorted_as_asked(client, breads, sort, expected):
    """Price, name and newest sort orders come back from the API."""
    platform, store = breads
    body = client.get(
        storefront(platform, store, f"api/v1/catalog/products?lang=fr&sort={sort}")
    ).json()

    assert [p["slug"] for p in body["items"]] == expected


def test_the_listing_paginates(client, shop, make_product):
    """With more products than fit on a page, pages follow one another."""
    platform, store = shop
    for n in range(5):
        make_product(store, f"roll-{n}", price=100 + n)
    first = client.get(
        storefront(platform, store, "api/v1/catalog/products?per_page=2&sort=price_asc")
    ).json()
    third = client.get(
        storefront(platform, store, "api/v1/catalog/products?per_page=2&sort=price_asc&page=3")
    ).json()

    assert first["total"] == 5 and first["pages"] == 3
    assert [p["slug"] for p in first["items"]] == ["roll-0", "roll-1"]
    assert [p["slug"] for p in third["items"]] == ["roll-4"]
    html = client.get(storefront(platform, store, "products?sort=price_asc")).text
    assert "Roll 0" in html


def test_a_category_shows_its_products_and_those_of_its_subcategories(
    client, db_session, shop, make_product
):
    """The category page and the category filter include sub-categories."""
    platform, store = shop
    breads = catalog_service.save_category(
        db_session, store_id=store.id, slug="pains", names={"fr": "Pains"}, default_language="fr"
    )
    rye = catalog_service.save_category(
        db_session,
        store_id=store.id,
        slug="seigle",
        names={"fr": "Seigle"},
        default_language="fr",
        parent_id=breads.id,
    )
    make_product(store, "pain-blanc", category_id=breads.id)
    make_product(store, "pain-seigle", category_id=rye.id)
    make_product(store, "eclair")

    page = client.get(storefront(platform, store, "categories/pains?lang=fr"))
    api = client.get(storefront(platform, store, "api/v1/catalog/products?category=seigle")).json()

    assert page.status_code == 200
    assert "Pain Blanc" in page.text and "Pain Seigle" in page.text and "Eclair" not in page.text
    assert [p["slug"] for p in api["items"]] == ["pain-seigle"]
    assert client.get(storefront(platform, store, "categories/unknown")).status_code == 404


@pytest.mark.parametrize(
    ("language", "query", "expected"),
    [
        ("de", "Roggenbrot", "pain-seigle"),
        ("de", "sauerteig", "pain-seigle"),
        ("de", "knusprig", "baguette"),
        ("fr", "seigle", "pain-seigle"),
        ("fr", "feuilletage", "croissant"),
        ("fr", "croûte", "baguette"),
        ("de", "BRD-RYE", "pain-seigle"),
        ("fr", "pst-cro-03", "croissant"),
    ],
)
def test_search_finds_products_by_title_description_and_sku(
    client, breads, language, query, expected
):
    """Full-text search in the shopper's language matches title, description and SKU."""
    platform, store = breads
    body = client.get(
        storefront(platform, store, "api/v1/catalog/products"),
        params={"q": query, "lang": language},
    ).json()

    assert [p["slug"] for p in body["items"]] == [expected]


def test_search_is_in_the_shoppers_language(client, breads):
    """A German word does not find the product for a French shopper."""
    platform, store = breads
    body = client.get(
        storefront(platform, store, "api/v1/catalog/products"),
        params={"q": "Roggenbrot", "lang": "fr"},
    ).json()

    assert body["items"] == []


@pytest.mark.parametrize(
    "query", ['"', "AND (", "*", "NEAR(", "'; DROP TABLE x; --", "a OR", "^", "%_", "ü" * 300]
)
def test_hostile_search_strings_never_fail(client, breads, query):
    """Quotes, operators and odd characters give a normal page and a normal API answer."""
    platform, store = breads

    page = client.get(storefront(platform, store, "products"), params={"q": query})
    api = client.get(
        storefront(platform, store, "api/v1/catalog/products"), params={"q": query[:200]}
    )

    assert page.status_code == 200
    assert api.status_code == 200


def test_an_empty_search_says_what_to_do(client, breads):
    """A search without results explains itself and links to all products."""
    platform, store = breads
    html = client.get(
        storefront(platform, store, "products"), params={"q": "zzzz", "lang": "en"}
    ).text

    assert "Nothing found for “zzzz”." in html
    assert "All products" in html


def test_the_product_page_shows_variants_price_vat_and_availability(client, shop, make_product):
    """Options, prices per variant, the translated VAT note and stock state are on the page."""
    platform, store = shop
    make_product(
        store,
        "t-shirt",
        titles={"fr": "T-shirt", "de": "T-Shirt"},
        price=1500,
        variants=[
            {"sku": "TS-M-RED", "options": {"size": "M", "colour": "red"}},
            {"sku": "TS-L-RED", "options": {"size": "L", "colour": "red"}, "price_cents": 1700},
        ],
    )
    german = client.get(storefront(platform, store, "products/t-shirt?lang=de")).text
    french = client.get(storefront(platform, store, "products/t-shirt?lang=fr")).text
    api = client.get(storefront(platform, store, "api/v1/catalog/products/t-shirt")).json()

    assert "inkl. 17 % MwSt." in german
    assert "TVA 17 % incluse" in french
    assert "ab 15,00\xa0€" in german
    assert "TS-L-RED" in german and "17,00\xa0€" in german
    assert api["options"] == {"size": ["M", "L"], "colour": ["red"]}
    assert api["price_min_cents"] == 1500 and api["price_max_cents"] == 1700


def test_an_empty_storefront_says_so(client, shop):
    """Without products the listing shows an empty state, not an empty grid."""
    platform, store = shop
    html = client.get(storefront(platform, store, "products?lang=en")).text

    assert "No products here yet." in html


def test_the_storefront_is_gone_when_the_module_is_off(client, db_session, shop, make_product):
    """With the catalog disabled for the platform, /products and its API answer 404."""
    platform, store = shop
    make_product(store, "baguette")
    module_service.disable_module(db_session, platform.id, "catalog")

    assert client.get(storefront(platform, store, "products")).status_code == 404
    assert client.get(storefront(platform, store, "api/v1/catalog/products")).status_code == 404


def test_a_card_falls_back_to_any_title_after_the_store_changed_its_default_language(
    client, db_session, shop, make_product
):
    """Cards read a title in the shopper's language, else the store's default; a product written
    before the store changed its default language still shows a title, not its slug."""
    platform, store = shop
    store.default_language = "de"
    db_session.commit()
    make_product(store, "roggenbrot", titles={"de": "Roggenbrot"}, price=380, sku="BRD-ROG-01")
    store.default_language = "fr"
    db_session.commit()
    make_product(store, "fougasse", titles={"fr": "Fougasse", "en": "Fougasse bread"}, price=300,
                 sku="BRD-FOU-01")
    store.default_language = "en"
    db_session.commit()

    items = client.get(storefront(platform, store, "api/v1/catalog/products?lang=fr")).json()["items"]
    assert {item["slug"]: item["title"] for item in items} == {"roggenbrot": "Roggenbrot", "fougasse": "Fougasse"}
    items = client.get(storefront(platform, store, "api/v1/catalog/products?lang=de")).json()["items"]
    assert {item["slug"]: item["title"] for item in items} == {"roggenbrot": "Roggenbrot",
                                                              "fougasse": "Fougasse bread"}


def test_a_card_shows_its_variants_price_range_and_is_available_while_one_variant_is(
    client, db_session, shop, make_product
):
    """A card's prices are its variants' (a variant without a price of its own costs the
    product's sale price), and it is available while one of its variants is in stock."""
    from modules.inventory.services import inventory_service

    platform, store = shop
    module_service.enable_module(db_session, platform.id, "inventory")
    catalog_service.create_product(
        db_session, store_id=store.id, slug="tarte", translations={"fr": {"title": "Tarte"}},
        variants=[{"sku": "TRT-S", "options": {"size": "S"}, "stock": 0},
                  {"sku": "TRT-L", "options": {"size": "L"}, "price_cents": 2400, "stock": 2}],
        price_cents=1800, sale_price_cents=1500, status="published")

    def card() -> dict:
        items = client.get(storefront(platform, store, "api/v1/catalog/products?lang=fr")).json()["items"]
        (found,) = [item for item in items if item["slug"] == "tarte"]
        return found

    assert card() | {"url": ""} == {"slug": "tarte", "title": "Tarte", "price_min_cents": 1500,
                                    "price_max_cents": 2400, "regular_price_cents": 1800,
                                    "available": True, "url": ""}
    inventory_service.adjust(db_session, store_id=store.id, sku="TRT-L", quantity=-2, actor="test")
    assert card()["available"] is False


def test_a_search_reaches_only_the_stores_products_and_never_matches_the_store_number(
    client, factories, shop, make_product
):
    """The search index keeps every store's products; a store's search finds its own only, and
    a search for a number does not find every product of the store whose id it is."""
    platform, store = shop
    other = factories.store(platform, code="other-bakery", languages=["fr"], default_language="fr")
    make_product(store, "pain-complet", titles={"fr": "Pain complet"}, price=300, sku="BRD-CPL-01")
    make_product(store, "tarte", titles={"fr": "Tarte aux pommes"}, price=900, sku="PST-TRT-01")
    make_product(other, "pain-de-mie", titles={"fr": "Pain de mie"}, price=250, sku="BRD-MIE-01")

    def found(target, query: str) -> list[str]:
        body = client.get(storefront(platform, target, "api/v1/catalog/products"),
                          params={"q": query, "lang": "fr"}).json()
        return sorted(p["slug"] for p in body["items"])

    assert found(store, "pain") == ["pain-complet"]
    assert found(other, "pain") == ["pain-de-mie"]
    assert found(store, str(store.id)) == []
    assert found(store, "01") == ["pain-complet", "tarte"]  # the SKUs' own numbers do match


def test_a_word_in_more_products_than_a_search_counts_says_more_than(
    client, shop, make_product, monkeypatch
):
    """A search ranks and counts only so many of the newest matching products (1,000); past that
    the page says "more than" and the API says ``more``. The cap is 3 here."""
    from modules.catalog.services import product_reading

    monkeypatch.setattr(product_reading, "SEARCH_CAP", 3)
    platform, store = shop
    for n in range(5):
        make_product(store, f"pain-{n}", titles={"fr": f"Pain numéro {n}"}, price=300 + n, sku=f"BRD-{n:03d}")
    make_product(store, "tarte", titles={"fr": "Tarte"}, price=900, sku="PST-001")

    body = client.get(storefront(platform, store, "api/v1/catalog/products"), params={"q": "pain", "lang": "fr"}).json()
    assert (body["total"], body["more"]) == (3, True)
    assert sorted(p["slug"] for p in body["items"]) == ["pain-2", "pain-3", "pain-4"]  # the newest
    html = client.get(storefront(platform, store, "products"), params={"q": "pain", "lang": "fr"}).text
    assert "Plus de 3 produits" in html
    cheapest = client.get(storefront(platform, store, "api/v1/catalog/products"),
                          params={"q": "pain", "lang": "fr", "sort": "price_asc"}).json()
    assert cheapest["items"][0]["slug"] == "pain-0"  # other orders look at every match
    assert client.get(storefront(platform, store, "api/v1/catalog/products"),
                      params={"q": "tarte", "lang": "fr"}).json() | {"items": []} == {
        "items": [], "total": 1, "more": False, "page": 1, "per_page": 24, "pages": 1}
