"""Acceptance: 50 buyers, each with their own cart, race for the last 10 units through the HTTP
API of a real ``orion serve`` process on the test database. Exactly 10 orders are placed, the
other 40 get a clear out-of-stock answer, nothing answers 5xx, and once the orders ship the
stock is 0 and its ledger sums to 0."""

from __future__ import annotations

import os
import threading
from collections import Counter

import httpx
import pytest

from modules.inventory.services import inventory_service
from modules.orders.models import Order
from modules.orders.services import order_service
from tests.modules.checkout.conftest import checkout_body, counts, level
from tests.support.servers import ServerProcess

pytestmark = pytest.mark.slow
BUYERS = 50
UNITS = 10


@pytest.fixture
def server(shop, make_product, tmp_path):
    """A real server process on the test database (the shop and the product are committed)."""
    make_product(shop[1], "last", price=2500, stock=UNITS, title="Last cake")
    env = {k: v for k, v in os.environ.items()}
    env["CHECKOUT_ORDERS_PER_CLIENT_HOUR"] = "1000"  # fifty buyers, one test address
    process = ServerProcess(env, tmp_path)
    try:
        process.wait_ready(timeout=60)
        yield process
    finally:
        process.stop()


def test_fifty_buyers_for_ten_units_make_exactly_ten_orders(server, shop, db_session):
    platform, store = shop
    root = f"{server.base}/platforms/{platform.code}/storefront/{store.code}/"
    barrier = threading.Barrier(BUYERS)
    lock = threading.Lock()
    answers: list[tuple[int, dict]] = []
    failures: list[BaseException] = []

    def buy(n: int) -> None:
        try:
            with httpx.Client(timeout=120.0) as http:
                http.get(root + "cart?lang=en")  # the CSRF cookie, as a browser gets it
                token = http.cookies.get("orion_csrf")
                added = http.post(root + "api/v1/cart/lines?lang=en", json={"sku": "LAST", "quantity": 1},
                                  headers={"X-CSRF-Token": token})
                assert added.status_code == 201, added.text
                barrier.wait(timeout=120)
                response = http.post(
                    root + "api/v1/checkout/place?lang=en",
                    json=checkout_body(email=f"buyer{n}@example.lu"),
                    headers={"X-CSRF-Token": token, "Idempotency-Key": f"buyer-{n:03d}-key"},
                )
                with lock:
                    answers.append((response.status_code, response.json()))
        except BaseException as exc:  # noqa: BLE001 - every error fails the test
            with lock:
                failures.append(exc)

    threads = [threading.Thread(target=buy, args=(n,)) for n in range(BUYERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)

    assert failures == []
    statuses = Counter(status for status, _body in answers)
    assert statuses == {201: UNITS, 409: BUYERS - UNITS}, statuses
    for status, body in answers:
        if status == 409:
            assert body["error"] == "out_of_stock" and "Last cake" in body["message"]
    numbers = sorted(body["number"] for status, body in answers if status == 201)
    assert numbers == [f"BAK-{n:06d}" for n in range(1, UNITS + 1)]  # gap-free
    assert counts(db_session, store.id) == (UNITS, UNITS, UNITS)
    on_hand, reserved = level(db_session, store.id, "LAST")
    assert (on_hand, reserved) == (UNITS, UNITS) and on_hand - reserved == 0

    # Shipping the ten orders sells the ten units: nothing left, and the ledger agrees.
    for order in db_session.query(Order).filter(Order.store_id == store.id):
        for status in ("paid", "processing", "shipped"):
            order_service.change_status(db_session, order_id=order.id, store_id=store.id, to=status)
    assert level(db_session, store.id, "LAST") == (0, 0)
    item = inventory_service.get_item_by_sku(db_session, store_id=store.id, sku="LAST")
    assert inventory_service.ledger_total(db_session, item_id=item.id) == 0
