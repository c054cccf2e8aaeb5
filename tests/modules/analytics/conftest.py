"""A shop with analytics on (its daily aggregates built) and a seeded set of orders over two months (October and November
2025, Luxembourg time) in every status, paid by card or transfer, shipped or picked up, by six
customers, some with a discount; tests work their expected figures out from these orders."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, time, timedelta

import pytest
from sqlalchemy import select

from modules.analytics.services import aggregates
from modules.contracts.metrics import LOCAL_ZONE
from modules.orders.models import Order
from modules.orders.services import order_service
from orion_server.modules.service import module_service

FIRST, LAST = date(2025, 10, 1), date(2025, 11, 30)
"""The days the seeded orders were placed on."""
EARNED = ("paid", "processing", "shipped", "delivered")
PRODUCTS = (
    {"sku": "BREAD-1", "title": "Pain de campagne", "unit_price_cents": 450, "vat_rate": 3},
    {"sku": "CAKE-1", "title": "Tarte aux fraises", "unit_price_cents": 2190, "vat_rate": 3},
    {"sku": "WINE-1", "title": "Crémant", "unit_price_cents": 1590, "vat_rate": 17},
    {"sku": "MUG-1", "title": "Tasse", "unit_price_cents": 899, "vat_rate": 17},
    {"sku": "JAM-1", "title": "Confiture", "unit_price_cents": 625, "vat_rate": 8},
)
CUSTOMERS = [f"client{n}@example.lu" for n in range(6)]
PATHS = {
    "pending_payment": ["pending_payment"],
    "paid": ["paid"],
    "processing": ["paid", "processing"],
    "shipped": ["paid", "processing", "shipped"],
    "delivered": ["pending_payment", "paid", "processing", "shipped", "delivered"],
    "cancelled": ["pending_payment", "cancelled"],
    "refunded": ["paid", "refunded"],
}


def local_time(day: date, hour: int, minute: int = 0) -> datetime:
    """``hour:minute`` on local ``day``, in UTC."""
    return datetime.combine(day, time(hour, minute), tzinfo=LOCAL_ZONE).astimezone(UTC)


def seed_orders(db, store, *, count: int = 60, seed: int = 7) -> list[Order]:
    """``count`` orders of ``store`` placed between FIRST and LAST, through the orders service."""
    rng = random.Random(seed)
    placed = []
    for _ in range(count):
        day = FIRST + timedelta(days=rng.randrange((LAST - FIRST).days + 1))
        # late evening and just after midnight too: the local day differs from the UTC one
        hour = rng.choice((0, 1, 9, 12, 18, 23))
        status = rng.choice(list(PATHS))
        path = PATHS[status]
        lines = [dict(product, quantity=rng.randint(1, 4)) for product in rng.sample(PRODUCTS, rng.randint(1, 3))]
        order = order_service.create_order(
            db,
            store_id=store.id,
            lines=lines,
            customer={"email": CUSTOMERS[rng.randrange(len(CUSTOMERS))], "name": "Client", "language": "fr"},
            addresses={"shipping": {"name": "Client", "street": "1, rue de la Gare", "postal_code": "L-1611",
                                    "city": "Luxembourg", "country": "LU"}},
            shipping=rng.choice(({"code": "flat", "label": "Livraison", "price_cents": 500, "vat_rate": 17},
                                 {"code": "pickup", "label": "Retrait", "price_cents": 0, "vat_rate": 17})),
            payment_method="bank_transfer" if path[0] == "pending_payment" else "card",
            discount_cents=rng.choice((0, 0, 0, 150)),
            status=path[0],
            placed_at=local_time(day, hour, rng.randrange(60)),
        )
        for step in path[1:]:
            order_service.change_status(db, order_id=order.id, store_id=store.id, to=step)
        placed.append(order)
    return placed


def orders_between(db, store, first: date, last: date, *, earned: bool = True) -> list[Order]:
    """The store's orders placed on local days ``first`` to ``last``, worked out in Python."""
    found = []
    for order in db.scalars(select(Order).where(Order.store_id == store.id)).all():
        day = order.placed_at.astimezone(LOCAL_ZONE).date()
        if first <= day <= last and (not earned or order.status in EARNED):
            found.append(order)
    return found


@pytest.fixture
def shop(factories, main_platform, db_session):
    """The main platform with catalog, orders and analytics on, and the store ``bakery``."""
    for code in ("catalog", "orders", "analytics"):
        module_service.enable_module(db_session, main_platform.id, code)
    store = factories.store(main_platform, code="bakery", name="Boulangerie Test", languages=["fr", "de", "en"])
    # built while empty: the seeded orders reach the daily aggregates through order events,
    # which the reports then read
    aggregates.rebuild_store(db_session, store_id=store.id)
    db_session.commit()
    return main_platform, store


@pytest.fixture
def seeded(shop, db_session):
    """The shop with its seeded orders."""
    seed_orders(db_session, shop[1])
    return shop
