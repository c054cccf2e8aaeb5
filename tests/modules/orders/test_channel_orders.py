"""Orders of an outside channel through the ChannelOrders contract: placed already paid, once
per external id of the channel and store, moved through the status machine, refused where a
rule is broken."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from modules.contracts.channel_orders import ChannelOrderIn, ChannelOrderLine, channel_orders_of
from modules.orders.models import Order
from orion_server.errors import ValidationError
from orion_server.forms import InputError

LINE = ChannelOrderLine(sku="TARTE", title="Tarte", quantity=2, unit_price_cents=450)


def _order(external_id: str = "LZ-1", **fields) -> ChannelOrderIn:
    return ChannelOrderIn(channel="letzshop", external_id=external_id, lines=(LINE,), customer_name="Léa Schmit",
                          shipping_address={"name": "Léa Schmit", "street": "12 rue de la Gare",
                                            "postal_code": "L-1616", "city": "Luxembourg", "country": "LU"},
                          **fields)


def test_an_outside_order_comes_in_once_per_store_and_channel(db_session, factories, shop, other_shop):
    _platform, store = shop
    orders = channel_orders_of(db_session, store_id=store.id)

    first = orders.place(db_session, store_id=store.id, order=_order(), actor="letzshop")
    again = orders.place(db_session, store_id=store.id, order=_order(), actor="letzshop")
    elsewhere = orders.place(db_session, store_id=other_shop.id, order=_order(), actor="letzshop")

    assert first.created and not again.created and again.id == first.id
    assert (first.status, first.total_cents, first.number) == ("paid", 900, "BAK-000001")
    assert elsewhere.created and elsewhere.id != first.id
    assert orders.find(db_session, store_id=store.id, channel="letzshop", external_id="LZ-1").id == first.id
    assert orders.get(db_session, store_id=other_shop.id, order_id=first.id) is None
    db_session.commit()
    assert db_session.scalar(select(func.count()).select_from(Order).where(Order.store_id == store.id)) == 1


def test_the_database_refuses_a_second_order_with_the_same_external_id(db_session, factories, shop):
    _platform, store = shop
    channel_orders_of(db_session, store_id=store.id).place(db_session, store_id=store.id, order=_order(),
                                                           actor="letzshop")
    twin = Order(store_id=store.id, sequence=99, number="BAK-000099", status="paid", channel="letzshop",
                 external_id="LZ-1", subtotal_cents=0, total_cents=0)
    db_session.add(twin)
    with pytest.raises(IntegrityError):
        db_session.flush()
    db_session.rollback()


def test_moves_follow_the_status_machine(db_session, shop):
    _platform, store = shop
    orders = channel_orders_of(db_session, store_id=store.id)
    placed = orders.place(db_session, store_id=store.id, order=_order(), actor="letzshop")

    assert orders.move(db_session, store_id=store.id, order_id=placed.id, to="processing", actor="x").status == "processing"
    assert orders.move(db_session, store_id=store.id, order_id=placed.id, to="processing", actor="x").status == "processing"
    with pytest.raises(ValidationError):
        orders.move(db_session, store_id=store.id, order_id=placed.id, to="paid", actor="x")


def test_a_broken_rule_names_the_field(db_session, shop):
    _platform, store = shop
    orders = channel_orders_of(db_session, store_id=store.id)
    bad = ChannelOrderIn(channel="letzshop", external_id="LZ-2",
                         lines=(ChannelOrderLine(sku="X", title="X", quantity=1, unit_price_cents=100, vat_rate=19),))
    with pytest.raises(InputError) as refused:
        orders.place(db_session, store_id=store.id, order=bad, actor="letzshop")
    assert "lines.0.vat_rate" in refused.value.field_messages()
