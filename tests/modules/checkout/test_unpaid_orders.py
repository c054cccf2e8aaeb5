"""Unpaid orders do not hoard stock (issue 10): a day before the hold runs out the shopper gets
one reminder in their language, then the order is cancelled and its units are for sale again;
a paid order is left alone."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select, update

from modules.checkout.services import unpaid
from modules.checkout.tasks import run_unpaid_orders
from modules.contracts.events import UnpaidOrderReminder
from modules.orders.models import Order
from orion_server.testing.events import Announced
from tests.modules.checkout.conftest import add_to_cart, checkout_body, level, place_api


def _placed(client, platform, store, key):
    add_to_cart(client, platform, store, "BREAD", 2)
    placed = place_api(client, platform, store, key, checkout_body())
    assert placed.status_code == 201, placed.text
    return placed.json()["number"]


def _age(db, number, age):
    db.rollback()
    placed_at = db.scalar(select(Order.placed_at).where(Order.number == number))
    db.execute(update(Order).where(Order.number == number).values(placed_at=placed_at - age))
    db.commit()


def test_an_unpaid_order_is_reminded_once_then_cancelled_and_its_stock_freed(client, shop, make_product, db_session):
    platform, store = shop
    make_product(store, "bread", stock=5)
    number = _placed(client, platform, store, "unpaid-1")
    assert level(db_session, store.id, "BREAD") == (5, 2)
    reminders = Announced(db_session, UnpaidOrderReminder, lambda e: (e.number, e.email, e.language, e.link))

    assert run_unpaid_orders() == (0, 0)  # young: nothing to do
    _age(db_session, number, unpaid.hold() - unpaid.REMIND_BEFORE + timedelta(minutes=30))
    assert run_unpaid_orders() == (1, 0)
    assert run_unpaid_orders() == (0, 0)  # reminded once
    [(reminded, email, language, link)] = reminders
    assert (reminded, email, language) == (number, "marie@example.lu", "en")
    assert f"/checkout/done/{number}?token=" in link

    _age(db_session, number, unpaid.REMIND_BEFORE)
    assert run_unpaid_orders() == (0, 1)
    db_session.rollback()
    assert db_session.scalar(select(Order.status).where(Order.number == number)) == "cancelled"
    assert level(db_session, store.id, "BREAD") == (5, 0)


def test_a_paid_order_is_never_cancelled(client, shop, make_product, db_session):
    from modules.orders.services import order_service

    platform, store = shop
    make_product(store, "bread", stock=5)
    number = _placed(client, platform, store, "unpaid-2")
    db_session.rollback()
    order = db_session.scalar(select(Order).where(Order.number == number))
    order_service.change_status(db_session, order_id=order.id, store_id=store.id, to="paid")
    _age(db_session, number, unpaid.hold() + timedelta(days=1))
    assert run_unpaid_orders() == (0, 0)
    db_session.rollback()
    assert db_session.scalar(select(Order.status).where(Order.number == number)) == "paid"
