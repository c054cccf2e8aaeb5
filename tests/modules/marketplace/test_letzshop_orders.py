"""Orders from Letzshop against a fake Letzshop API on 127.0.0.1: brought in once however
often the sync runs, stock reserved, units confirmed (partially too), states mapped, tracking
sent and kept, stock pushed; a sync cut short by a timeout or a crash leaves whole orders only,
and the next one completes it."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from modules.inventory.models import StockItem
from modules.marketplace.models import LetzshopConnection, LetzshopOrder, LetzshopSync
from modules.marketplace.services import letzshop_orders as service_module
from modules.marketplace.services.letzshop_client import (
    LetzshopClient,
    LetzshopError,
    LetzshopTimeout,
)
from modules.marketplace.services.letzshop_orders import letzshop_orders, order_state
from modules.marketplace.tasks import run_due_syncs, run_sync
from modules.orders.models import Order, OrderLine
from orion_server import secrets_box
from tests.modules.marketplace.fake_letzshop import KEY, order, unit


def _fresh(db):
    db.commit()
    db.expire_all()


def _orders(db, store):
    _fresh(db)
    return list(db.scalars(select(Order).where(Order.store_id == store.id).order_by(Order.id)))


def _stock(db, store, sku):
    _fresh(db)
    item = db.scalar(select(StockItem).where(StockItem.store_id == store.id, StockItem.sku == sku))
    return item.on_hand, item.reserved


def _record(db, store, external_id):
    _fresh(db)
    return db.scalar(select(LetzshopOrder).where(LetzshopOrder.store_id == store.id,
                                                 LetzshopOrder.external_id == external_id))


def _units(record):
    return {u.unit_id: u for u in record.units}


def _last_run(db, store):
    _fresh(db)
    return db.scalar(select(LetzshopSync).where(LetzshopSync.store_id == store.id).order_by(LetzshopSync.id.desc()))


@pytest.fixture
def products(factories, letzshop):
    _fake, store = letzshop
    factories.product(store, "tarte", price=450, stock=3)
    factories.product(store, "pain", price=340, stock=1)


def test_the_round_trip_imports_once_confirms_maps_states_ships_and_pushes_stock(db_session, letzshop, products):
    fake, store = letzshop
    fake.orders = [
        order("1001", unit("u1", "TARTE"), unit("u2", "TARTE"), unit("u3", "PAIN", "3.40"), shipping="5.00"),
        order("1002", unit("u4", "PAIN", "3.40")),
        order("1003", unit("u5", "TARTE")),
    ]

    assert run_sync(store.id) == "done"

    placed = _orders(db_session, store)
    assert [(o.channel, o.external_id, o.status) for o in placed] == [
        ("letzshop", "1001", "paid"), ("letzshop", "1002", "paid"), ("letzshop", "1003", "paid")]
    first = placed[0]
    assert [(line.sku, line.quantity, line.unit_price_cents) for line in first.lines] == [("TARTE", 2, 450),
                                                                                        ("PAIN", 1, 340)]
    assert first.total_cents == 2 * 450 + 340 + 500 and first.customer_name == "Léa Schmit"
    assert first.shipping_address["city"] == "Luxembourg" and first.shipping_address["country"] == "LU"
    assert fake.pages_served == 2  # two orders a page: the cursor was followed
    # every TARTE and the one PAIN are held; the second PAIN order found none free
    assert _stock(db_session, store, "TARTE") == (3, 3)
    assert _stock(db_session, store, "PAIN") == (1, 1)
    assert not _units(_record(db_session, store, "1002"))["u4"].reserved
    assert fake.stock() == {"TARTE": 0, "PAIN": 0}
    run = _last_run(db_session, store)
    assert (run.status, run.orders_fetched, run.orders_created, run.error_count) == ("done", 3, 3, 0)
    assert run.finished_at is not None

    # running it again brings nothing in twice
    assert run_sync(store.id) == "done"
    assert len(_orders(db_session, store)) == 3
    assert db_session.scalar(select(func.count()).select_from(LetzshopOrder)) == 3
    assert db_session.scalar(select(func.count()).select_from(OrderLine)) == 4
    assert _stock(db_session, store, "TARTE") == (3, 3)
    assert _last_run(db_session, store).orders_created == 0

    # partial confirmation: one tarte available, one not, the bread left for later
    record = _record(db_session, store, "1001")
    ids = {u.unit_id: u.id for u in record.units}
    letzshop_orders.confirm(db_session, store_id=store.id, letzshop_order_id=record.id,
                            decisions={ids["u1"]: True, ids["u2"]: False}, actor="staff@example.lu")
    assert fake.confirmations[-1] == [{"inventoryUnitId": "u1", "isAvailable": True},
                                      {"inventoryUnitId": "u2", "isAvailable": False}]
    record = _record(db_session, store, "1001")
    assert {u: x.state for u, x in _units(record).items()} == {
        "u1": "confirmed_available", "u2": "confirmed_unavailable", "u3": "unconfirmed"}
    assert record.state == "unconfirmed" and _orders(db_session, store)[0].status == "paid"  # still pending
    assert _stock(db_session, store, "TARTE") == (2, 1)  # u1 sold, u2 given back, u5 held

    # the rest of it: at least one available -> processing
    letzshop_orders.confirm(db_session, store_id=store.id, letzshop_order_id=record.id,
                            decisions={ids["u3"]: False}, actor="staff@example.lu")
    assert _record(db_session, store, "1001").state == "confirmed"
    assert _orders(db_session, store)[0].status == "processing"
    assert _stock(db_session, store, "PAIN") == (1, 0)

    # every unit unavailable -> cancelled
    other = _record(db_session, store, "1002")
    letzshop_orders.confirm(db_session, store_id=store.id, letzshop_order_id=other.id,
                            decisions={other.units[0].id: False}, actor="staff@example.lu")
    assert _record(db_session, store, "1002").state == "declined"
    assert _orders(db_session, store)[1].status == "cancelled"

    # shipped: tracking sent to Letzshop, kept here, the order shipped
    letzshop_orders.ship(db_session, store_id=store.id, letzshop_order_id=record.id, code="LU123456789",
                         provider="post_lu", actor="staff@example.lu")
    assert fake.trackings == [{"shipmentId": "S1001", "code": "LU123456789", "provider": "post_lu"}]
    shipped = _record(db_session, store, "1001")
    assert (shipped.state, shipped.tracking_code, shipped.tracking_provider) == ("shipped", "LU123456789", "post_lu")
    assert shipped.shipped_at is not None
    assert _orders(db_session, store)[0].status == "shipped"

    # stock levels pushed after the changes
    run_sync(store.id)
    assert fake.stock()["TARTE"] == 1 and fake.stock()["PAIN"] == 1


def test_a_timeout_in_the_middle_leaves_whole_orders_and_the_next_sync_completes_it(db_session, letzshop, products):
    fake, store = letzshop
    fake.orders = [order(str(2000 + n), unit(f"t{n}", "TARTE" if n < 3 else "PAIN")) for n in range(5)]
    fake.hang_on_page = 1  # the second page never comes

    assert run_sync(store.id) == "failed"

    run = _last_run(db_session, store)
    assert run.status == "failed" and "did not answer within 0.5 s" in run.error
    assert (run.orders_fetched, run.orders_created) == (2, 2)
    placed = _orders(db_session, store)
    assert [o.external_id for o in placed] == ["2000", "2001"]
    for o in placed:  # each one whole: its line, its record and its units, its stock held
        assert len(o.lines) == 1
        record = _record(db_session, store, o.external_id)
        assert record.order_id == o.id and len(record.units) == 1 and record.units[0].reserved
    assert _stock(db_session, store, "TARTE") == (3, 2)

    fake.hang_on_page = None
    fake.released.set()
    assert run_sync(store.id) == "done"
    assert [o.external_id for o in _orders(db_session, store)] == ["2000", "2001", "2002", "2003", "2004"]
    assert db_session.scalar(select(func.count()).select_from(LetzshopOrder)) == 5
    assert _stock(db_session, store, "TARTE") == (3, 3)
    assert _last_run(db_session, store).orders_created == 3


def test_a_crash_between_the_order_and_its_record_is_completed_by_the_next_sync(db_session, letzshop, products,
                                                                               monkeypatch):
    fake, store = letzshop
    fake.orders = [order("3001", unit("c1", "TARTE"))]
    real = service_module.LetzshopOrderService._reserve
    calls = []

    def crash_once(db, **kwargs):
        calls.append(kwargs)
        if len(calls) == 1:
            raise RuntimeError("worker stopped")
        return real(db, **kwargs)

    monkeypatch.setattr(service_module.LetzshopOrderService, "_reserve", staticmethod(crash_once))
    assert run_sync(store.id) == "failed"
    assert "unexpected error" in _last_run(db_session, store).error
    assert [o.external_id for o in _orders(db_session, store)] == ["3001"]  # placed, its record not yet
    assert _record(db_session, store, "3001") is None

    assert run_sync(store.id) == "done"
    placed = _orders(db_session, store)
    assert len(placed) == 1 and len(placed[0].lines) == 1
    record = _record(db_session, store, "3001")
    assert record.order_id == placed[0].id and record.units[0].reserved
    assert _stock(db_session, store, "TARTE") == (3, 1)


def test_an_order_already_confirmed_or_shipped_on_letzshop_arrives_in_its_status(db_session, letzshop, products):
    fake, store = letzshop
    shipped = order("4002", unit("s1", "TARTE", state="confirmed_available"))
    shipped["shipment"].update(state="confirmed", shippedAt="2026-12-02T10:00:00Z",
                               tracking={"code": "DHL42", "provider": "dhl"})
    fake.orders = [order("4001", unit("a1", "TARTE", state="confirmed_unavailable")), shipped]

    run_sync(store.id)

    assert [o.status for o in _orders(db_session, store)] == ["cancelled", "shipped"]
    kept = _record(db_session, store, "4002")
    assert (kept.state, kept.tracking_code) == ("shipped", "DHL42")
    assert _stock(db_session, store, "TARTE") == (2, 0)  # the shipped unit sold, nothing held


@pytest.mark.parametrize("setup, expected", [
    ({"graphql_error": "Field 'orders' is not accessible"}, "Field 'orders' is not accessible"),
    ({"http_status": 503}, "HTTP 503"),
    ({"key": "another-key-entirely"}, "refused the API key"),
])
def test_letzshop_errors_end_the_run_with_what_went_wrong(db_session, letzshop, setup, expected):
    fake, store = letzshop
    fake.orders = [order("5001", unit("e1", "TARTE"))]
    for name, value in setup.items():
        setattr(fake, name, value)

    assert run_sync(store.id) == "failed"

    run = _last_run(db_session, store)
    assert run.status == "failed" and expected in run.error and run.error_count == 1
    assert _orders(db_session, store) == []


def test_the_client_says_what_failed(letzshop):
    fake, _store = letzshop
    fake.hang_on_page = 0
    with pytest.raises(LetzshopTimeout) as timed_out:
        list(LetzshopClient(fake.url, KEY, timeout=0.3).order_pages())
    assert timed_out.value.key == "marketplace.orders.errors.timeout"
    fake.hang_on_page = None
    fake.graphql_error = "boom"
    with pytest.raises(LetzshopError) as refused:
        LetzshopClient(fake.url, KEY).confirm_units([("u1", True)])
    assert refused.value.key == "marketplace.orders.errors.graphql" and refused.value.params == {"message": "boom"}
    with pytest.raises(LetzshopError) as unreachable:
        LetzshopClient("http://127.0.0.1:9/graphql", KEY, timeout=0.5).execute("query { x }")
    assert unreachable.value.key in ("marketplace.orders.errors.unreachable", "marketplace.orders.errors.timeout")


def test_a_refused_confirmation_changes_nothing_here(db_session, letzshop, products):
    fake, store = letzshop
    fake.orders = [order("6001", unit("r1", "TARTE"))]
    run_sync(store.id)
    record = _record(db_session, store, "6001")
    fake.orders[0]["inventoryUnits"][0]["state"] = "confirmed_available"  # confirmed elsewhere meanwhile

    with pytest.raises(LetzshopError):
        letzshop_orders.confirm(db_session, store_id=store.id, letzshop_order_id=record.id,
                                decisions={record.units[0].id: False}, actor="staff")

    assert _units(_record(db_session, store, "6001"))["r1"].state == "unconfirmed"
    assert _stock(db_session, store, "TARTE") == (3, 1)


def test_stock_received_is_pushed_to_letzshop(db_session, letzshop, products):
    from modules.inventory.services import inventory_service

    fake, store = letzshop
    fake.stock_pushes.clear()
    inventory_service.receive(db_session, store_id=store.id, sku="PAIN", quantity=4)
    _fresh(db_session)

    assert fake.stock_pushes == [[{"sku": "PAIN", "quantity": 5}]]


def test_the_key_is_sealed_at_rest_and_never_shown(db_session, letzshop):
    _fake, store = letzshop
    row = db_session.scalar(select(LetzshopConnection).where(LetzshopConnection.store_id == store.id))
    assert secrets_box.is_encrypted(row.api_key) and KEY not in row.api_key
    assert secrets_box.reveal(row.api_key) == KEY
    view = letzshop_orders.connection(db_session, store_id=store.id)
    assert view.key_set and view.key_hint == KEY[-4:] and KEY not in repr(view)


def test_the_schedule_syncs_connected_stores_when_due(db_session, letzshop, products):
    fake, store = letzshop
    fake.orders = [order("7001", unit("p1", "TARTE"))]

    assert run_due_syncs() == 1
    assert run_due_syncs() == 0  # just ran: not due yet
    assert [o.external_id for o in _orders(db_session, store)] == ["7001"]
    assert _last_run(db_session, store).trigger == "schedule"


def test_the_state_mapping():
    assert order_state(["unconfirmed", "confirmed_available"]) == "unconfirmed"
    assert order_state(["confirmed_available", "confirmed_unavailable"]) == "confirmed"
    assert order_state(["confirmed_unavailable", "confirmed_unavailable"]) == "declined"
    assert order_state(["confirmed_available"], shipped=True) == "shipped"
    assert service_module.ORION_STATUS == {"unconfirmed": "paid", "confirmed": "processing",
                                           "declined": "cancelled", "shipped": "shipped"}



def test_an_order_cancelled_by_hand_gives_back_what_its_waiting_units_held(db_session, letzshop, products):
    from modules.orders.services import order_service

    fake, store = letzshop
    fake.orders = [order("8001", unit("h1", "TARTE"), unit("h2", "TARTE"))]
    run_sync(store.id)
    record = _record(db_session, store, "8001")
    letzshop_orders.confirm(db_session, store_id=store.id, letzshop_order_id=record.id,
                            decisions={record.units[0].id: True}, actor="staff")
    assert _stock(db_session, store, "TARTE") == (2, 1)
    fake.stock_pushes.clear()

    order_service.change_status(db_session, order_id=record.order_id, store_id=store.id, to="cancelled",
                                actor="staff@example.lu")

    assert _stock(db_session, store, "TARTE") == (2, 0)  # the sold unit stays sold
    assert fake.stock() == {"TARTE": 2}


def test_a_refused_order_is_recorded_and_asked_for_again(db_session, letzshop, products):
    fake, store = letzshop
    broken = order("9002", unit("b1", "TARTE", vat=19))  # no Luxembourg VAT rate
    fake.orders = [order("9001", unit("g1", "TARTE")), broken]

    assert run_sync(store.id) == "done"
    run = _last_run(db_session, store)
    assert (run.orders_fetched, run.orders_created, run.error_count) == (2, 1, 1)
    assert "order 9002" in run.error
    assert [o.external_id for o in _orders(db_session, store)] == ["9001"]

    broken["inventoryUnits"][0]["vatRate"] = 17  # Letzshop corrected it
    run_sync(store.id)
    assert fake.since_asked[1] is None  # the run with a refusal did not count as complete
    assert [o.external_id for o in _orders(db_session, store)] == ["9001", "9002"]
    run_sync(store.id)
    assert fake.since_asked[2] is not None  # from now on, only what changed since


def test_a_run_left_running_by_a_stopped_worker_is_closed_by_the_next(db_session, letzshop):
    from datetime import timedelta

    from orion_server.database import utcnow

    _fake, store = letzshop
    lost = letzshop_orders.start_sync(db_session, store_id=store.id, trigger="manual")
    lost.started_at = utcnow() - timedelta(hours=2)
    recent = letzshop_orders.start_sync(db_session, store_id=store.id, trigger="manual")
    db_session.commit()

    run_sync(store.id)

    _fresh(db_session)
    closed = db_session.get(LetzshopSync, lost.id)
    assert closed.status == "failed" and "stopped before it finished" in closed.error and closed.finished_at
    assert db_session.get(LetzshopSync, recent.id).status == "running"  # may still be going
