"""The store API of the catalog: CRUD, validation errors, tenant isolation."""

from __future__ import annotations

import pytest

API = "/api/v1/store/bakery/catalog/products"


def product_body(**fields):
    """A valid new product: French title, one variant."""
    body = {
        "slug": "baguette",
        "translations": {"fr": {"title": "Baguette", "description": "Croustillante."}},
        "variants": [{"sku": "BAG-1", "options": {}}],
        "price_cents": 120,
        "vat_rate": 300,
        "status": "published",
    }
    body.update(fields)
    return body


def test_staff_create_read_update_and_delete_a_product(client, shop, owner):
    """POST creates, GET reads, PATCH changes some fields, DELETE removes."""
    headers = {"X-CSRF-Token": owner}
    created = client.post(API, json=product_body(), headers=headers)
    assert created.status_code == 201, created.text
    product_id = created.json()["id"]

    assert client.get(f"{API}/{product_id}").json()["translations"]["fr"]["title"] == "Baguette"
    patched = client.patch(
        f"{API}/{product_id}", json={"price_cents": 130, "brand": "Dupont"}, headers=headers
    )
    assert patched.status_code == 200
    assert patched.json()["price_cents"] == 130 and patched.json()["brand"] == "Dupont"
    assert patched.json()["variants"][0]["sku"] == "BAG-1"
    listing = client.get(API, params={"q": "bag"}).json()
    assert [p["id"] for p in listing["items"]] == [product_id]

    assert client.delete(f"{API}/{product_id}", headers=headers).status_code == 204
    assert client.get(f"{API}/{product_id}").status_code == 404


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"translations": {"de": {"title": "Baguette"}}}, "translations.fr.title"),
        ({"price_cents": -1}, "price_cents"),
        ({"vat_rate": 1900}, "vat_rate"),
        ({"slug": "Not a slug!"}, "slug"),
        ({"variants": []}, "variants"),
        ({"variants": [{"sku": "A 1"}]}, "variants.0.sku"),
        ({"sale_price_cents": 500}, "sale_price_cents"),
        ({"gtin": "12"}, "gtin"),
        ({"category_id": 999}, "category_id"),
    ],
)
def test_bad_input_answers_422_naming_the_field(client, shop, owner, changes, field):
    """Every rule broken is reported as 422 with the field's name and a message."""
    response = client.post(API, json=product_body(**changes), headers={"X-CSRF-Token": owner})

    assert response.status_code == 422
    fields = {f["field"]: f["message"] for f in response.json()["fields"]}
    assert field in fields and fields[field]


def test_malformed_json_answers_422_not_500(client, shop, owner):
    """Wrong types are caught by the schema with field names."""
    response = client.post(
        API,
        json={"slug": 5, "price_cents": "lots", "translations": [], "variants": "x"},
        headers={"X-CSRF-Token": owner},
    )

    assert response.status_code == 422
    assert {"price_cents", "translations", "variants"} <= {
        f["field"] for f in response.json()["fields"]
    }


def test_a_duplicate_slug_or_sku_is_a_field_error(client, shop, owner):
    """Slugs and SKUs are unique per store."""
    headers = {"X-CSRF-Token": owner}
    client.post(API, json=product_body(), headers=headers)
    response = client.post(API, json=product_body(), headers=headers)

    fields = {f["field"] for f in response.json()["fields"]}
    assert response.status_code == 422
    assert {"slug", "variants.0.sku"} <= fields


def test_the_same_slug_and_sku_are_free_in_another_store(
    client, factories, shop, owner, make_product
):
    """Uniqueness is per store."""
    other = factories.store(shop[0], code="other", default_language="fr")
    make_product(other, "baguette", sku="BAG-1")

    assert client.post(API, json=product_body(), headers={"X-CSRF-Token": owner}).status_code == 201


def test_staff_of_another_store_get_404_for_its_products(client, factories, shop, make_product):
    """Staff of store B cannot read, change or delete store A's product, even by id."""
    platform, store_a = shop
    product = make_product(store_a, "baguette")
    store_b = factories.store(platform, code="books", default_language="de")
    token = factories.login(client, factories.staff(store_b, role="owner"))
    headers = {"X-CSRF-Token": token}

    assert client.get(f"{API}/{product.id}").status_code == 404
    assert client.get(f"/api/v1/store/books/catalog/products/{product.id}").status_code == 404
    assert (
        client.patch(
            f"/api/v1/store/books/catalog/products/{product.id}",
            json={"price_cents": 1},
            headers=headers,
        ).status_code
        == 404
    )
    assert (
        client.delete(
            f"/api/v1/store/books/catalog/products/{product.id}", headers=headers
        ).status_code
        == 404
    )
    assert client.get("/api/v1/store/books/catalog/products").json()["items"] == []


def test_staff_without_the_permission_are_refused(client, factories, shop):
    """Creating needs catalog.create."""
    token = factories.login(client, factories.staff(shop[1], permissions=["catalog.view"]))

    assert client.get(API).status_code == 200
    assert client.post(API, json=product_body(), headers={"X-CSRF-Token": token}).status_code == 403
