"""Importing a catalogue file: upsert by SKU in batches, a per-row error report, idempotence,
cancellation, and pictures fetched only from allowed public hosts."""

from __future__ import annotations

import csv
import io

import httpx
import pytest
from sqlalchemy import func, select

from modules.catalog.models import Product, ProductImage, Variant
from modules.catalog.services import catalog_service
from modules.inventory.models import StockMovement
from modules.marketplace.config import config
from modules.marketplace.models import CatalogueImport
from modules.marketplace.services.imports import import_service
from modules.marketplace.services.remote_images import ImageRefused, fetch_image
from tests.modules.catalog.test_store_pages import png_bytes

PAGE = "/store/bakery/marketplace"


@pytest.fixture(autouse=True)
def _room_for_a_thousand(db_session, shop):
    """A plan without a product limit (Essential allows 200)."""
    from modules.billing.services.subscription_service import subscription_service

    subscription_service.activate(db_session, store_id=shop[1].id, tier="professional")
HEADER = ["id", "title", "description", "link", "image_link", "additional_image_link", "price", "sale_price",
          "availability", "brand", "gtin", "condition"]
BAD = {  # row index (0-based, data rows) -> (changes, the column the report names)
    7: ({"price": ""}, "price"),
    49: ({"price": "abc"}, "price"),
    98: ({"price": "12.50 USD"}, "price"),
    150: ({"gtin": "12"}, "gtin"),
    201: ({"title": ""}, "title"),
    250: ({"condition": "broken"}, "condition"),
    300: ({"sale_price": "99.00 EUR"}, "sale_price"),
    333: ({"id": ""}, "id"),
    400: ({"availability": "soon"}, "availability"),
    444: ({"id": "BAD SKU!"}, "id"),
    500: ({"price": "-3.00 EUR"}, "price"),
    555: ({"gtin": "abcdefgh"}, "gtin"),
    600: ({"title": "x" * 250}, "title"),
    650: ({"price": "2000000.00 EUR"}, "price"),
    700: ({"condition": "mint"}, "condition"),
    750: ({"sale_price": "nope"}, "sale_price"),
    800: ({"price": ""}, "price"),
    850: ({"availability": "maybe"}, "availability"),
    900: ({"id": ""}, "id"),
    950: ({"gtin": "1234"}, "gtin"),
}


def letzshop_file(rows: int, *, bad: dict | None = None, images: dict | None = None) -> bytes:
    """A Letzshop feed (TSV) of ``rows`` products, some rows broken as ``bad`` says."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter="\t", lineterminator="\n")
    writer.writerow(HEADER)
    for n in range(rows):
        row = {"id": f"LZ-{n:05d}", "title": f"Produit {n}", "description": f"Description {n}", "link": "",
               "image_link": "", "additional_image_link": "", "price": f"{3 + n % 7}.{n % 100:02d} EUR",
               "sale_price": "", "availability": "in_stock", "brand": "Dupont", "gtin": "", "condition": "new"}
        row.update((bad or {}).get(n, ({}, ""))[0])
        row.update((images or {}).get(n, {}))
        writer.writerow([row[name] for name in HEADER])
    return out.getvalue().encode()


def upload(client, csrf: str, data: bytes, *, language: str = "fr", name: str = "letzshop_fr.tsv"):
    return client.post(f"{PAGE}/imports?lang=en", data={"csrf_token": csrf, "language": language},
                       files={"file": (name, data, "text/tab-separated-values")}, follow_redirects=True)


def product_count(db, store) -> int:
    db.rollback()
    return db.scalar(select(func.count()).select_from(Product).where(Product.store_id == store.id))


def test_a_1000_row_file_with_20_bad_rows_imports_980_and_reports_the_20(client, db_session, shop, owner):
    """Good rows are imported even when others are bad; the report names each bad row's line
    and column; importing the same file again changes nothing (no product, no ledger entry)."""
    _platform, store = shop
    data = letzshop_file(1000, bad=BAD)

    page = upload(client, owner, data)

    assert page.status_code == 200 and "The import has started." in page.text
    assert product_count(db_session, store) == 980
    job = db_session.scalar(select(CatalogueImport))
    assert (job.status, job.done_rows, job.total_rows, job.created_count, job.error_count) == ("done", 1000, 1000,
                                                                                               980, 20)
    assert "1,000 of 1,000" in client.get(f"{PAGE}?lang=en").text
    report = client.get(f"{PAGE}/imports/{job.id}/errors.csv")
    assert report.status_code == 200 and report.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(report.text)))
    assert [(int(r["row"]), r["column"]) for r in rows] == [(n + 2, column) for n, (_c, column) in BAD.items()]
    assert all(r["message"] for r in rows)
    bread = catalog_service.list_products(db_session, store_id=store.id, q="Produit 3").items
    assert bread and bread[-1].status == "published"
    movements = db_session.scalar(select(func.count()).select_from(StockMovement))

    again = upload(client, owner, data)

    assert again.status_code == 200
    assert product_count(db_session, store) == 980
    assert db_session.scalar(select(func.count()).select_from(StockMovement)) == movements
    second = db_session.scalar(select(CatalogueImport).order_by(CatalogueImport.id.desc()))
    assert (second.created_count, second.updated_count, second.unchanged_count, second.error_count) == (0, 0, 980,
                                                                                                       20)


def test_a_changed_row_updates_its_product_by_sku(client, db_session, shop, owner):
    _platform, store = shop
    upload(client, owner, letzshop_file(3))
    changed = letzshop_file(3).replace(b"Produit 1\t", b"Pain complet\t").replace(b"Description 1",
                                                                                  b"Farine bio")

    upload(client, owner, changed)

    db_session.rollback()
    job = db_session.scalar(select(CatalogueImport).order_by(CatalogueImport.id.desc()))
    assert (job.created_count, job.updated_count, job.unchanged_count) == (0, 1, 2)
    variant = db_session.scalar(select(Variant).where(Variant.sku == "LZ-00001"))
    assert variant.product.title_for("fr") == "Pain complet"
    assert product_count(db_session, store) == 3


def test_orions_own_export_round_trips(client, db_session, factories, shop,
                                                                           owner):
    """A store's CSV export round-trips: into the store it came from it changes nothing; once
    the products are gone, it makes them again."""
    _platform, store = shop
    factories.product(store, "tarte", price=2190, stock=3, titles={"fr": "Tarte", "de": "Kuchen"})
    factories.product(store, "pain", price=340, stock=1, titles={"fr": "Pain"}, brand="Dupont")
    exported = catalog_service.export_csv(db_session, store_id=store.id, languages=["fr", "de"]).encode()

    upload(client, owner, exported, name="bakery-products.csv")

    db_session.rollback()
    job = db_session.scalar(select(CatalogueImport))
    assert (job.status, job.unchanged_count, job.error_count) == ("done", 2, 0), job.errors
    assert product_count(db_session, store) == 2
    for product in catalog_service.list_products(db_session, store_id=store.id).items:
        catalog_service.delete_product(db_session, store_id=store.id, product_id=product.id)

    upload(client, owner, exported, name="bakery-products.csv")

    db_session.rollback()
    job = db_session.scalar(select(CatalogueImport).order_by(CatalogueImport.id.desc()))
    assert (job.status, job.created_count, job.error_count) == ("done", 2, 0), job.errors
    pain = db_session.scalar(select(Variant).where(Variant.sku == "PAIN")).product
    assert (pain.title_for("fr"), pain.brand, pain.price_cents) == ("Pain", "Dupont", 340)


def test_cancelling_a_running_import_leaves_only_whole_products(db_session, shop):
    """Cancelled after its second batch, the import stops there: the products of those rows
    exist with their text and variant, none of the rest."""
    _platform, store = shop
    record = import_service.start(db_session, store_id=store.id, file_name="big.tsv", data=letzshop_file(300),
                                  language="fr", actor="test")

    def cancel_after_two(done: int) -> None:
        if done == 100:
            from orion_server.database import session_scope

            with session_scope() as db:
                import_service.cancel(db, store_id=store.id, import_id=record.id)

    assert import_service.run(record.id, batch=50, after_batch=cancel_after_two) == "cancelled"

    db_session.rollback()
    db_session.expire_all()
    assert product_count(db_session, store) == 100
    products = db_session.scalars(select(Product).where(Product.store_id == store.id)).all()
    assert all(p.variants and p.translations and p.status == "published" for p in products)
    job = db_session.get(CatalogueImport, record.id)
    assert job.status == "cancelled" and job.done_rows == 100


def test_a_bad_file_comes_back_with_a_message(client, shop, owner):
    response = upload(client, owner, b"name,colour\nx,y\n")
    assert response.status_code == 422
    assert "neither Letzshop" in response.text
    assert upload(client, owner, b"", name="empty.tsv").status_code == 422
    assert upload(client, owner, letzshop_file(2), language="xx").status_code == 422


def test_another_stores_import_is_out_of_reach(client, db_session, factories, shop, owner):
    platform, store = shop
    other = factories.store(platform, code="other", languages=["fr"], default_language="fr")
    record = import_service.start(db_session, store_id=other.id, file_name="x.tsv", data=letzshop_file(2),
                                  language="fr", actor="test")

    assert client.get(f"{PAGE}/imports/{record.id}/errors.csv").status_code == 404
    assert client.post(f"{PAGE}/imports/{record.id}/cancel", data={"csrf_token": owner}).status_code == 404


# -- pictures ---------------------------------------------------------------------------------


def public_resolver(host: str, port: int) -> list[str]:
    return {"cdn.example": ["93.184.216.34"], "evil.example": ["10.1.2.3"]}.get(host, ["93.184.216.35"])


def images_transport(request: httpx.Request) -> httpx.Response:
    if request.url.path == "/redirect-home":
        return httpx.Response(302, headers={"location": "http://127.0.0.1/secret.png"})
    if request.url.path == "/redirect-private":
        return httpx.Response(301, headers={"location": "http://192.168.1.1/router.png"})
    if request.url.path == "/page.html":
        return httpx.Response(200, headers={"content-type": "text/html"}, content=b"<html>")
    return httpx.Response(200, headers={"content-type": "image/png"}, content=png_bytes())


ALLOWED = ["cdn.example", "evil.example", "127.0.0.1", "192.168.1.1", "[::1]", "::1"]


@pytest.mark.parametrize(
    ("url", "key"),
    [
        ("http://127.0.0.1/a.png", "image_private"),
        ("http://[::1]/a.png", "image_private"),
        ("http://192.168.1.1/a.png", "image_private"),
        ("http://evil.example/a.png", "image_private"),  # a name resolving to a private address
        ("https://cdn.example/redirect-home", "image_private"),
        ("https://cdn.example/redirect-private", "image_private"),
        ("https://elsewhere.example/a.png", "image_host"),
        ("file:///etc/passwd", "image_url"),
        ("https://cdn.example/page.html", "image_type"),
    ],
)
def test_pictures_from_private_addresses_or_other_hosts_are_refused(url, key):
    with pytest.raises(ImageRefused) as refused:
        fetch_image(url, allowed_hosts=ALLOWED, resolver=public_resolver,
                    transport=httpx.MockTransport(images_transport))
    assert refused.value.key == f"marketplace.import.errors.{key}"


def test_a_picture_from_an_allowed_public_host_is_fetched():
    name, data = fetch_image("https://cdn.example/img/tarte.png", allowed_hosts=ALLOWED, resolver=public_resolver,
                             transport=httpx.MockTransport(images_transport))
    assert name == "tarte.png" and data == png_bytes()


def test_a_row_whose_picture_is_refused_is_reported_and_creates_nothing(db_session, shop, monkeypatch):
    """Rows with pictures at 127.0.0.1 or a redirect to a private address are refused with
    an ``image_link`` error; a row with an allowed picture gets it."""
    _platform, store = shop
    monkeypatch.setattr(config, "image_hosts", ",".join(ALLOWED))
    data = letzshop_file(3, images={0: {"image_link": "http://127.0.0.1/a.png"},
                                    1: {"image_link": "https://cdn.example/redirect-home"},
                                    2: {"image_link": "https://cdn.example/ok.png"}})
    record = import_service.start(db_session, store_id=store.id, file_name="pics.tsv", data=data, language="fr",
                                  actor="test")

    def fetcher(url: str):
        return fetch_image(url, allowed_hosts=config.allowed_hosts, resolver=public_resolver,
                           transport=httpx.MockTransport(images_transport))

    assert import_service.run(record.id, fetcher=fetcher) == "done"

    db_session.rollback()
    db_session.expire_all()
    job = db_session.get(CatalogueImport, record.id)
    assert [(e["row"], e["column"]) for e in job.errors] == [(2, "image_link"), (3, "image_link")]
    assert "127.0.0.1" in job.errors[0]["message"]
    assert [v.sku for v in db_session.scalars(select(Variant))] == ["LZ-00002"]
    assert db_session.scalar(select(func.count()).select_from(ProductImage)) == 1
