"""The pytest plugin: fixtures every Orion test (and every module's tests) can use."""

from __future__ import annotations

from orion_server.testing.environment import ensure_postgres_database, prepare_environment

DATA_DIR = prepare_environment()

import os  # noqa: E402
from collections.abc import Iterator  # noqa: E402
from typing import Any  # noqa: E402

import pytest  # noqa: E402

from orion_server.testing.factories import Factories  # noqa: E402


def pytest_report_header(config: pytest.Config) -> str:
    url = os.environ["ORION_DATABASE_URL"]
    return f"orion: database {url.split('@')[-1] if '@' in url else url}"


@pytest.fixture(scope="session")
def orion_engine():
    """The migrated test database's engine (migrated from empty once per run)."""
    from orion_server.config import get_settings
    from orion_server.database import db
    from orion_server.migrations import upgrade
    from orion_server.testing.database import reset_schema

    url = get_settings().resolved_database_url
    if url.startswith("postgresql"):
        ensure_postgres_database(url)
    engine = db.configure(url)
    reset_schema(engine)
    upgrade(engine)
    yield engine
    db.dispose()


@pytest.fixture(scope="session")
def _table_names(orion_engine) -> list[str]:
    from orion_server.testing.database import table_names

    return table_names(orion_engine)


@pytest.fixture
def clean_db(orion_engine, _table_names):
    """An empty (but migrated) database for this test."""
    from orion_server.page_cache import forget_all
    from orion_server.revision import config_cache
    from orion_server.testing.database import empty_tables

    empty_tables(orion_engine, _table_names)
    config_cache.invalidate()
    forget_all()  # the page cache: the tables were emptied without a session to say so
    yield orion_engine
    config_cache.invalidate()


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    """Every test starts with no request counted (the limits live in the process's memory)."""
    from orion_server import rate_limits

    rate_limits.reset()


@pytest.fixture
def db_session(clean_db) -> Iterator[Any]:
    """A session on the emptied test database."""
    from orion_server.database import db

    session = db.session()
    try:
        yield session
    finally:
        session.close()


@pytest.fixture(scope="session")
def orion_app(orion_engine):
    """The application, built once per run."""
    from orion_server.app import create_app

    return create_app()


@pytest.fixture
def client(orion_app, clean_db):
    """An HTTP client on the application (requests go through every middleware)."""
    from fastapi.testclient import TestClient

    with TestClient(orion_app, base_url="http://testserver") as test_client:
        yield test_client


@pytest.fixture
def factories(db_session) -> Factories:
    """Factories for platforms, stores, users and sign-ins."""
    return Factories(db_session)


@pytest.fixture
def main_platform(factories):
    """The main platform (code from MAIN_PLATFORM_CODE)."""
    from orion_server.config import get_settings

    return factories.platform(code=get_settings().main_platform_code, name="Orion Test")


@pytest.fixture
def admin_user(factories):
    """A super admin."""
    return factories.admin()


@pytest.fixture
def owner(client, factories, request):
    """A new owner of the test's store signed in on ``client``; returns the CSRF token. The
    store is the test's ``store`` fixture, else the store of its ``shop`` fixture (a store, or
    a tuple ``(platform, store, ...)``)."""
    if "store" in request.fixturenames:
        store = request.getfixturevalue("store")
    else:
        shop = request.getfixturevalue("shop")
        store = shop[1] if isinstance(shop, tuple) else shop
    return factories.owner(client, store)
