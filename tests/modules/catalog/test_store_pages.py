"""The store dashboard's product pages: list, editor, deletion, pictures, CSV export."""

from __future__ import annotations

import csv
import io
import struct
import zlib

from modules.catalog.services import catalog_service
from tests.modules.catalog.conftest import storefront

BASE = "/store/bakery/products"


def product_form(csrf: str, **fields: str) -> dict[str, str]:
    """A filled editor form: French title, price in euros, one variant."""
    data = {
        "csrf_token": csrf,
        "slug": "pain-complet",
        "status": "published",
        "vat_rate": "300",
        "price": "3,40",
        "title_fr": "Pain complet",
        "description_fr": "Farine complète bio.",
        "title_de": "Vollkornbrot",
        "variant_rows": "2",
        "variant_sku_0": "PC-500",
        "variant_options_0": "poids=500 g",
        "variant_stock_0": "12",
        "variant_sku_1": "PC-1000",
        "variant_options_1": "poids=1 kg",
        "variant_price_1": "6,20",
    }
    data.update(fields)
    return data


def png_bytes(width: int = 3, height: int = 2) -> bytes:
    """A tiny valid PNG."""

    def chunk(kind: bytes, payload: bytes) -> bytes:
        return (
            struct.pack(">I", len(payload))
            + kind
            + payload
            + struct.pack(">I", zlib.crc32(kind + payload))
        )

    raw = b"".join(b"\x00" + b"\x00\x00\x00" * width for _ in range(height))
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


def test_an_empty_product_list_says_what_to_do_next(client, shop, owner):
    """Without products the list invites to create the first one; the menu links to it."""
    html = client.get(f"{BASE}?lang=en").text

    assert "Your store has no products yet." in html
    assert f'href="{BASE}/new"' in html
    assert f'<a href="{BASE}" class="active">Products</a>' in html


def test_an_owner_creates_a_product_with_variants_through_the_form(client, db_session, shop, owner):
    """The form creates the product, its translations and variants; the storefront shows it."""
    response = client.post(f"{BASE}/new", data=product_form(owner), follow_redirects=False)

    assert response.status_code == 303
    platform, store = shop
    page = client.get(storefront(platform, store, "products/pain-complet?lang=de")).text
    assert "Vollkornbrot" in page and "6,20\xa0€" in page and "inkl. 3 % MwSt." in page
    listing = client.get(f"{BASE}?lang=fr").text
    assert "Pain complet" in listing and "PC-1000" in listing


def test_form_errors_come_back_with_messages_and_what_was_typed(client, shop, owner):
    """A missing default-language title, a bad price and a bad VAT rate are shown by the field."""
    response = client.post(
        f"{BASE}/new?lang=en",
        data=product_form(owner, title_fr="", description_fr="", price="abc", vat_rate="1900"),
    )

    assert response.status_code == 422
    html = response.text
    assert "Enter a title in the store&#39;s default language." in html
    assert "Enter an amount such as 12.50." in html
    assert "Choose a Luxembourg VAT rate" in html
    assert 'value="Vollkornbrot"' in html and 'value="PC-1000"' in html


def test_the_editor_shows_prices_as_each_language_types_them(client, shop, owner, make_product):
    """A German editor shows ``1234,50``, an English one ``1234.50``: what staff would type back."""
    product = make_product(shop[1], "torte", price=123450)

    assert 'name="price" value="1234,50"' in client.get(f"{BASE}/{product.id}/edit?lang=de").text
    assert 'name="price" value="1234.50"' in client.get(f"{BASE}/{product.id}/edit?lang=en").text


def test_prices_typed_with_thousands_separators_are_understood(client, db_session, shop, owner):
    """``1.234,50`` (German) and ``1,234.50`` (English) both save 123450 cents."""
    for slug, typed in (("de-style", "1.234,50"), ("en-style", "1,234.50")):
        data = product_form(owner, slug=slug, price=typed, variant_sku_0=f"{slug}-500",
                            variant_sku_1=f"{slug}-1000")
        assert client.post(f"{BASE}/new", data=data, follow_redirects=False).status_code == 303

    db_session.rollback()
    products = catalog_service.list_products(db_session, store_id=shop[1].id).items
    assert sorted(p.price_cents for p in products) == [123450, 123450]


def test_a_taken_sku_is_reported_on_its_row(client, shop, owner, make_product):
    """The SKU of another product is refused on the variant that repeats it."""
    make_product(shop[1], "autre", sku="PC-1000")
    response = client.post(f"{BASE}/new?lang=en", data=product_form(owner))

    assert response.status_code == 422
    assert "Another product of your store already uses the SKU PC-1000." in response.text


def test_editing_keeps_variants_and_saves_changes(client, db_session, shop, owner, make_product):
    """The editor shows the product; posting it changes the title and adds a variant."""
    product = make_product(shop[1], "brioche", titles={"fr": "Brioche"}, sku="BRI-1")
    form = client.get(f"{BASE}/{product.id}/edit?lang=en").text
    assert 'value="Brioche"' in form and 'value="BRI-1"' in form

    data = {
        "csrf_token": owner,
        "slug": "brioche",
        "status": "published",
        "vat_rate": "300",
        "price": "4",
        "title_fr": "Brioche tressée",
        "variant_rows": "2",
        "variant_id_0": str(product.variants[0].id),
        "variant_sku_0": "BRI-1",
        "variant_sku_1": "BRI-2",
        "variant_options_1": "taille=grande",
        "variant_price_1": "7.5",
    }
    response = client.post(f"{BASE}/{product.id}/edit", data=data, follow_redirects=False)

    assert response.status_code == 303
    db_session.expire_all()
    product = catalog_service.get_product(db_session, store_id=shop[1].id, product_id=product.id)
    assert product.title_for("fr") == "Brioche tressée"
    assert [(v.sku, v.price_cents) for v in product.variants] == [("BRI-1", None), ("BRI-2", 750)]


def test_deleting_asks_first_then_removes_the_product(client, shop, owner, make_product):
    """The delete link leads to a confirmation; confirming deletes."""
    product = make_product(shop[1], "eclair", titles={"fr": "Éclair"})
    confirm = client.get(f"{BASE}/{product.id}/delete?lang=en")

    assert confirm.status_code == 200 and "Delete the product “Éclair”?" in confirm.text
    response = client.post(
        f"{BASE}/{product.id}/delete", data={"csrf_token": owner}, follow_redirects=False
    )
    assert response.status_code == 303
    assert client.get(f"{BASE}/{product.id}/edit").status_code == 404


def test_publishing_and_unpublishing_toggle_the_storefront(client, shop, owner, make_product):
    """A draft appears in the storefront once published and disappears when unpublished."""
    platform, store = shop
    product = make_product(store, "tarte", status="draft")
    url = storefront(platform, store, "products/tarte")

    assert client.get(url).status_code == 404
    client.post(f"{BASE}/{product.id}/publish", data={"csrf_token": owner})
    assert client.get(url).status_code == 200
    client.post(f"{BASE}/{product.id}/unpublish", data={"csrf_token": owner})
    assert client.get(url).status_code == 404


def test_the_list_filters_by_search_status_and_category(
    client, db_session, shop, owner, make_product
):
    """Search, status and category filters narrow the list."""
    store = shop[1]
    cakes = catalog_service.save_category(
        db_session,
        store_id=store.id,
        slug="gateaux",
        names={"fr": "Gâteaux"},
        default_language="fr",
    )
    make_product(store, "fraisier", titles={"fr": "Fraisier"}, category_id=cakes.id)
    make_product(store, "baguette", titles={"fr": "Baguette"}, status="draft")

    assert "Fraisier" not in client.get(f"{BASE}?q=bague").text
    assert "Baguette" not in client.get(f"{BASE}?status=published").text
    by_category = client.get(f"{BASE}?category={cakes.id}").text
    assert "Fraisier" in by_category and "Baguette" not in by_category
    assert "No product matches these filters." in client.get(f"{BASE}?q=zzz&lang=en").text


def test_staff_of_another_store_get_404_for_its_product_pages(
    client, factories, shop, make_product
):
    """Another store's product id gives 404 under one's own store and the other store's pages."""
    platform, store_a = shop
    product = make_product(store_a, "baguette")
    factories.store(platform, code="books", default_language="de")
    user = factories.staff(
        factories.store(platform, code="books2", default_language="de"), role="owner"
    )
    token = factories.login(client, user)

    assert client.get(f"/store/books2/products/{product.id}/edit").status_code == 404
    assert client.get(f"{BASE}/{product.id}/edit").status_code == 404
    assert (
        client.post(
            f"/store/books2/products/{product.id}/delete", data={"csrf_token": token}
        ).status_code
        == 404
    )


def test_a_picture_is_uploaded_and_served(client, shop, owner, make_product):
    """A PNG is stored with its size and shown on the storefront product page."""
    platform, store = shop
    product = make_product(store, "pretzel")
    response = client.post(
        f"{BASE}/{product.id}/images",
        data={"csrf_token": owner},
        files={"image": ("photo.png", png_bytes(), "image/png")},
        follow_redirects=False,
    )

    assert response.status_code == 303
    api = client.get(storefront(platform, store, "api/v1/catalog/products/pretzel")).json()
    [image_url] = api["images"]
    served = client.get(image_url)
    assert served.status_code == 200 and served.headers["content-type"] == "image/png"
    assert served.content == png_bytes()


def test_a_text_file_renamed_jpg_is_refused(client, shop, owner, make_product):
    """The type is read from the bytes, not the name."""
    product = make_product(shop[1], "pretzel")
    response = client.post(
        f"{BASE}/{product.id}/images?lang=en",
        data={"csrf_token": owner},
        files={"image": ("photo.jpg", b"just some text, not a picture", "image/jpeg")},
    )

    assert response.status_code == 422
    assert "This file is not a JPEG, PNG or WebP picture." in response.text


def test_an_oversized_picture_is_refused_with_the_limit(client, shop, owner, make_product):
    """More than 5 MB is refused with a message naming the limit."""
    product = make_product(shop[1], "pretzel")
    big = b"\xff\xd8\xff\xe0" + b"\x00" * (5 * 1024 * 1024)
    response = client.post(
        f"{BASE}/{product.id}/images?lang=en",
        data={"csrf_token": owner},
        files={"image": ("big.jpg", big, "image/jpeg")},
    )

    assert response.status_code == 422
    assert "larger than 5 MB" in response.text


def test_the_csv_export_has_one_row_per_variant(client, shop, owner, make_product):
    """The download is UTF-8 CSV with prices, options and each language's title."""
    make_product(
        shop[1],
        "tshirt",
        titles={"fr": "T-shirt été", "de": "Sommer-T-Shirt"},
        price=1500,
        variants=[
            {"sku": "TS-M", "options": {"taille": "M"}},
            {"sku": "TS-L", "options": {"taille": "L"}, "price_cents": 1700},
        ],
    )
    response = client.get(f"{BASE}/export.csv")

    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert "attachment" in response.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8"))))
    assert [(r["sku"], r["options"], r["variant_price"]) for r in rows] == [
        ("TS-M", "taille=M", "15.00"),
        ("TS-L", "taille=L", "17.00"),
    ]
    assert rows[0]["title_fr"] == "T-shirt été" and rows[0]["title_de"] == "Sommer-T-Shirt"
    assert rows[0]["vat_rate"] == "17"


def test_the_export_needs_its_permission(client, factories, shop):
    """Staff without catalog.export cannot download the CSV."""
    factories.login(client, factories.staff(shop[1], permissions=["catalog.view"]))

    assert client.get(f"{BASE}/export.csv").status_code == 403
