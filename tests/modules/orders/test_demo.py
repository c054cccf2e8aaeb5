"""The demo orders: a handful per store in various statuses, loaded once."""

from __future__ import annotations

from sqlalchemy import func, select

from modules.customers import demo as customers_demo
from modules.orders import demo
from modules.orders.models import Order


def test_the_demo_places_orders_in_various_statuses_once(db_session, shop, other_shop):
    """Two runs leave six orders per store, linked to the demo customers where they exist."""
    platform, bakery = shop
    customers_demo.load_demo(db_session, platform, [bakery, other_shop])

    first = demo.load_demo(db_session, platform, [bakery, other_shop])
    second = demo.load_demo(db_session, platform, [bakery, other_shop])

    assert first == ["Added 6 demo orders to 'bakery'.", "Added 6 demo orders to 'bookshop'."]
    assert second == []
    for store in (bakery, other_shop):
        count = db_session.scalar(select(func.count(Order.id)).where(Order.store_id == store.id))
        assert count == len(demo.PLAN)
    statuses = set(db_session.scalars(select(Order.status).where(Order.store_id == bakery.id)))
    assert {"pending_payment", "paid", "processing", "shipped", "delivered", "cancelled"} <= statuses
    titles = set(db_session.scalars(select(Order.customer_email).where(Order.store_id == other_shop.id)))
    assert "marie.weber@example.lu" in titles
