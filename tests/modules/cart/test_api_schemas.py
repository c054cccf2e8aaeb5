"""The typed bodies of the cart API: every route in the OpenAPI document with its request and
response schema, a valid body answering the typed cart, and each kind of bad field a 422 naming
it (never a 500)."""

from __future__ import annotations

import pytest

from tests.modules.cart.conftest import csrf, storefront

CART_FIELDS = {"lines", "subtotal_cents", "item_count", "currency", "messages"}


def _url(platform, store, path=""):
    return storefront(platform, store, f"api/v1/cart{path}?lang=en")


def _schema_name(holder: dict) -> str:
    return holder["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[-1]


def test_every_cart_route_is_in_the_openapi_document_with_its_schemas(orion_app):
    paths = orion_app.openapi()["paths"]
    expected = {
        ("/platforms/{platform_code}/storefront/{store_code}/api/v1/cart", "get"): None,
        ("/platforms/{platform_code}/storefront/{store_code}/api/v1/cart/lines", "post"): "LineIn",
        ("/platforms/{platform_code}/storefront/{store_code}/api/v1/cart/lines/{sku}", "patch"): "QuantityIn",
        ("/platforms/{platform_code}/storefront/{store_code}/api/v1/cart/lines/{sku}", "delete"): None,
    }
    for (path, method), request_schema in expected.items():
        operation = paths[path][method]
        if request_schema is not None:
            assert _schema_name(operation["requestBody"]) == request_schema, path
        success = operation["responses"].get("201") or operation["responses"]["200"]
        assert _schema_name(success) == "CartOut", (path, method)


def test_valid_bodies_answer_the_typed_cart(client, shop, make_product):
    platform, store = shop
    make_product(store, "bread", price=350, stock=5)
    token = csrf(client, platform, store)
    headers = {"X-CSRF-Token": token}

    added = client.post(
        _url(platform, store, "/lines"), json={"sku": "BREAD", "quantity": 2}, headers=headers
    )
    changed = client.patch(
        _url(platform, store, "/lines/BREAD"), json={"quantity": 3}, headers=headers
    )
    read = client.get(_url(platform, store))

    assert added.status_code == 201, added.text
    assert set(added.json()) == CART_FIELDS
    assert added.json()["lines"] == [
        {
            "sku": "BREAD",
            "title": "Bread",
            "quantity": 2,
            "unit_price_cents": 350,
            "total_cents": 700,
        }
    ]
    assert "orion_cart" in added.cookies  # the new cart's cookie is still set
    assert (changed.status_code, changed.json()["item_count"]) == (200, 3)
    assert (read.json()["subtotal_cents"], read.json()["messages"]) == (1050, [])


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"quantity": 1}, "sku"),
        ({"sku": "", "quantity": 1}, "sku"),
        ({"sku": "x" * 65, "quantity": 1}, "sku"),
        ({"sku": 12, "quantity": 1}, "sku"),
        ({"sku": "BREAD", "quantity": "many"}, "quantity"),
        ({"sku": "BREAD", "quantity": 0}, "quantity"),
        ({"sku": "BREAD", "quantity": 1.5}, "quantity"),
        ({"sku": "BREAD", "quantity": True}, "quantity"),  # not 1: JSON Schema's integer is no boolean
        (
            {"sku": "BREAD", "quantity": 10**20},
            "quantity",
        ),  # past the line limit: the service says so
        ({"sku": "BREAD", "colour": "red"}, "colour"),
    ],
)
def test_each_kind_of_bad_line_answers_422_naming_it(client, shop, make_product, body, field):
    platform, store = shop
    make_product(store, "bread", stock=5)
    token = csrf(client, platform, store)

    response = client.post(
        _url(platform, store, "/lines"), json=body, headers={"X-CSRF-Token": token}
    )

    assert response.status_code == 422, response.text
    assert field in {f["field"] for f in response.json()["fields"]}
    assert all(f["message"] for f in response.json()["fields"])


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "quantity"),
        ({"quantity": -1}, "quantity"),
        ({"quantity": "two"}, "quantity"),
        ({"quantity": None}, "quantity"),
        ({"quantity": False}, "quantity"),  # was read as 0 and emptied the line (issue 10, schemathesis)
    ],
)
def test_each_kind_of_bad_quantity_answers_422_naming_it(client, shop, make_product, body, field):
    platform, store = shop
    make_product(store, "bread", stock=5)
    token = csrf(client, platform, store)
    client.post(
        _url(platform, store, "/lines"), json={"sku": "BREAD"}, headers={"X-CSRF-Token": token}
    )

    response = client.patch(
        _url(platform, store, "/lines/BREAD"), json=body, headers={"X-CSRF-Token": token}
    )

    assert response.status_code == 422, response.text
    assert field in {f["field"] for f in response.json()["fields"]}


def test_an_absurd_sku_in_the_path_answers_422_naming_it(client, shop):
    platform, store = shop
    token = csrf(client, platform, store)

    response = client.delete(
        _url(platform, store, "/lines/" + "x" * 65), headers={"X-CSRF-Token": token}
    )

    assert response.status_code == 422, response.text
    assert [f["field"] for f in response.json()["fields"]] == ["sku"]
