"""The plan's monthly order limit: an order past it is accepted and flagged (a shopper's order
is never lost), and the first one of the month tells the staff which plan allows more."""

from __future__ import annotations

import html
from datetime import timedelta

import pytest
from sqlalchemy import insert, select

from modules.billing.services import plan_service
from modules.messaging.models import Notification
from modules.orders.models import Order
from orion_server.database import utcnow
from orion_server.modules.service import module_service


@pytest.fixture
def store(factories, db_session):
    platform = factories.platform(code="lux")
    module_service.enable_module(db_session, platform.id, "orders")
    return factories.store(platform, code="bakery", default_language="en")


def fill_month(db, store, count: int) -> None:
    """``count`` orders already taken this month (and one last month, which does not count)."""
    now = utcnow()
    start = now.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    rows = [{"store_id": store.id, "sequence": 900_000 + n, "number": f"OLD-{n + 1:06d}", "status": "delivered",
             "subtotal_cents": 100, "total_cents": 100, "placed_at": start + timedelta(seconds=n),
             "created_at": now, "updated_at": now} for n in range(count)]
    rows.append({"store_id": store.id, "sequence": 900_000 + count, "number": f"OLD-{count + 1:06d}",
                 "status": "delivered", "subtotal_cents": 100, "total_cents": 100,
                 "placed_at": start - timedelta(days=2), "created_at": now, "updated_at": now})
    db.execute(insert(Order), rows)
    db.commit()


def notices(db, store) -> list[Notification]:
    db.rollback()
    return list(db.scalars(select(Notification).where(Notification.store_id == store.id,
                                                      Notification.kind == "over_plan_limit")))


def test_the_order_past_the_limit_is_accepted_flagged_and_told_once(db_session, factories, store):
    """Essential allows 100 orders a month: the 100th is normal, the 101st and 102nd are
    accepted and flagged, and only the 101st tells the staff."""
    fill_month(db_session, store, 99)

    hundredth = factories.order(store)
    first_over = factories.order(store)
    second_over = factories.order(store)

    db_session.rollback()
    flags = dict(db_session.execute(select(Order.id, Order.over_plan_limit).where(
        Order.id.in_([hundredth.id, first_over.id, second_over.id]))).all())
    assert flags == {hundredth.id: False, first_over.id: True, second_over.id: True}
    [notice] = notices(db_session, store)
    assert notice.title == f"Order {first_over.number} is past your plan's monthly limit"
    assert "Your Essential plan includes 100 orders a month" in notice.body
    assert "the Professional plan allows more" in notice.body
    assert notice.link == "/store/bakery/billing"


def test_after_upgrading_the_next_order_is_not_flagged(db_session, factories, store):
    fill_month(db_session, store, 100)
    plan_service.change(db_session, store_id=store.id, tier="professional", cycle="monthly")

    order = factories.order(store)

    db_session.rollback()
    assert db_session.scalar(select(Order.over_plan_limit).where(Order.id == order.id)) is False
    assert notices(db_session, store) == []


def test_the_flag_shows_on_the_order_pages(client, db_session, factories, store):
    fill_month(db_session, store, 100)
    order = factories.order(store)
    factories.owner(client, store)

    listing = client.get("/store/bakery/orders?lang=en").text
    assert "Past plan limit" in listing
    detail = html.unescape(client.get(f"/store/bakery/orders/{order.number}?lang=en").text)
    assert "This order came in after this month's orders reached your plan's limit" in detail
    assert 'href="/store/bakery/billing"' in detail
