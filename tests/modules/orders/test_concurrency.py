"""Placing orders at the same time: numbers stay gap-free and idempotency keys make one order."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

from sqlalchemy import func, select

from modules.orders.models import Order
from modules.orders.services import order_service
from orion_server.database import db
from tests.modules.orders.conftest import BREAD

BUYERS = 20


def _race(store_id: int, calls: int, key: str | None = None) -> list[tuple[int, bool]]:
    """``calls`` threads, each with its own session, place an order at once."""
    start = threading.Barrier(calls)

    def buy(n: int) -> tuple[int, bool]:
        session = db.session()
        try:
            start.wait()
            placed = order_service.place_order(
                session,
                store_id=store_id,
                lines=[BREAD],
                customer={"email": f"buyer{n}@example.lu"},
                idempotency_key=key,
            )
            return placed.order.sequence, placed.created
        finally:
            session.close()

    with ThreadPoolExecutor(max_workers=calls) as pool:
        return list(pool.map(buy, range(calls)))


def test_twenty_concurrent_orders_get_the_numbers_1_to_20(shop, other_shop, place):
    """No gap, no duplicate, and the other store's counter is untouched."""
    results = _race(shop[1].id, BUYERS)

    assert sorted(seq for seq, _created in results) == list(range(1, BUYERS + 1))
    assert place(other_shop).sequence == 1
    assert place(shop[1]).sequence == BUYERS + 1


def test_the_same_key_sent_twice_at_once_makes_one_order(shop, place, db_session):
    """Both calls get the same order; exactly one of them created it; the counter moved once."""
    results = _race(shop[1].id, 2, key="double-click")

    assert results[0][0] == results[1][0] == 1
    assert sorted(created for _seq, created in results) == [False, True]
    assert db_session.scalar(select(func.count(Order.id)).where(Order.store_id == shop[1].id)) == 1
    assert place(shop[1]).sequence == 2


def test_the_same_key_from_many_buyers_at_once_still_makes_one_order(shop, db_session):
    """Eight retries racing with one key: one order."""
    results = _race(shop[1].id, 8, key="retry-storm")

    assert {seq for seq, _created in results} == {1}
    assert sum(created for _seq, created in results) == 1
    assert db_session.scalar(select(func.count(Order.id)).where(Order.store_id == shop[1].id)) == 1
