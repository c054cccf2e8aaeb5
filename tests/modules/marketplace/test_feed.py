"""The Letzshop feed: a TSV file per language at a secret address, written by a task when the
catalogue or the stock changes, listing every published variant with its price and stock."""

from __future__ import annotations

from sqlalchemy import select

from modules.catalog.services import catalog_service
from modules.inventory.services import inventory_service
from modules.marketplace.models import MarketplaceFeed
from modules.marketplace.services import feed_service
from modules.marketplace.services.feeds import COLUMNS
from modules.marketplace.tasks.feeds import run_generate_feed, run_stale_feeds
from orion_server.modules.service import module_service
from tests.modules.marketplace.conftest import feed_url, parse_feed

REQUIRED = ["id", "title", "description", "link", "image_link", "additional_image_link",
            "price", "sale_price", "availability", "brand", "gtin", "condition"]


def stock_catalogue(factories, store):
    """Published products with variants, a sale, a digital product, a pre-order, a sold-out
    variant, and a draft that must stay out of the feed."""
    factories.product(
        store, "pain-complet", price=340, brand="Dupont", gtin="4006381333931",
        titles={"fr": "Pain complet", "de": "Vollkornbrot", "en": "Wholemeal bread"},
        descriptions={"fr": "Farine\tcomplète\nbio.", "en": "Organic flour."},
        variants=[{"sku": "PC-500", "options": {"weight": "500 g"}, "stock": 12},
                  {"sku": "PC-1000", "options": {"weight": "1 kg"}, "price_cents": 620, "stock": 0}],
    )
    factories.product(store, "tarte", price=2190, sale_price_cents=1990, stock=3, condition="new")
    factories.product(store, "recette-pdf", price=500, is_digital=True, stock=0)
    factories.product(store, "panettone", price=1500, stock=0, availability="preorder", condition="refurbished")
    factories.product(store, "brouillon", price=100, stock=5, status="draft")


def test_the_feed_lists_every_published_variant_with_its_price_and_stock(client, db_session, factories, shop):
    """TSV with Google Shopping's columns in order; one row per published variant; prices,
    sale prices and availability as the catalogue and the stock say; drafts left out."""
    platform, store = shop
    stock_catalogue(factories, store)
    token = feed_service.status(db_session, store_id=store.id).token

    response = client.get(feed_url(platform, store, token, "fr"))

    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/tab-separated-values")
    header, rows = parse_feed(response.text)
    assert header[: len(REQUIRED)] == REQUIRED and tuple(header) == COLUMNS
    by_sku = {row["id"]: row for row in rows}
    assert sorted(by_sku) == ["PANETTONE", "PC-1000", "PC-500", "RECETTE-PDF", "TARTE"]
    assert len(rows) == 5
    bread = by_sku["PC-500"]
    assert bread["title"] == "Pain complet – 500 g"
    assert bread["description"] == "Farine complète bio."
    assert bread["price"] == "3.40 EUR" and bread["sale_price"] == ""
    assert bread["availability"] == "in_stock"
    assert bread["brand"] == "Dupont" and bread["gtin"] == "4006381333931" and bread["condition"] == "new"
    assert bread["link"] == (f"http://testserver/platforms/{platform.code}/storefront/bakery/"
                             "products/pain-complet?lang=fr")
    assert by_sku["PC-1000"]["price"] == "6.20 EUR" and by_sku["PC-1000"]["availability"] == "out_of_stock"
    assert by_sku["TARTE"]["price"] == "21.90 EUR" and by_sku["TARTE"]["sale_price"] == "19.90 EUR"
    assert by_sku["RECETTE-PDF"]["availability"] == "in_stock"  # digital: never out of stock
    assert by_sku["PANETTONE"]["availability"] == "preorder"
    assert by_sku["PANETTONE"]["condition"] == "refurbished"


def test_each_language_has_its_own_file_with_its_titles(client, db_session, factories, shop):
    """The German feed has the German title, the English one falls back where no text is."""
    platform, store = shop
    stock_catalogue(factories, store)
    token = feed_service.status(db_session, store_id=store.id).token

    de = {row["id"]: row for row in parse_feed(client.get(feed_url(platform, store, token, "de")).text)[1]}
    en = {row["id"]: row for row in parse_feed(client.get(feed_url(platform, store, token, "en")).text)[1]}

    assert de["PC-500"]["title"].startswith("Vollkornbrot") and de["PC-500"]["link"].endswith("?lang=de")
    assert en["PC-500"]["title"].startswith("Wholemeal bread") and en["PC-500"]["description"] == "Organic flour."
    assert client.get(feed_url(platform, store, token, "lb")).status_code == 404


def test_pictures_become_absolute_links(client, db_session, factories, shop):
    """The first picture is ``image_link``, the others ``additional_image_link``, comma-separated."""
    from tests.modules.catalog.test_store_pages import png_bytes

    platform, store = shop
    product = factories.product(store, "tarte", price=2190, stock=3)
    for _ in range(3):
        catalog_service.add_image(db_session, store_id=store.id, product_id=product.id, filename="t.png",
                                  data=png_bytes())
    run_generate_feed(store.id)
    token = feed_service.status(db_session, store_id=store.id).token

    row = parse_feed(client.get(feed_url(platform, store, token)).text)[1][0]

    root = f"http://testserver/platforms/{platform.code}/storefront/bakery/catalog/images/"
    assert row["image_link"].startswith(root)
    extra = row["additional_image_link"].split(",")
    assert len(extra) == 2 and all(link.startswith(root) for link in extra)
    assert client.get(row["image_link"].removeprefix("http://testserver")).status_code == 200


def test_the_feed_is_not_written_on_each_request_and_a_draft_leaves_it_on_the_next_run(
    client, db_session, factories, shop
):
    """Fetching serves the file as last written; the task writes it again: a product taken
    offline is gone, a sale of the last units shows out of stock."""
    platform, store = shop
    stock_catalogue(factories, store)
    token = feed_service.status(db_session, store_id=store.id).token
    url = feed_url(platform, store, token)
    assert "TARTE" in client.get(url).text
    tarte = next(p for p in catalog_service.list_products(db_session, store_id=store.id).items if p.slug == "tarte")

    catalog_service.unpublish(db_session, store_id=store.id, product_id=tarte.id)
    inventory_service.adjust(db_session, store_id=store.id, sku="PC-500", quantity=-12, reason="correction")

    assert "TARTE" in client.get(url).text  # not written again by the request
    db_session.rollback()
    feed = db_session.scalar(select(MarketplaceFeed).where(MarketplaceFeed.store_id == store.id))
    assert feed.stale_since is not None  # the changes marked it out of date

    assert run_generate_feed(store.id) == 4
    rows = {row["id"]: row for row in parse_feed(client.get(url).text)[1]}
    assert "TARTE" not in rows and len(rows) == 4
    assert rows["PC-500"]["availability"] == "out_of_stock"
    db_session.rollback()
    db_session.expire_all()
    assert feed_service.status(db_session, store_id=store.id).row_count == 4
    assert feed_service.status(db_session, store_id=store.id).stale is False


def test_a_lost_scheduled_run_is_caught_up_by_the_periodic_task(db_session, factories, shop):
    """A feed left out of date for long (the worker stopped before its run) is written by the
    five-minute task."""
    from datetime import timedelta

    from orion_server.database import utcnow

    _platform, store = shop
    factories.product(store, "tarte", price=2190, stock=3)
    feed_service.ensure_feed(db_session, store_id=store.id)
    feed = db_session.scalar(select(MarketplaceFeed).where(MarketplaceFeed.store_id == store.id))
    feed.stale_since = utcnow() - timedelta(minutes=10)
    db_session.commit()

    assert run_stale_feeds() == 1
    db_session.rollback()
    db_session.expire_all()
    status = feed_service.status(db_session, store_id=store.id)
    assert status.row_count == 1 and status.generated_at is not None and not status.stale


def test_a_wrong_token_answers_404(client, db_session, factories, shop):
    platform, store = shop
    factories.product(store, "tarte", price=2190, stock=3)
    token = feed_service.status(db_session, store_id=store.id).token

    assert client.get(feed_url(platform, store, token[:-1] + ("x" if token[-1] != "x" else "y"))).status_code == 404
    assert client.get(feed_url(platform, store, "")).status_code == 404
    assert client.get(feed_url(platform, store, "a" * 300)).status_code == 404
    assert client.get(feed_url(platform, store, token)).status_code == 200


def test_another_stores_token_does_not_open_this_stores_feed(client, db_session, factories, shop):
    platform, store = shop
    other = factories.store(platform, code="other", languages=["fr"], default_language="fr")
    other_token = feed_service.status(db_session, store_id=other.id).token
    feed_service.status(db_session, store_id=store.id)

    assert client.get(feed_url(platform, store, other_token)).status_code == 404


def test_the_feed_answers_404_where_the_module_is_off(client, db_session, factories, shop):
    """Disabled on the platform: the address answers 404 even with the right token."""
    platform, store = shop
    factories.product(store, "tarte", price=2190, stock=3)
    token = feed_service.status(db_session, store_id=store.id).token
    assert client.get(feed_url(platform, store, token)).status_code == 200

    module_service.disable_module(db_session, platform.id, "marketplace")

    assert client.get(feed_url(platform, store, token)).status_code == 404
