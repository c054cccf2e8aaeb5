"""A product or category whose slug changed answers its old address with a 301 to the new
one (links and search results keep working); a draft product answers 404, a deleted one 410 Gone
(its every address), until a new product takes the address."""

from __future__ import annotations

from sqlalchemy import select

from modules.catalog.models import SlugRedirect
from modules.catalog.services import catalog_service
from tests.modules.catalog.conftest import storefront


def _rename(db, store, product, slug):
    return catalog_service.update_product(db, store_id=store.id, product_id=product.id, slug=slug)


def test_an_old_product_address_moves_permanently(client, shop, factories, db_session, make_product):
    platform, store = shop
    product = make_product(store, "pain-gris")
    _rename(db_session, store, product, "pain-de-seigle")
    _rename(db_session, store, product, "seigle")
    for old in ("pain-gris", "pain-de-seigle"):
        moved = client.get(storefront(platform, store, f"products/{old}?lang=en"), follow_redirects=False)
        assert moved.status_code == 301
        assert moved.headers["location"] == storefront(platform, store, "products/seigle?lang=en")
    assert client.get(storefront(platform, store, "products/seigle")).status_code == 200
    # in host mode the redirect stays on the store's domain
    other = factories.store(platform, code="dupont", custom_domain="dupont.lu", languages=["fr"],
                            default_language="fr")
    _rename(db_session, other, make_product(other, "pain-gris"), "seigle")
    moved = client.get("/products/pain-gris", headers={"host": "dupont.lu"}, follow_redirects=False)
    assert moved.status_code == 301 and moved.headers["location"] == "/products/seigle"


def test_a_new_product_taking_an_old_slug_wins(client, shop, db_session, make_product):
    platform, store = shop
    first = make_product(store, "croissant")
    _rename(db_session, store, first, "croissant-beurre")
    make_product(store, "croissant", titles={"fr": "Nouveau croissant"}, sku="CROISSANT-2")
    page = client.get(storefront(platform, store, "products/croissant"), follow_redirects=False)
    assert page.status_code == 200 and "Nouveau croissant" in page.text
    assert db_session.scalar(select(SlugRedirect.id).where(SlugRedirect.old_slug == "croissant")) is None


def test_a_draft_answers_404_and_a_deleted_product_410(client, shop, db_session, make_product):
    platform, store = shop
    product = make_product(store, "eclair")
    _rename(db_session, store, product, "eclair-chocolat")
    catalog_service.unpublish(db_session, store_id=store.id, product_id=product.id)
    for slug in ("eclair", "eclair-chocolat"):
        assert client.get(storefront(platform, store, f"products/{slug}"), follow_redirects=False).status_code == 404
    catalog_service.publish(db_session, store_id=store.id, product_id=product.id)
    assert client.get(storefront(platform, store, "products/eclair"), follow_redirects=False).status_code == 301
    catalog_service.delete_product(db_session, store_id=store.id, product_id=product.id)
    for slug in ("eclair", "eclair-chocolat"):
        gone = client.get(storefront(platform, store, f"products/{slug}?lang=en"), follow_redirects=False)
        assert gone.status_code == 410, slug
        assert "This page was removed" in gone.text
    assert client.get(storefront(platform, store, "products/never-was"), follow_redirects=False).status_code == 404
    # the page says so in the shopper's language
    api = client.get(storefront(platform, store, "products/eclair?lang=de"), follow_redirects=False)
    assert api.status_code == 410 and "Diese Seite wurde entfernt" in api.text


def test_a_new_product_takes_a_deleted_product_s_address(client, shop, db_session, make_product):
    platform, store = shop
    old = make_product(store, "flan")
    catalog_service.delete_product(db_session, store_id=store.id, product_id=old.id)
    assert client.get(storefront(platform, store, "products/flan"), follow_redirects=False).status_code == 410
    make_product(store, "flan", titles={"fr": "Flan pâtissier"}, sku="FLAN-2")
    page = client.get(storefront(platform, store, "products/flan"), follow_redirects=False)
    assert page.status_code == 200 and "Flan pâtissier" in page.text
    assert db_session.scalar(select(SlugRedirect.id).where(SlugRedirect.old_slug == "flan")) is None


def test_a_deleted_product_s_address_is_gone_only_in_its_store(client, shop, factories, db_session, make_product):
    platform, store = shop
    other = factories.store(platform, code="books", languages=["fr"], default_language="fr")
    product = make_product(store, "galette")
    catalog_service.delete_product(db_session, store_id=store.id, product_id=product.id)
    assert client.get(storefront(platform, other, "products/galette"), follow_redirects=False).status_code == 404


def test_an_old_category_address_moves_permanently(client, shop, db_session):
    platform, store = shop
    category = catalog_service.save_category(db_session, store_id=store.id, slug="pains", names={"fr": "Pains"},
                                             default_language="fr")
    catalog_service.save_category(db_session, store_id=store.id, category_id=category.id, slug="boulangerie",
                                  names={"fr": "Pains"}, default_language="fr")
    moved = client.get(storefront(platform, store, "categories/pains?page=2"), follow_redirects=False)
    assert moved.status_code == 301
    assert moved.headers["location"] == storefront(platform, store, "categories/boulangerie?page=2")
    assert client.get(storefront(platform, store, "categories/nothing"), follow_redirects=False).status_code == 404


def test_another_store_old_slug_does_not_redirect(client, shop, factories, db_session, make_product):
    platform, store = shop
    other = factories.store(platform, code="books", languages=["fr"], default_language="fr")
    product = make_product(store, "tarte")
    _rename(db_session, store, product, "tarte-pommes")
    assert client.get(storefront(platform, other, "products/tarte"), follow_redirects=False).status_code == 404
