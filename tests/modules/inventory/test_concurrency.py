"""A unit is never sold twice: many buyers reserving the last units at the same moment."""

from __future__ import annotations

import threading

from modules.inventory.exceptions import OutOfStockError
from modules.inventory.services import inventory_service
from orion_server.database import db
from orion_server.errors import NotFoundError
from tests.modules.inventory.conftest import level

BUYERS = 40
UNITS = 10


def _race(store_id: int, sku: str, reference_prefix: str) -> tuple[int, int, list[BaseException]]:
    """BUYERS threads, each with its own session, reserve one unit at once."""
    barrier = threading.Barrier(BUYERS)
    lock = threading.Lock()
    outcome = {"ok": 0, "out": 0}
    unexpected: list[BaseException] = []

    def buy(n: int) -> None:
        session = db.session()
        try:
            barrier.wait(timeout=30)
            inventory_service.reserve(
                session, store_id=store_id, lines=[(sku, 1)], reference=f"{reference_prefix}-{n}"
            )
            with lock:
                outcome["ok"] += 1
        except OutOfStockError:
            with lock:
                outcome["out"] += 1
        except BaseException as exc:  # noqa: BLE001 - every other error fails the test
            with lock:
                unexpected.append(exc)
        finally:
            session.close()

    threads = [threading.Thread(target=buy, args=(n,)) for n in range(BUYERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return outcome["ok"], outcome["out"], unexpected


def test_forty_buyers_for_ten_units_make_exactly_ten_reservations(db_session, shop, stock):
    """Exactly 10 reservations succeed, 30 are out of stock, nothing else goes wrong."""
    item = stock("LAST-CAKE", UNITS)

    ok, out, unexpected = _race(shop.id, "LAST-CAKE", "buyer")

    assert unexpected == []
    assert (ok, out) == (UNITS, BUYERS - UNITS)
    on_hand, reserved = level(db_session, item)
    assert on_hand - reserved == 0
    assert (on_hand, reserved) == (UNITS, UNITS)


def test_committing_the_winners_sells_every_unit_exactly_once(db_session, shop, stock):
    """After the race, committing every successful reservation leaves 0 on hand and a ledger of 0."""
    item = stock("LAST-CAKE", UNITS)
    ok, _out, unexpected = _race(shop.id, "LAST-CAKE", "order")
    assert unexpected == [] and ok == UNITS

    for n in range(BUYERS):
        try:
            inventory_service.commit(db_session, reference=f"order-{n}", store_id=shop.id)
        except NotFoundError:  # the losers reserved nothing
            continue

    assert level(db_session, item) == (0, 0)
    assert inventory_service.ledger_total(db_session, item_id=item.id) == 0


def test_the_same_reference_reserved_at_once_holds_units_only_once(db_session, shop, stock):
    """Ten simultaneous retries of one checkout all get the same reservation; 2 units held, not 20."""
    item = stock("CAKE", UNITS)
    barrier = threading.Barrier(10)
    results: list[list[int]] = []
    unexpected: list[BaseException] = []

    def retry() -> None:
        session = db.session()
        try:
            barrier.wait(timeout=30)
            results.append(
                inventory_service.reserve(session, store_id=shop.id, lines=[("CAKE", 2)], reference="checkout-1")
            )
        except BaseException as exc:  # noqa: BLE001 - every error fails the test
            unexpected.append(exc)
        finally:
            session.close()

    threads = [threading.Thread(target=retry) for _ in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert unexpected == []
    assert len(results) == 10 and len({tuple(r) for r in results}) == 1
    assert level(db_session, item) == (UNITS, 2)
