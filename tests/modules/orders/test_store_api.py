"""The store orders API: listing, detail, status changes, notes, validation and tenant isolation."""

from __future__ import annotations

import pytest

API = "/api/v1/store/bakery/orders"


def _fields(response) -> set[str]:
    return {f["field"] for f in response.json().get("fields", [])} | {response.json().get("field")} - {None}


def test_the_list_filters_and_paginates(client, shop, owner, place):
    """``status``, ``customer`` and ``q`` narrow the list; totals and pages are counted."""
    place(shop[1])
    place(shop[1], customer={"email": "jean@example.lu", "name": "Jean Muller"})

    everything = client.get(API).json()
    jean = client.get(API, params={"customer": "jean"}).json()
    paged = client.get(API, params={"per_page": 1, "page": 2}).json()

    assert [o["number"] for o in everything["items"]] == ["BAK-000002", "BAK-000001"]
    assert [o["number"] for o in jean["items"]] == ["BAK-000002"]
    assert (paged["total"], paged["pages"], paged["items"][0]["number"]) == (2, 2, "BAK-000001")


def test_the_detail_has_lines_vat_history_and_next_steps(client, shop, owner, place):
    """The full order as JSON."""
    place(shop[1])

    body = client.get(f"{API}/BAK-000001").json()

    assert body["total_cents"] == 4385
    assert body["vat"] == [
        {"rate": 17, "net_cents": 2427, "vat_cents": 413, "gross_cents": 2840},
        {"rate": 3, "net_cents": 1500, "vat_cents": 45, "gross_cents": 1545},
    ]
    assert [line["sku"] for line in body["lines"]] == ["BREAD-1", "BOOK-1"]
    assert body["history"][0]["to_status"] == "pending_payment"
    assert body["allowed_transitions"] == ["paid", "cancelled"]


def test_a_status_change_is_recorded_with_the_staff_member(client, shop, owner, place):
    """POST /{number}/status moves the order and returns it."""
    place(shop[1])

    response = client.post(
        f"{API}/BAK-000001/status", json={"to": "paid", "note": "received"}, headers={"X-CSRF-Token": owner}
    )

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "paid" and body["paid_at"]
    assert body["history"][-1]["from_status"] == "pending_payment"
    assert body["history"][-1]["actor"].endswith("@example.com")


def test_a_refused_transition_answers_422_naming_both_statuses(client, shop, owner, place):
    """Shipping an unpaid order is a validation error on ``to``."""
    place(shop[1])

    response = client.post(f"{API}/BAK-000001/status", json={"to": "shipped"}, headers={"X-CSRF-Token": owner})

    assert response.status_code == 422
    assert response.json()["field"] == "to"
    assert "pending_payment" in response.json()["message"] and "shipped" in response.json()["message"]


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        ("status", {"to": "teleported"}, "to"),
        ("status", {}, "to"),
        ("status", {"to": "paid", "note": "x" * 5001}, "note"),
        ("status", {"to": "paid", "extra": 1}, "extra"),
        ("notes", {"text": ""}, "text"),
        ("notes", {}, "text"),
        ("notes", {"text": "x" * 5001}, "text"),
    ],
)
def test_bad_bodies_answer_422_with_field_names(client, shop, owner, place, path, body, field):
    """Never a 500: every bad input names its field."""
    place(shop[1])

    response = client.post(f"{API}/BAK-000001/{path}", json=body, headers={"X-CSRF-Token": owner})

    assert response.status_code == 422
    assert field in _fields(response)


@pytest.mark.parametrize(
    ("params", "field"),
    [({"status": "lost"}, "status"), ({"date_from": "yesterday"}, "date_from"), ({"page": 0}, "page")],
)
def test_bad_list_filters_answer_422_with_field_names(client, shop, owner, params, field):
    """Query parameters are checked too."""
    response = client.get(API, params=params)

    assert response.status_code == 422
    assert field in _fields(response)


@pytest.mark.parametrize("day", ["0", "86400", "2024-05-01T00:00:00", "2024-05-01T00:00:00Z"])
def test_days_are_only_taken_as_written_in_the_description(client, shop, owner, day):
    """``date_from``/``date_to`` are ``format: date`` (YYYY-MM-DD): pydantic alone took ``0`` as
    1970-01-01 and timestamps at midnight, data the description refuses (schemathesis' coverage
    phase, issue 10). A real day still filters."""
    for name in ("date_from", "date_to"):
        response = client.get(API, params={name: day})

        assert response.status_code == 422, response.text
        assert name in _fields(response)
    assert client.get(API, params={"date_from": "2024-05-01", "date_to": "2024-05-31"}).status_code == 200


def test_notes_are_added(client, shop, owner, place):
    """POST /{number}/notes answers 201 and the note shows in the detail."""
    place(shop[1])

    response = client.post(f"{API}/BAK-000001/notes", json={"text": "Fragile"}, headers={"X-CSRF-Token": owner})

    assert response.status_code == 201
    assert [n["text"] for n in client.get(f"{API}/BAK-000001").json()["notes"]] == ["Fragile"]


def test_refunds_need_the_refund_permission(client, shop, factories, place, db_session):
    """orders.edit is not enough to refund."""
    from modules.orders.services import order_service

    order = place(shop[1])
    order_service.change_status(db_session, order_id=order.id, store_id=shop[1].id, to="paid")
    csrf = factories.login(client, factories.staff(shop[1], permissions=["orders.view", "orders.edit"]))

    response = client.post(f"{API}/BAK-000001/status", json={"to": "refunded"}, headers={"X-CSRF-Token": csrf})

    assert response.status_code == 403


def test_without_the_csrf_header_changes_are_refused(client, shop, owner, place):
    """The framework's CSRF check covers the API."""
    place(shop[1])

    assert client.post(f"{API}/BAK-000001/status", json={"to": "paid"}).status_code == 403


def test_staff_of_another_store_get_404(client, shop, other_shop, factories, place):
    """Neither the bakery's API nor their own store's answers with the bakery's order."""
    place(shop[1])
    csrf = factories.login(client, factories.staff(other_shop, role="owner"))

    own = "/api/v1/store/bookshop/orders"
    assert client.get(f"{own}/BAK-000001").status_code == 404
    assert client.post(f"{own}/BAK-000001/status", json={"to": "paid"}, headers={"X-CSRF-Token": csrf}).status_code == 404
    assert client.post(f"{own}/BAK-000001/notes", json={"text": "x"}, headers={"X-CSRF-Token": csrf}).status_code == 404
    assert client.get(own).json()["items"] == []
    assert client.get(f"{API}/BAK-000001").status_code == 404


def test_signed_out_callers_get_401(client, shop):
    """The API needs a session."""
    assert client.get(API).status_code == 401
