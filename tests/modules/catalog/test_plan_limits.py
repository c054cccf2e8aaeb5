"""The product limit of the store's plan, enforced where a product is made (API and editor)."""

from __future__ import annotations

from sqlalchemy import insert

from modules.billing.services.subscription_service import subscription_service
from modules.catalog.models import Product
from modules.contracts.tier_limits import PRODUCTS, limit_of
from orion_server.database import utcnow
from tests.modules.catalog.test_store_api import API, product_body
from tests.modules.catalog.test_store_pages import BASE, product_form


def fill(db_session, store, count: int) -> None:
    """``count`` draft products, written straight to the table (the limit counts rows)."""
    now = utcnow()
    db_session.execute(insert(Product), [
        {"store_id": store.id, "slug": f"filler-{n}", "status": "draft", "price_cents": 100,
         "vat_rate": 300, "created_at": now, "updated_at": now}
        for n in range(count)
    ])
    db_session.commit()


def test_an_essential_store_at_its_200_products_is_told_which_plan_allows_more(client, shop, owner, db_session):
    """The 201st product is refused (422) with the limit, the count and the plan lifting it;
    after the upgrade it is made."""
    _, store = shop
    fill(db_session, store, 200)
    assert limit_of(db_session, store_id=store.id, key=PRODUCTS).tier_name == "Essential"  # the trial's tier

    refused = client.post(API + "?lang=en", json=product_body(), headers={"X-CSRF-Token": owner})

    assert refused.status_code == 422
    message = {f["field"]: f["message"] for f in refused.json()["fields"]}["form"]
    assert message == ("The Essential plan allows 200 products, and the store has 200. The Professional plan "
                       "allows more: upgrade in Billing, or delete a product first.")

    subscription_service.activate(db_session, store_id=store.id, tier="professional")
    made = client.post(API, json=product_body(), headers={"X-CSRF-Token": owner})
    assert made.status_code == 201, made.text


def test_the_editor_keeps_what_was_typed_and_says_the_limit_in_the_users_language(client, shop, owner, db_session):
    _, store = shop
    fill(db_session, store, 200)

    page = client.post(f"{BASE}/new?lang=de", data=product_form(owner))

    assert page.status_code == 422
    assert "Der Tarif Essential erlaubt 200 Produkte, und der Shop hat 200. Der Tarif Professional erlaubt mehr" in page.text
    assert 'value="pain-complet"' in page.text and "Farine complète bio." in page.text


def test_below_the_limit_and_on_a_plan_without_one_products_are_made(client, shop, owner, db_session):
    _, store = shop
    fill(db_session, store, 199)
    assert client.post(API, json=product_body(), headers={"X-CSRF-Token": owner}).status_code == 201
    assert client.post(API, json=product_body(slug="pain", variants=[{"sku": "P-1", "options": {}}]),
                       headers={"X-CSRF-Token": owner}).status_code == 422

    subscription_service.activate(db_session, store_id=store.id, tier="business")
    assert limit_of(db_session, store_id=store.id, key=PRODUCTS).limit is None
    assert client.post(API, json=product_body(slug="pain", variants=[{"sku": "P-1", "options": {}}]),
                       headers={"X-CSRF-Token": owner}).status_code == 201


def test_the_product_list_warns_from_80_percent_and_when_full(client, shop, owner, db_session):
    """160 of 200: a warning with the share used; 200: full; both name the plan allowing more
    and link to the plans. Under 80 % nothing is shown."""
    _, store = shop
    fill(db_session, store, 159)
    assert "plan-limit" not in client.get(BASE + "?lang=en").text

    db_session.execute(insert(Product), [{"store_id": store.id, "slug": "one-more", "status": "draft",
                                          "price_cents": 100, "vat_rate": 300, "created_at": utcnow(),
                                          "updated_at": utcnow()}])
    db_session.commit()
    near = client.get(BASE + "?lang=en").text
    assert "Products: 160 of 200 used (80 %)." in near
    assert "The Professional plan allows more." in near
    assert f'href="/store/{store.code}/billing#choose"' in near

    db_session.execute(insert(Product), [{"store_id": store.id, "slug": f"last-{n}", "status": "draft",
                                          "price_cents": 100, "vat_rate": 300, "created_at": utcnow(),
                                          "updated_at": utcnow()} for n in range(40)])
    db_session.commit()
    full = client.get(BASE + "?lang=en").text
    assert "plan-limit-full" in full and "Products: all 200 your Essential plan allows are used." in full
