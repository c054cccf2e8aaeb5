"""The inventory service: ledger, levels, reservations, low-stock alerts."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import IntegrityError

from modules.inventory.exceptions import OutOfStockError, ReservationStateError
from modules.inventory.models import StockItem, StockMovement, StockReservation
from modules.inventory.services import inventory_service
from orion_server.database import utcnow
from orion_server.errors import NotFoundError, ValidationError
from tests.modules.inventory.conftest import level, low_stock_notice


def test_the_ledger_sums_to_the_level_after_mixed_operations(db_session, shop, stock):
    """Receipts, adjustments, a sale, a return and a correction: on_hand equals the ledger."""
    item = stock("BAG-1", 20, actor="delivery", reference="DN-1")
    inventory_service.adjust(db_session, store_id=shop.id, sku="BAG-1", quantity=-3, reason="adjustment")
    inventory_service.reserve(db_session, store_id=shop.id, lines=[("BAG-1", 4)], reference="order-1")
    inventory_service.commit(db_session, reference="order-1")
    inventory_service.adjust(db_session, store_id=shop.id, sku="BAG-1", quantity=1, reason="return")
    inventory_service.reserve(db_session, store_id=shop.id, lines=[("BAG-1", 2)], reference="order-2")
    inventory_service.release(db_session, reference="order-2")
    inventory_service.adjust(db_session, store_id=shop.id, sku="BAG-1", quantity=-1, reason="correction")
    inventory_service.receive(db_session, store_id=shop.id, sku="BAG-1", quantity=5)

    assert level(db_session, item) == (18, 0)
    assert inventory_service.ledger_total(db_session, item_id=item.id) == 18
    reasons = db_session.scalars(
        select(StockMovement.reason).where(StockMovement.item_id == item.id).order_by(StockMovement.id)
    ).all()
    assert reasons == ["receipt", "adjustment", "sale", "return", "correction", "receipt"]


def test_stock_never_goes_below_zero(db_session, shop, stock):
    """Removing more than is on hand is refused with a message naming the quantity field."""
    item = stock("JAM", 3)

    with pytest.raises(ValidationError) as refused:
        inventory_service.adjust(db_session, store_id=shop.id, sku="JAM", quantity=-4, reason="adjustment")

    assert refused.value.field == "quantity"
    assert "cannot go below zero" in refused.value.message
    assert level(db_session, item) == (3, 0)
    assert inventory_service.ledger_total(db_session, item_id=item.id) == 3


def test_reserved_units_cannot_be_adjusted_away(db_session, shop, stock):
    """On-hand units that are reserved for orders cannot be removed."""
    item = stock("JAM", 5)
    inventory_service.reserve(db_session, store_id=shop.id, lines=[("JAM", 4)], reference="o-1")

    with pytest.raises(ValidationError) as refused:
        inventory_service.adjust(db_session, store_id=shop.id, sku="JAM", quantity=-2, reason="correction")

    assert "4 are reserved" in refused.value.message
    assert level(db_session, item) == (5, 4)


def test_the_database_refuses_a_negative_level_too(db_session, shop, stock):
    """The CHECK constraints hold even for a write that bypasses the service."""
    item = stock("JAM", 1)

    with pytest.raises(IntegrityError):
        db_session.execute(text("UPDATE stock_items SET on_hand = -1 WHERE id = :id"), {"id": item.id})
        db_session.flush()
    db_session.rollback()
    with pytest.raises(IntegrityError):
        db_session.execute(text("UPDATE stock_items SET reserved = 2 WHERE id = :id"), {"id": item.id})
        db_session.flush()
    db_session.rollback()


def test_bad_quantities_reasons_and_skus_are_refused_with_field_names(db_session, shop, stock):
    """Zero, non-numbers, a sale reason and an empty SKU each name the field at fault."""
    stock("JAM", 1)
    cases = [
        ({"sku": "JAM", "quantity": 0, "reason": "adjustment"}, "quantity"),
        ({"sku": "JAM", "quantity": "many", "reason": "adjustment"}, "quantity"),
        ({"sku": "JAM", "quantity": 1, "reason": "sale"}, "reason"),
        ({"sku": " ", "quantity": 1, "reason": "adjustment"}, "sku"),
        ({"sku": "A/B", "quantity": 1, "reason": "adjustment"}, "sku"),
    ]
    for kwargs, field in cases:
        with pytest.raises(ValidationError) as refused:
            inventory_service.adjust(db_session, store_id=shop.id, **kwargs)
        assert refused.value.field == field, kwargs


def test_adjusting_an_unknown_sku_is_not_found(db_session, shop):
    """Adjust needs an existing item; receive makes one."""
    with pytest.raises(NotFoundError):
        inventory_service.adjust(db_session, store_id=shop.id, sku="NOPE", quantity=1, reason="adjustment")


def test_ensure_item_makes_the_default_location_once(db_session, shop):
    """ensure_item creates the item and the "main" location on demand, and only once."""
    first = inventory_service.ensure_item(db_session, store_id=shop.id, sku="CAKE", threshold=2)
    again = inventory_service.ensure_item(db_session, store_id=shop.id, sku="CAKE")

    assert first.id == again.id
    assert again.location.code == "main"
    assert again.low_stock_threshold == 2
    assert (again.on_hand, again.reserved) == (0, 0)


def test_available_sums_locations_and_reports_unlimited_as_none(db_session, shop, stock):
    """available = on_hand - reserved over every location; unlimited items report None."""
    stock("BREAD", 4)
    stock("BREAD", 6, location_code="back-room")
    stock("EBOOK", 0, unlimited=True)
    inventory_service.reserve(db_session, store_id=shop.id, lines=[("BREAD", 3)], reference="o-1")

    result = inventory_service.available(db_session, store_id=shop.id, skus=["BREAD", "EBOOK", "GHOST"])

    assert result == {"BREAD": 7, "EBOOK": None, "GHOST": 0}


def test_a_reservation_is_all_or_nothing(db_session, shop, stock):
    """When one line is short nothing is reserved and the error names the short SKUs."""
    bread = stock("BREAD", 5)
    stock("JAM", 1)

    with pytest.raises(OutOfStockError) as refused:
        inventory_service.reserve(
            db_session,
            store_id=shop.id,
            lines=[("BREAD", 2), ("JAM", 2), ("GHOST", 1)],
            reference="o-1",
        )

    assert refused.value.status == 409
    assert refused.value.skus == ["JAM", "GHOST"]
    assert refused.value.to_dict()["details"] == {"skus": ["JAM", "GHOST"]}
    assert level(db_session, bread) == (5, 0)
    assert db_session.scalar(select(StockReservation.id)) is None


def test_reserving_the_same_reference_twice_returns_the_first_reservation(db_session, shop, stock):
    """A retried reservation (same idempotency key) holds no more units."""
    item = stock("BREAD", 5)

    first = inventory_service.reserve(db_session, store_id=shop.id, lines=[("BREAD", 2)], reference="key-1")
    second = inventory_service.reserve(db_session, store_id=shop.id, lines=[("BREAD", 2)], reference="key-1")

    assert first == second
    assert level(db_session, item) == (5, 2)


def test_lines_of_one_sku_are_merged_and_ids_follow_the_lines(db_session, shop, stock):
    """Two lines of the same SKU make one reservation; ids come back in line order."""
    stock("A", 5)
    stock("B", 5)

    ids = inventory_service.reserve(
        db_session, store_id=shop.id, lines=[("B", 1), ("A", 1), ("B", 2)], reference="o-1"
    )

    rows = {r.id: r for r in inventory_service.reservations(db_session, reference="o-1")}
    assert [rows[i].quantity for i in ids] == [3, 1]


def test_releasing_gives_the_units_back_and_is_harmless_twice(db_session, shop, stock):
    """A released reservation frees its units; committing it afterwards is refused."""
    item = stock("BREAD", 5)
    inventory_service.reserve(db_session, store_id=shop.id, lines=[("BREAD", 3)], reference="o-1")

    inventory_service.release(db_session, reference="o-1")
    assert inventory_service.release(db_session, reference="o-1") == []

    assert level(db_session, item) == (5, 0)
    assert {r.status for r in inventory_service.reservations(db_session, reference="o-1")} == {"released"}
    with pytest.raises(ReservationStateError):
        inventory_service.commit(db_session, reference="o-1")


def test_committing_turns_the_reservation_into_a_sale(db_session, shop, stock):
    """Commit lowers on_hand and reserved, writes a sale movement, and happens once."""
    item = stock("BREAD", 5)
    inventory_service.reserve(db_session, store_id=shop.id, lines=[("BREAD", 3)], reference="o-1")

    inventory_service.commit(db_session, reference="o-1", actor="checkout")
    assert inventory_service.commit(db_session, reference="o-1") == []

    assert level(db_session, item) == (2, 0)
    sale = db_session.scalars(select(StockMovement).where(StockMovement.reason == "sale")).one()
    assert (sale.quantity, sale.reference, sale.actor_label) == (-3, "o-1", "checkout")
    with pytest.raises(ReservationStateError):
        inventory_service.release(db_session, reference="o-1")


def test_unknown_references_are_not_found(db_session, shop):
    """Releasing or committing a reference nobody reserved is a 404."""
    with pytest.raises(NotFoundError):
        inventory_service.release(db_session, reference="nothing")
    with pytest.raises(NotFoundError):
        inventory_service.commit(db_session, reference="nothing")


def test_unlimited_items_can_always_be_reserved_and_sold(db_session, shop, stock):
    """Digital items never run out and keep no level."""
    item = stock("EBOOK", 0, unlimited=True)

    inventory_service.reserve(db_session, store_id=shop.id, lines=[("EBOOK", 500)], reference="o-1")
    inventory_service.commit(db_session, reference="o-1")

    assert level(db_session, item) == (0, 0)
    assert inventory_service.available(db_session, store_id=shop.id, skus=["EBOOK"]) == {"EBOOK": None}


def test_expired_reservations_are_released(db_session, shop, stock):
    """release_expired frees held units whose hold ran out, and only those."""
    item = stock("BREAD", 5)
    inventory_service.reserve(db_session, store_id=shop.id, lines=[("BREAD", 1)], reference="old")
    inventory_service.reserve(
        db_session, store_id=shop.id, lines=[("BREAD", 2)], reference="new", hold=timedelta(hours=2)
    )

    released = inventory_service.release_expired(db_session, now=utcnow() + timedelta(hours=1))

    assert released == 1
    assert level(db_session, item) == (5, 2)


def test_low_stock_is_announced_once_per_crossing(db_session, shop, stock, low_stock_notices):
    """Falling to the threshold records it and announces a staff notice in the store's
    language; staying low does not repeat."""
    item = stock("BREAD", 10, threshold=3)
    assert low_stock_notices() == []

    inventory_service.adjust(db_session, store_id=shop.id, sku="BREAD", quantity=-7, reason="adjustment")
    inventory_service.adjust(db_session, store_id=shop.id, sku="BREAD", quantity=-1, reason="adjustment")
    db_session.refresh(item)
    assert item.low_stock_since is not None
    assert low_stock_notices() == [low_stock_notice(shop, "BREAD", 3)]

    inventory_service.receive(db_session, store_id=shop.id, sku="BREAD", quantity=10)
    db_session.refresh(item)
    assert item.low_stock_since is None
    inventory_service.reserve(db_session, store_id=shop.id, lines=[("BREAD", 10)], reference="o-1")
    inventory_service.commit(db_session, reference="o-1")
    assert low_stock_notices() == [low_stock_notice(shop, "BREAD", 3), low_stock_notice(shop, "BREAD", 2)]


def test_a_failing_listener_does_not_undo_the_change(db_session, shop, stock, monkeypatch):
    """A broken listener of the notice is logged; the stock change stays."""

    def broken(*_args):
        raise RuntimeError("boom")

    monkeypatch.setattr("modules.messaging.listeners.deliver_staff_notice", broken)
    item = stock("BREAD", 2, threshold=5)

    assert level(db_session, item) == (2, 0)


def test_stock_is_kept_per_store(db_session, shop, other_shop, stock):
    """The same SKU in two stores are two items; one store's reservation leaves the other alone."""
    stock("BREAD", 1)
    stock("BREAD", 5, store=other_shop)

    inventory_service.reserve(db_session, store_id=shop.id, lines=[("BREAD", 1)], reference="o-1")
    with pytest.raises(OutOfStockError):
        inventory_service.reserve(db_session, store_id=shop.id, lines=[("BREAD", 1)], reference="o-2")

    assert inventory_service.available(db_session, store_id=other_shop.id, skus=["BREAD"]) == {"BREAD": 5}
    assert db_session.scalar(select(StockItem.id).where(StockItem.store_id == other_shop.id)) is not None
