"""What a product feed needs of a product: condition, an availability set by staff, the cost
with the margin staff see, and the digital flag whose stock is unlimited."""

from __future__ import annotations

import pytest

from modules.inventory.services import inventory_service
from tests.modules.catalog.test_store_api import product_body
from tests.modules.catalog.test_store_pages import product_form

API = "/api/v1/store/bakery/catalog/products"
PAGES = "/store/bakery/products"


def test_the_api_takes_and_shows_the_feed_fields_and_the_margin(client, shop, owner):
    """11.70 € with 17 % VAT is 10.00 € net; a cost of 6.00 € leaves 4.00 €, 40 %."""
    headers = {"X-CSRF-Token": owner}
    body = product_body(price_cents=1170, vat_rate=1700, condition="refurbished", availability="preorder",
                        cost_cents=600)
    created = client.post(API, json=body, headers=headers)

    assert created.status_code == 201, created.text
    product = created.json()
    assert product["condition"] == "refurbished" and product["availability"] == "preorder"
    assert product["cost_cents"] == 600 and product["margin_cents"] == 400 and product["margin_percent"] == 40.0
    assert product["is_digital"] is False
    patched = client.patch(f"{API}/{product['id']}", json={"availability": None, "cost_cents": None},
                           headers=headers).json()
    assert patched["availability"] is None and patched["margin_cents"] is None
    assert patched["condition"] == "refurbished"  # left out: unchanged


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"condition": "broken"}, "condition"),
        ({"availability": "soon"}, "availability"),
        ({"cost_cents": -5}, "cost_cents"),
        ({"is_digital": "perhaps"}, "is_digital"),
    ],
)
def test_bad_feed_fields_answer_422_naming_the_field(client, shop, owner, changes, field):
    response = client.post(API, json=product_body(**changes), headers={"X-CSRF-Token": owner})

    assert response.status_code == 422
    assert field in {f["field"] for f in response.json()["fields"]}


def test_a_digital_products_stock_is_unlimited(client, db_session, shop, owner):
    """Its SKU never runs out: inventory reserves any quantity without counting it."""
    headers = {"X-CSRF-Token": owner}
    created = client.post(API, json=product_body(is_digital=True, variants=[{"sku": "EBOOK", "stock": 0}]),
                          headers=headers)
    assert created.status_code == 201, created.text
    assert created.json()["variants"][0]["stock"] is None

    store = shop[1]
    db_session.rollback()  # a fresh read of what the request wrote
    assert inventory_service.available(db_session, store_id=store.id, skus=["EBOOK"]) == {"EBOOK": None}
    inventory_service.reserve(db_session, store_id=store.id, lines=[("EBOOK", 500)], reference="order-1")
    inventory_service.commit(db_session, store_id=store.id, reference="order-1")

    # no longer digital: the stock is counted again (nothing on hand)
    client.patch(f"{API}/{created.json()['id']}", json={"is_digital": False}, headers=headers)
    db_session.rollback()
    assert inventory_service.available(db_session, store_id=store.id, skus=["EBOOK"]) == {"EBOOK": 0}


def test_the_editor_shows_cost_margin_condition_and_the_digital_flag(client, db_session, shop, owner):
    """The form saves the fields; the editor shows them again with the margin."""
    data = product_form(owner, price="11,70", vat_rate="1700", cost="6,00", condition="used",
                        availability="backorder", is_digital="on")
    response = client.post(f"{PAGES}/new", data=data, follow_redirects=True)
    assert response.status_code == 200

    html = client.get(response.url.path + "?lang=fr").text
    assert 'name="cost" value="6,00"' in html
    assert "4,00\xa0€" in html and "(40 %)" in html
    assert '<option value="used" selected' in html and '<option value="backorder" selected' in html
    assert 'name="is_digital" value="on" checked' in html


def test_the_editor_refuses_a_bad_cost_with_a_message(client, shop, owner):
    response = client.post(f"{PAGES}/new?lang=en", data=product_form(owner, cost="abc", condition="broken"))

    assert response.status_code == 422
    assert "Enter an amount such as 12.50." in response.text
    assert "Choose new, refurbished or used." in response.text
