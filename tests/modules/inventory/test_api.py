"""The store API: listing, adjusting and the ledger, with validation and tenant isolation."""

from __future__ import annotations

import pytest

from orion_server.modules.service import module_service

API = "/api/v1/store/bakery/inventory"


@pytest.fixture
def auth(owner_csrf) -> dict[str, str]:
    """Headers of an API call by the bakery's signed-in owner."""
    return {"X-CSRF-Token": owner_csrf}


def test_the_list_pages_and_searches_by_sku(client, stock, auth):
    """GET /items returns the store's items by SKU, filtered by part of the SKU."""
    for n in range(30):
        stock(f"ROLL-{n:02d}", 5)
    stock("CAKE-1", 2, threshold=3)

    first = client.get(f"{API}/items?per_page=10").json()
    found = client.get(f"{API}/items?search=cake").json()
    low = client.get(f"{API}/items?low_stock=true").json()

    assert (first["total"], first["pages"], len(first["items"])) == (31, 4, 10)
    assert first["items"][0]["sku"] == "CAKE-1"
    assert [i["sku"] for i in found["items"]] == ["CAKE-1"]
    assert found["items"][0] | {"updated_at": None} == {
        "id": found["items"][0]["id"],
        "sku": "CAKE-1",
        "location": "main",
        "on_hand": 2,
        "reserved": 0,
        "available": 2,
        "unlimited": False,
        "low_stock_threshold": 3,
        "is_low": True,
        "updated_at": None,
    }
    assert [i["sku"] for i in low["items"]] == ["CAKE-1"]


def test_adjusting_changes_the_level_and_writes_the_ledger(client, stock, auth):
    """POST /items/{sku}/adjust returns the new level; the movement carries reason, note, actor."""
    stock("BREAD", 10)

    response = client.post(
        f"{API}/items/BREAD/adjust",
        json={"quantity": -3, "reason": "correction", "note": "counted on Monday"},
        headers=auth,
    )

    assert response.status_code == 200
    assert response.json()["on_hand"] == 7
    movements = client.get(f"{API}/items/BREAD/movements").json()
    assert movements["total"] == 2
    latest = movements["items"][0]
    assert (latest["quantity"], latest["reason"], latest["note"]) == (-3, "correction", "counted on Monday")
    assert latest["actor"].endswith("@example.com")


BAD_ADJUSTMENTS = [
    ({"quantity": 0, "reason": "adjustment"}, "quantity"),
    ({"quantity": -11, "reason": "adjustment"}, "quantity"),
    ({"quantity": "lots", "reason": "adjustment"}, "quantity"),
    ({"reason": "adjustment"}, "quantity"),
    ({"quantity": 1, "reason": "sale"}, "reason"),
    ({"quantity": 1, "reason": "adjustment", "note": "x" * 501}, "note"),
    ({"quantity": 1, "reason": "adjustment", "colour": "red"}, "colour"),
]


def test_bad_adjustments_answer_422_naming_the_field(client, stock, auth):
    """Invalid or impossible adjustments are 422 with the field named, and change nothing."""
    stock("BREAD", 10)

    for body, field in BAD_ADJUSTMENTS:
        response = client.post(f"{API}/items/BREAD/adjust", json=body, headers=auth)

        assert response.status_code == 422, body
        assert field in [f["field"] for f in response.json()["fields"]], body
    assert client.get(f"{API}/items").json()["items"][0]["on_hand"] == 10


def test_an_unknown_sku_is_404(client, shop, auth):
    """Adjusting or reading a SKU the store does not stock answers 404."""
    adjust = client.post(f"{API}/items/GHOST/adjust", json={"quantity": 1, "reason": "receipt"}, headers=auth)
    movements = client.get(f"{API}/items/GHOST/movements")

    assert (adjust.status_code, movements.status_code) == (404, 404)


def test_staff_of_another_store_get_404(client, factories, shop, other_shop, stock):
    """A member of "books" sees neither the bakery's API nor the bakery's items through its own."""
    stock("BREAD", 10)
    csrf = factories.login(client, factories.staff(other_shop, role="owner"))
    headers = {"X-CSRF-Token": csrf}

    assert client.get(f"{API}/items").status_code == 404
    assert client.get(f"{API}/items/BREAD/movements").status_code == 404
    adjust = client.post(f"{API}/items/BREAD/adjust", json={"quantity": -1, "reason": "adjustment"}, headers=headers)
    assert adjust.status_code == 404
    own = "/api/v1/store/books/inventory"
    assert client.get(f"{own}/items").json()["total"] == 0
    assert client.get(f"{own}/items/BREAD/movements").status_code == 404
    stolen = client.post(f"{own}/items/BREAD/adjust", json={"quantity": -1, "reason": "adjustment"}, headers=headers)
    assert stolen.status_code == 404


def test_adjusting_needs_the_adjust_permission(client, factories, shop, stock):
    """Staff who may only view stock can list it but not change it."""
    stock("BREAD", 10)
    csrf = factories.login(client, factories.staff(shop, permissions=["inventory.view"]))

    assert client.get(f"{API}/items").status_code == 200
    refused = client.post(
        f"{API}/items/BREAD/adjust", json={"quantity": 1, "reason": "receipt"}, headers={"X-CSRF-Token": csrf}
    )
    assert refused.status_code == 403


def test_the_api_is_off_where_the_module_is_off(client, db_session, main_platform, shop, auth):
    """Disabling inventory on the platform makes its API disappear."""
    module_service.disable_module(db_session, main_platform.id, "inventory")

    assert client.get(f"{API}/items").status_code == 404
