"""Inventory -> messaging: stock falling to its threshold becomes a staff notification."""

from __future__ import annotations

from sqlalchemy import func, select

from modules.inventory.services import inventory_service
from modules.messaging.models import Notification


def test_stock_taken_below_its_threshold_is_announced_with_a_link_to_the_item(client, db_session, shop, owner):
    """Staff adjusting stock down to the threshold find a low-stock notification on their page."""
    item = inventory_service.receive(db_session, store_id=shop[1].id, sku="BD-BAGUETTE", quantity=10, threshold=3)

    response = client.post(
        f"/store/bakery/inventory/items/{item.id}/adjust",
        data={"csrf_token": owner, "quantity": "-8", "reason": "adjustment", "note": ""},
        follow_redirects=False,
    )
    page = client.get("/store/bakery/notifications?lang=fr").text

    assert response.status_code == 303
    assert "Stock bas : BD-BAGUETTE" in page
    assert f'href="/store/bakery/inventory/items/{item.id}"' in page
    assert client.get(f"/store/bakery/inventory/items/{item.id}").status_code == 200


def test_staying_low_is_announced_once(db_session, shop):
    """Only the crossing notifies; further sales while low do not repeat it."""
    inventory_service.receive(db_session, store_id=shop[1].id, sku="BD-CROISSANT", quantity=10, threshold=3)
    for _ in range(3):
        inventory_service.adjust(db_session, store_id=shop[1].id, sku="BD-CROISSANT", quantity=-3, reason="adjustment")

    db_session.expire_all()
    count = db_session.scalar(select(func.count(Notification.id)).where(Notification.kind == "low_stock"))
    assert count == 1


def test_another_stores_low_stock_stays_in_that_store(client, db_session, shop, owner):
    """The bookshop's low stock is not on the bakery's page."""
    inventory_service.receive(db_session, store_id=shop[2].id, sku="LE-PRENZ", quantity=2, threshold=5)

    db_session.expire_all()
    kinds = db_session.scalars(select(Notification.kind).where(Notification.store_id == shop[2].id)).all()
    assert kinds == ["low_stock"]
    assert "LE-PRENZ" not in client.get("/store/bakery/notifications?lang=fr").text
