"""The typed bodies of the checkout APIs: every route in the OpenAPI document with its request
and response schema, valid bodies accepted, and each kind of bad field a 422 naming it (never a
500), from pydantic (the wrong JSON type) or the service (a rule, in the caller's language)."""

from __future__ import annotations

import pytest

from tests.modules.checkout.conftest import add_to_cart, checkout_body, counts, csrf, storefront

STORE_API = "/api/v1/store/bakery/checkout/shipping"
GOOD_SETTINGS = {
    "pickup_enabled": True,
    "delivery_enabled": True,
    "delivery_price_cents": 490,
    "free_delivery_above_cents": 5000,
    "shipping_vat_rate": 17,
}


def _post(client, platform, store, path, body, *, key="schema-key-001", lang="en"):
    return client.post(
        storefront(platform, store, f"api/v1/checkout/{path}?lang={lang}"),
        json=body,
        headers={"X-CSRF-Token": client.cookies.get("orion_csrf"), "Idempotency-Key": key},
    )


def _fields(response) -> set[str]:
    assert response.status_code == 422, response.text
    body = response.json()
    assert body["error"] == "validation_error" and body["message"]
    assert all(f["message"] for f in body["fields"])
    return {f["field"] for f in body["fields"]}


def _schema_name(ref_holder: dict) -> str:
    schema = ref_holder["content"]["application/json"]["schema"]
    return schema["$ref"].rsplit("/", 1)[-1]


def test_every_checkout_route_is_in_the_openapi_document_with_its_schemas(orion_app):
    paths = orion_app.openapi()["paths"]
    expected = {
        ("/platforms/{platform_code}/storefront/{store_code}/api/v1/checkout/options", "get"): (None, "OptionsOut"),
        ("/platforms/{platform_code}/storefront/{store_code}/api/v1/checkout/quote", "post"): ("QuoteIn", "QuoteOut"),
        ("/platforms/{platform_code}/storefront/{store_code}/api/v1/checkout/place", "post"): ("PlaceIn", "PlacedOrderOut"),
        ("/api/v1/store/{store_code}/checkout/shipping", "get"): (None, "ShippingSettingsOut"),
        ("/api/v1/store/{store_code}/checkout/shipping", "put"): (
            "ShippingSettingsIn",
            "ShippingSettingsOut",
        ),
    }
    for (path, method), (request_schema, response_schema) in expected.items():
        operation = paths[path][method]
        if request_schema is not None:
            assert _schema_name(operation["requestBody"]) == request_schema, path
        success = operation["responses"].get("201") or operation["responses"]["200"]
        assert _schema_name(success) == response_schema, (path, method)
    assert (
        _schema_name(paths["/platforms/{platform_code}/storefront/{store_code}/api/v1/checkout/place"]["post"]["responses"]["200"])
        == "PlacedOrderOut"
    )


def test_a_valid_place_body_answers_the_typed_order(client, shop, make_product):
    platform, store = shop
    make_product(store, "bread", price=350, stock=5)
    add_to_cart(client, platform, store, "BREAD", 2)

    response = _post(client, platform, store, "place", checkout_body(expected_total_cents=1290))

    assert response.status_code == 201, response.text
    body = response.json()
    assert set(body) == {
        "number",
        "status",
        "created",
        "subtotal_cents",
        "shipping_cents",
        "total_cents",
        "currency",
        "vat",
        "lines",
        "shipping_method",
        "payment_method",
        "payment",
        "payment_error",
        "status_url",
        "confirmation_url",
    }
    assert body["lines"] == [
        {
            "sku": "BREAD",
            "title": "Bread",
            "quantity": 2,
            "unit_price_cents": 350,
            "total_cents": 700,
            "vat_rate": 17,
        }
    ]
    assert isinstance(body["payment"]["id"], int) and body["payment_error"] is None


@pytest.mark.parametrize(
    ("change", "field"),
    [
        # the wrong JSON type: pydantic names the field
        ({"email": 12345}, "email"),
        ({"address": "12, rue de la Gare"}, "address"),
        ({"address": {"name": ["Marie"]}}, "address.name"),
        ({"address": {"planet": "Mars"}}, "address.planet"),
        ({"billing_same": "perhaps"}, "billing_same"),
        ({"address_id": "home"}, "address_id"),
        ({"address_id": 0}, "address_id"),
        ({"address_id": 2**31}, "address_id"),
        ({"expected_total_cents": "990"}, "expected_total_cents"),
        ({"expected_total_cents": True}, "expected_total_cents"),
        ({"expected_total_cents": 9.9}, "expected_total_cents"),
        ({"shipping_method": None}, "shipping_method"),
        ({"phone": "x" * 1001}, "phone"),
        ({"coupon": "FREE"}, "coupon"),
        # a rule: the service names the field
        ({"email": "marie"}, "email"),
        ({"address": {"name": "Marie"}}, "address.street"),
        ({"shipping_method": "drone"}, "shipping_method"),
    ],
)
def test_each_kind_of_bad_place_field_answers_422_naming_it(
    client, shop, make_product, db_session, change, field
):
    platform, store = shop
    make_product(store, "bread", stock=5)
    add_to_cart(client, platform, store, "BREAD", 1)

    response = _post(client, platform, store, "place", checkout_body(**change))

    assert field in _fields(response)
    assert counts(db_session, store.id) == (0, 0, 0)


def test_bodies_that_are_no_object_answer_422(client, shop):
    platform, store = shop
    csrf(client, platform, store)
    for path in ("place", "quote"):
        for body in ([], "text", 12, None):
            response = _post(client, platform, store, path, body)
            assert response.status_code == 422, (path, body, response.text)
            assert response.json()["fields"], response.text


def test_service_messages_of_a_typed_body_speak_the_shopper_s_language(client, shop, make_product):
    platform, store = shop
    make_product(store, "bread", stock=5)
    add_to_cart(client, platform, store, "BREAD", 1)

    response = _post(
        client, platform, store, "place", checkout_body(shipping_method="drone"), lang="de"
    )

    fields = {f["field"]: f["message"] for f in response.json()["fields"]}
    assert fields["shipping_method"] == "Wählen Sie, wie Sie Ihre Bestellung erhalten möchten."
    assert response.json()["message"] == fields["shipping_method"]


def test_the_quote_takes_a_typed_body(client, shop, make_product):
    platform, store = shop
    make_product(store, "bread", price=350, stock=5)
    add_to_cart(client, platform, store, "BREAD", 1)

    good = _post(client, platform, store, "quote", {"shipping_method": "pickup"})
    assert good.status_code == 200, good.text
    assert (good.json()["total_cents"], good.json()["messages"]) == (350, [])
    assert _fields(_post(client, platform, store, "quote", {"shipping_method": 3})) == {
        "shipping_method"
    }
    assert _fields(_post(client, platform, store, "quote", {"method": "pickup"})) == {"method"}
    assert _fields(_post(client, platform, store, "quote", {})) == {"shipping_method"}


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"pickup_enabled": [True]}, "pickup_enabled"),
        ({"delivery_price_cents": "490"}, "delivery_price_cents"),
        ({"delivery_price_cents": 4.9}, "delivery_price_cents"),
        ({"free_delivery_above_cents": True}, "free_delivery_above_cents"),
        ({"shipping_vat_rate": "17"}, "shipping_vat_rate"),
        ({"express": True}, "express"),
        ({"delivery_price_cents": None}, "delivery_price_cents"),
        ({"delivery_price_cents": 100_001}, "delivery_price_cents"),
        ({"shipping_vat_rate": 16}, "shipping_vat_rate"),
    ],
)
def test_each_kind_of_bad_shipping_setting_answers_422_naming_it(
    client, shop, owner, change, field
):
    response = client.put(
        STORE_API, json={**GOOD_SETTINGS, **change}, headers={"X-CSRF-Token": owner}
    )

    assert field in _fields(response)
    assert client.get(STORE_API).json()["delivery_price_cents"] == 590


def test_a_valid_shipping_body_answers_the_typed_settings(client, shop, owner):
    response = client.put(STORE_API, json=GOOD_SETTINGS, headers={"X-CSRF-Token": owner})

    assert response.status_code == 200, response.text
    assert response.json() == GOOD_SETTINGS


def test_shipping_setting_messages_speak_the_staff_member_s_language(client, shop, owner):
    response = client.put(
        STORE_API + "?lang=fr",
        json={**GOOD_SETTINGS, "delivery_price_cents": 100_001},
        headers={"X-CSRF-Token": owner},
    )

    message = {f["field"]: f["message"] for f in response.json()["fields"]}["delivery_price_cents"]
    assert "1.000,00\xa0€" in message, message  # the amount written the French way too
