"""The customers' demo data."""

from __future__ import annotations


def test_the_demo_adds_customers_once(db_session, factories):
    """Loading the demo twice registers each demo customer once per store."""
    from modules.customers.demo import load_demo
    from modules.customers.services import customer_service

    platform = factories.platform(code="demo")
    store = factories.store(platform, code="demo-shop")

    first = load_demo(db_session, platform, [store])
    second = load_demo(db_session, platform, [store])

    assert first and second == []
    assert customer_service.list_customers(db_session, store_id=store.id).total == 4
