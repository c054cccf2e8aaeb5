"""A module written outside the repository is discovered, migrated, served, translated and gated."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import inspect

from tests.support.external_module import write_external_module


@pytest.fixture
def external_module(tmp_path, monkeypatch, clean_db):
    """The giftwrap module in ORION_MODULE_PATHS, migrated; removed again afterwards."""
    from orion_server.migrations import downgrade, upgrade
    from orion_server.modules.registry import reload_registry

    base = write_external_module(tmp_path / "extra")
    monkeypatch.setenv("ORION_MODULE_PATHS", str(base))
    monkeypatch.setenv("GIFTWRAP_PRICE_CENTS", "395")
    reload_registry()
    upgrade(clean_db)
    try:
        yield clean_db
    finally:
        downgrade(clean_db, "giftwrap@base")
        monkeypatch.delenv("ORION_MODULE_PATHS")
        reload_registry()


@pytest.fixture
def giftwrap_client(external_module):
    from orion_server.app import create_app

    with TestClient(create_app(), base_url="http://testserver") as client:
        yield client


@pytest.fixture
def shop(factories, external_module):
    """A platform with a store offering two wrapping papers, giftwrap enabled."""
    from orion_server.modules.service import module_service

    platform = factories.platform(code="main", name="Main")
    store = factories.store(platform, code="bakery", name="Bakery", languages=["fr", "de", "en", "lb"])
    import giftwrap.services as services

    services.add_style(factories.db, store_id=store.id, name="Red ribbon")
    services.add_style(factories.db, store_id=store.id, name="Kraft paper")
    module_service.enable_module(factories.db, platform.id, "giftwrap")
    return platform, store


def test_external_module_is_discovered_with_its_requirements(external_module):
    """The registry lists giftwrap as optional, after inventory which it requires."""
    from orion_server.modules import registry

    assert registry.get_module_tier("giftwrap") == "optional"
    order = list(registry.MODULES)
    assert order.index("inventory") < order.index("giftwrap")


def test_external_module_migration_creates_its_table(external_module):
    """Its own Alembic branch created giftwrap_styles."""
    assert "giftwrap_styles" in inspect(external_module).get_table_names()


def test_external_module_config_reads_its_env_prefix(external_module):
    """get_module_config reads GIFTWRAP_* variables."""
    from orion_server.modules.config import get_module_config

    assert get_module_config("giftwrap").price_cents == 395


def test_external_module_page_is_served_and_translated(giftwrap_client, shop):
    """The storefront page renders the store's data in the chosen language."""
    response = giftwrap_client.get("/platforms/main/storefront/bakery/gift-wrapping?lang=de")
    assert response.status_code == 200
    assert "Geschenkverpackung" in response.text
    assert "Red ribbon" in response.text
    assert "/static/modules/giftwrap/shared/giftwrap.css" in response.text


def test_external_module_api_and_static_are_served(giftwrap_client, shop):
    """The storefront API answers relative to the storefront root; the static file is mounted."""
    api = giftwrap_client.get("/platforms/main/storefront/bakery/api/v1/giftwrap/styles")
    assert api.status_code == 200
    assert api.json() == {"styles": ["Red ribbon", "Kraft paper"], "price_cents": 395}
    css = giftwrap_client.get("/static/modules/giftwrap/shared/giftwrap.css")
    assert css.status_code == 200 and "giftwrap" in css.text


def test_external_module_routes_answer_404_when_disabled(giftwrap_client, shop, db_session):
    """Disabling giftwrap on the platform hides its page and API."""
    from orion_server.modules.service import module_service

    platform, _store = shop
    module_service.disable_module(db_session, platform.id, "giftwrap")
    page = giftwrap_client.get("/platforms/main/storefront/bakery/gift-wrapping")
    api = giftwrap_client.get("/platforms/main/storefront/bakery/api/v1/giftwrap/styles")
    assert page.status_code == 404
    assert api.status_code == 404 and api.headers["content-type"].startswith("application/json")


def test_external_module_task_is_registered(external_module):
    """Its tasks package is imported by discovery and huey runs the task."""
    from orion_server.task_queue import discover_tasks

    assert "giftwrap" in discover_tasks()
    from giftwrap.tasks import count_styles

    assert count_styles(["a", "b", "c"]).get() == 3


def test_external_module_widget_shows_where_it_is_on_and_not_elsewhere(giftwrap_client, shop, factories, db_session):
    """Its declared widget_provider puts a card on the store dashboard of a platform where it is
    enabled, and none where it is off, with no change to the framework."""
    platform, store = shop
    other = factories.platform(code="other", name="Other")
    elsewhere = factories.store(other, code="florist", name="Florist", languages=["en"], default_language="en")
    from orion_server.accounts import add_store_member

    owner = factories.staff(store, role="owner")  # of both stores
    add_store_member(factories.db, store_code=elsewhere.code, user_id=owner.id, role="owner")
    factories.login(giftwrap_client, owner)

    here = giftwrap_client.get("/store/bakery/?lang=de").text
    there = giftwrap_client.get(f"/store/{elsewhere.code}/?lang=en").text

    assert 'data-widget="giftwrap.styles"' in here and "Geschenkverpackung" in here
    assert 'data-widget="giftwrap.styles"' not in there


def test_external_module_listener_hears_orders_where_it_is_on(external_module, shop, factories, db_session):
    """Its declared listener gets OrderPlaced for its platform's orders, not for another's."""
    from giftwrap import dashboard

    from modules.orders.services import order_service
    from orion_server.modules.service import module_service

    platform, store = shop
    other = factories.platform(code="other", name="Other")
    elsewhere = factories.store(other, code="florist", name="Florist")
    dashboard.heard_orders.clear()
    line = {"sku": "WRAP", "title": "Wrap", "quantity": 1, "unit_price_cents": 300, "vat_rate": 17}
    for target in (platform, other):
        module_service.enable_module(db_session, target.id, "orders")
    here = order_service.create_order(db_session, store_id=store.id, lines=[line])
    order_service.create_order(db_session, store_id=elsewhere.id, lines=[line])

    assert dashboard.heard_orders == [here.number]
