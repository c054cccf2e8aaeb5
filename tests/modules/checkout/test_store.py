"""Shipping settings in the store dashboard and the store API: validation, permissions and
tenant isolation."""

from __future__ import annotations

import pytest

from modules.checkout.services import shipping_service

API = "/api/v1/store/bakery/checkout/shipping"
PAGE = "/store/bakery/checkout/shipping"
GOOD = {
    "pickup_enabled": True,
    "delivery_enabled": True,
    "delivery_price_cents": 490,
    "free_delivery_above_cents": 5000,
    "shipping_vat_rate": 17,
}


def test_the_api_shows_the_defaults_then_saves_new_settings(client, shop, owner, db_session):
    assert client.get(API).json() == {
        "pickup_enabled": True, "delivery_enabled": True, "delivery_price_cents": 590,
        "free_delivery_above_cents": 7500, "shipping_vat_rate": 17,
    }

    saved = client.put(API, json={**GOOD, "free_delivery_above_cents": None}, headers={"X-CSRF-Token": owner})

    assert saved.status_code == 200
    assert saved.json()["free_delivery_above_cents"] is None
    db_session.rollback()
    methods = shipping_service.methods(db_session, store_id=shop[1].id, subtotal_cents=100_000, language="en")
    assert [(m.code, m.price_cents) for m in methods] == [("pickup", 0), ("delivery", 490)]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"pickup_enabled": "perhaps"}, "pickup_enabled"),
        ({"pickup_enabled": False, "delivery_enabled": False}, "delivery_enabled"),
        ({"delivery_price_cents": -1}, "delivery_price_cents"),
        ({"delivery_price_cents": "5,90"}, "delivery_price_cents"),
        ({"free_delivery_above_cents": 99_999_999}, "free_delivery_above_cents"),
        ({"shipping_vat_rate": 19}, "shipping_vat_rate"),
    ],
)
def test_bad_settings_answer_422_naming_the_field(client, shop, owner, change, field):
    response = client.put(API, json={**GOOD, **change}, headers={"X-CSRF-Token": owner})

    assert response.status_code == 422
    assert field in {f["field"] for f in response.json()["fields"]}
    assert client.get(API).json()["delivery_price_cents"] == 590


def test_staff_of_another_store_get_404_and_staff_without_the_permission_403(client, shop, factories, db_session):
    platform, bakery = shop
    other = factories.store(platform, code="bookshop", name="Bookshop")
    token = factories.login(client, factories.staff(other, role="owner"))

    assert client.get(API).status_code == 404
    assert client.put(API, json=GOOD, headers={"X-CSRF-Token": token}).status_code == 404
    assert client.get(PAGE).status_code == 404
    assert client.get("/api/v1/store/bookshop/checkout/shipping").status_code == 200

    helper = factories.staff(bakery, permissions=["checkout.view"])
    token = factories.login(client, helper)
    assert client.get(API).status_code == 403
    assert client.put(API, json=GOOD, headers={"X-CSRF-Token": token}).status_code == 403


def test_the_page_saves_amounts_typed_in_euros(client, shop, owner, db_session):
    page = client.get(PAGE + "?lang=en")
    assert page.status_code == 200 and 'value="5.90"' in page.text

    saved = client.post(PAGE, data={"csrf_token": owner, "pickup_enabled": "1", "delivery_enabled": "1",
                                    "delivery_price": "4,50", "free_delivery_above": "60",
                                    "shipping_vat_rate": "17"}, follow_redirects=False)

    assert saved.status_code == 303
    db_session.rollback()
    row = shipping_service.get(db_session, store_id=shop[1].id)
    assert (row.delivery_price_cents, row.free_delivery_above_cents) == (450, 6000)
    assert "Shipping settings saved." in client.get(saved.headers["location"] + "&lang=en").text


def test_the_page_reads_grouped_amounts_and_shows_them_as_the_language_writes_them(client, shop, owner, db_session):
    """``1.234,50 €`` is understood; a German page shows ``1234,50`` and ``4,50`` back, with two decimals."""
    saved = client.post(PAGE, data={"csrf_token": owner, "pickup_enabled": "1", "delivery_enabled": "1",
                                    "delivery_price": "4,5", "free_delivery_above": "1.234,50 €",
                                    "shipping_vat_rate": "3"}, follow_redirects=False)

    assert saved.status_code == 303
    db_session.rollback()
    row = shipping_service.get(db_session, store_id=shop[1].id)
    assert (row.delivery_price_cents, row.free_delivery_above_cents, row.shipping_vat_rate) == (450, 123450, 3)
    page = client.get(PAGE + "?lang=de").text
    assert 'value="4,50"' in page and 'value="1234,50"' in page


def test_a_negative_amount_on_the_page_gets_the_amount_message(client, shop, owner):
    """``-5`` is refused like any other unreadable amount, and nothing is saved."""
    response = client.post(PAGE + "?lang=en", data={"csrf_token": owner, "pickup_enabled": "1",
                                                    "delivery_price": "-5", "shipping_vat_rate": "17"})

    assert response.status_code == 422
    assert "Enter an amount in euros" in response.text
    assert client.get(API).json()["delivery_price_cents"] == 590


def test_the_page_shows_messages_and_keeps_what_was_typed(client, shop, owner):
    response = client.post(PAGE + "?lang=fr", data={"csrf_token": owner, "delivery_price": "cinq",
                                                    "free_delivery_above": "", "shipping_vat_rate": "17"})

    assert response.status_code == 422
    assert 'value="cinq"' in response.text
    assert "Saisissez un montant en euros" in response.text
    assert "Proposez au moins un mode de livraison." in response.text
