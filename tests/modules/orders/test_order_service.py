"""The order service: totals and VAT, numbers, idempotency, the status machine, notes, statistics."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from modules.contracts.events import OrderPaid, OrderPlaced, OrderStatusChanged
from modules.orders.exceptions import TransitionNotAllowedError
from modules.orders.models import OrderStatusChange
from modules.orders.services import (
    LineInput,
    compute_totals,
    order_service,
    order_stats,
)
from orion_server.errors import NotFoundError, ValidationError
from orion_server.testing.events import announced, undelivered
from tests.modules.orders.conftest import BOOK, BREAD


def test_an_order_with_17_and_3_percent_lines_has_a_breakdown_per_rate(shop, place):
    """Lines and shipping are summed per rate; net + VAT equals gross; the gross sums to the total."""
    order = place(shop[1])

    assert order.subtotal_cents == 2 * 1170 + 3 * 515
    assert order.shipping_cents == 500
    assert order.total_cents == 4385
    assert order.vat_breakdown == {
        "17": {"net": 2000 + 427, "vat": 340 + 73, "gross": 2840},
        "3": {"net": 1500, "vat": 45, "gross": 1545},
    }
    assert [line.vat_cents for line in order.lines] == [340, 45]
    assert sum(row["gross"] for row in order.vat_breakdown.values()) == order.total_cents


def test_a_discount_is_split_over_the_rates_and_keeps_the_breakdown_exact():
    """The discount's cents are shared in proportion to each rate's gross, the rest to the largest."""
    totals = compute_totals(
        [LineInput("A", "A", 2, 1170, 17), LineInput("B", "B", 3, 515, 3)],
        shipping_cents=500,
        discount_cents=100,
    )

    assert totals.total_cents == 4285
    assert totals.vat_breakdown["17"]["gross"] == 2840 - 65
    assert totals.vat_breakdown["3"]["gross"] == 1545 - 35
    for row in totals.vat_breakdown.values():
        assert row["net"] + row["vat"] == row["gross"]


def test_numbers_follow_each_other_per_store_and_each_store_counts_alone(shop, other_shop, place):
    """The bakery's orders are BAK-000001, -000002; the bookshop starts at BOO-000001."""
    first = place(shop[1])
    second = place(shop[1])
    elsewhere = place(other_shop)
    third = place(shop[1])

    assert [first.number, second.number, third.number] == ["BAK-000001", "BAK-000002", "BAK-000003"]
    assert (elsewhere.number, elsewhere.sequence) == ("BOO-000001", 1)


def test_a_refused_order_gives_its_number_back(shop, place):
    """An order that fails validation consumes no number: the next one still gets 1."""
    with pytest.raises(ValidationError):
        place(shop[1], lines=[{**BREAD, "vat_rate": 21}])

    assert place(shop[1]).sequence == 1


def test_the_same_idempotency_key_twice_in_a_row_returns_the_first_order(shop, place, db_session):
    """A double click makes one order: the second call returns it and takes no number."""
    first = order_service.place_order(
        db_session, store_id=shop[1].id, lines=[BREAD], idempotency_key="checkout-abc"
    )
    again = order_service.place_order(
        db_session, store_id=shop[1].id, lines=[BREAD], idempotency_key="checkout-abc"
    )

    assert first.created and not again.created
    assert again.order.id == first.order.id
    assert place(shop[1]).sequence == 2


def test_the_same_key_in_another_store_is_another_order(shop, other_shop, place):
    """Keys are unique per store only."""
    a = place(shop[1], idempotency_key="k1")
    b = place(other_shop, idempotency_key="k1")

    assert a.id != b.id


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"lines": []}, "lines"),
        ({"lines": [{**BREAD, "quantity": 0}]}, "lines.0.quantity"),
        ({"lines": [BREAD, {**BOOK, "vat_rate": 20}]}, "lines.1.vat_rate"),
        ({"lines": [{**BREAD, "sku": " "}]}, "lines.0.sku"),
        ({"lines": [{**BREAD, "unit_price_cents": -1}]}, "lines.0.unit_price_cents"),
        ({"customer": {"email": "not-an-address"}}, "customer.email"),
        ({"customer": {"language": "xx"}}, "customer.language"),
        ({"discount_cents": 999_999}, "discount_cents"),
        ({"channel": "fax"}, "channel"),
        ({"status": "shipped"}, "status"),
    ],
)
def test_bad_order_input_is_refused_with_the_field_named(shop, place, change, field):
    """Every rule names the input that broke it."""
    with pytest.raises(ValidationError) as caught:
        place(shop[1], **change)

    assert caught.value.field == field


def test_allowed_transitions_write_history_with_actor_and_time(shop, place, db_session):
    """pending payment -> paid -> processing -> shipped -> delivered -> refunded, each recorded."""
    order = place(shop[1])
    for status in ("paid", "processing", "shipped", "delivered", "refunded"):
        order = order_service.change_status(
            db_session, order_id=order.id, store_id=shop[1].id, to=status, actor="anna@example.lu", note=status
        )

    rows = db_session.scalars(
        select(OrderStatusChange).where(OrderStatusChange.order_id == order.id).order_by(OrderStatusChange.id)
    ).all()
    assert [(r.from_status, r.to_status) for r in rows] == [
        (None, "pending_payment"),
        ("pending_payment", "paid"),
        ("paid", "processing"),
        ("processing", "shipped"),
        ("shipped", "delivered"),
        ("delivered", "refunded"),
    ]
    assert all(r.created_at is not None for r in rows)
    assert rows[-1].actor == "anna@example.lu" and rows[-1].note == "refunded"
    assert order.paid_at and order.shipped_at and order.delivered_at and order.refunded_at


@pytest.mark.parametrize(
    ("path", "refused"),
    [
        ([], "shipped"),
        ([], "refunded"),
        (["paid", "processing", "shipped"], "cancelled"),
        (["cancelled"], "paid"),
        (["paid"], "pending_payment"),
    ],
)
def test_refused_transitions_name_both_statuses_and_change_nothing(shop, place, db_session, path, refused):
    """A move the machine does not allow raises a ValidationError on ``to`` and writes no history."""
    order = place(shop[1])
    for status in path:
        order_service.change_status(db_session, order_id=order.id, store_id=shop[1].id, to=status)
    before = order.status

    with pytest.raises(TransitionNotAllowedError) as caught:
        order_service.change_status(db_session, order_id=order.id, store_id=shop[1].id, to=refused)

    db_session.rollback()
    assert caught.value.field == "to"
    assert before in caught.value.message and refused in caught.value.message
    assert len(order_service.history(db_session, order=order)) == 1 + len(path)
    assert order_service.get_order(db_session, store_id=shop[1].id, order_id=order.id).status == before


def test_new_orders_and_status_changes_are_announced_with_the_change(shop, place, db_session):
    """Creating an order and each status change write an ``OrderStatusChanged`` to the outbox in
    the same transaction; moving to paid also announces ``OrderPaid``."""
    order = place(shop[1])
    order_service.change_status(db_session, order_id=order.id, store_id=shop[1].id, to="paid")

    changes = announced(db_session, OrderStatusChanged)
    assert [(e.number, e.old_status, e.new_status) for e in changes] == [
        ("BAK-000001", None, "pending_payment"),
        ("BAK-000001", "pending_payment", "paid"),
    ]
    assert changes[0].platform_id == shop[0].id and changes[0].store_id == shop[1].id
    assert [e.number for e in announced(db_session, OrderPaid)] == ["BAK-000001"]
    assert [e.number for e in announced(db_session, OrderPlaced)] == ["BAK-000001"]


def test_a_failing_listener_does_not_undo_the_change(shop, place, db_session, monkeypatch):
    """The status change stays committed when a listener raises; the event waits for a retry."""

    def broken(db, event):
        raise RuntimeError("mail server on fire")

    monkeypatch.setattr("modules.messaging.listeners.send_payment_received", broken)
    order = place(shop[1])
    order = order_service.change_status(db_session, order_id=order.id, store_id=shop[1].id, to="paid")

    assert order_service.get_order(db_session, store_id=shop[1].id, order_id=order.id).status == "paid"
    waiting = undelivered(db_session)
    assert [row.name for row in waiting] == ["OrderPaid"]
    assert waiting[0].attempts == 1 and "mail server on fire" in waiting[0].last_error


def test_notes_are_kept_newest_first_and_empty_notes_are_refused(shop, place, db_session):
    """Staff notes need text."""
    order = place(shop[1])
    order_service.add_note(db_session, order_id=order.id, store_id=shop[1].id, body="Called the customer", author="a")
    order_service.add_note(db_session, order_id=order.id, store_id=shop[1].id, body="Gift wrap", author="b")

    with pytest.raises(ValidationError) as caught:
        order_service.add_note(db_session, order_id=order.id, store_id=shop[1].id, body="  ")

    assert caught.value.field == "body"
    assert [n.body for n in order_service.notes(db_session, order=order)] == ["Gift wrap", "Called the customer"]


def test_a_customer_sees_only_their_own_orders(shop, other_shop, place, db_session):
    """The order history is per store and per customer id, and shows only orders the customer
    placed signed in or confirmed as theirs (a guest order with their address waits)."""
    mine = place(shop[1], customer={"id": 7, "email": "a@example.lu", "signed_in": True})
    guest = place(shop[1], customer={"id": 7, "email": "a@example.lu"})
    place(shop[1], customer={"id": 8, "email": "b@example.lu", "signed_in": True})
    place(other_shop, customer={"id": 7, "email": "a@example.lu", "signed_in": True})
    with pytest.raises(NotFoundError):
        order_service.get_customer_order(db_session, store_id=shop[1].id, customer_id=7, number=guest.number)
    assert order_service.unclaimed_count(db_session, store_id=shop[1].id, customer_id=7) == 1

    page = order_service.list_customer_orders(db_session, store_id=shop[1].id, customer_id=7)

    assert [o.id for o in page.items] == [mine.id]
    assert order_service.get_customer_order(
        db_session, store_id=shop[1].id, customer_id=7, number=mine.number
    ).id == mine.id


def test_order_stats_count_orders_and_money_but_not_cancelled_ones(shop, place, db_session):
    """{customer_id: (count, spent, last order time)}; cancelled orders are left out."""
    a1 = place(shop[1], customer={"id": 7})
    a2 = place(shop[1], customer={"id": 7}, lines=[BREAD], shipping=None)
    cancelled = place(shop[1], customer={"id": 7})
    order_service.change_status(db_session, order_id=cancelled.id, store_id=shop[1].id, to="cancelled")
    place(shop[1], customer={"id": 9})

    stats = order_stats(db_session, shop[1].id, [7, 8])

    assert set(stats) == {7}
    count, spent, last = stats[7]
    assert (count, spent) == (2, a1.total_cents + a2.total_cents)
    assert last == a2.placed_at
