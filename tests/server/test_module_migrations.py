"""Every module's migration branch creates exactly the tables its models declare, and goes down
to its base and up again; a new module is covered without writing a test of its own."""

from __future__ import annotations

import importlib

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from orion_server.database import Base, make_engine
from orion_server.migrations import downgrade, upgrade
from orion_server.modules import registry

EXTRA_TABLES = {"catalog": {"catalog_search"}}
"""Tables a branch creates that no model declares (SQLite's FTS5 index of the catalog)."""


def _module_tables(code: str) -> set[str]:
    """Names of the tables mapped by the module's models."""
    module = registry.get_module(code)
    if module.resource_dir("models") is not None:
        importlib.import_module(f"{module.package}.models")
    prefix = f"{module.package}."
    return {
        mapper.local_table.name
        for mapper in Base.registry.mappers
        if mapper.class_.__module__.startswith(prefix) and mapper.local_table is not None
    }


def _codes_with_tables() -> list[str]:
    codes = []
    for code in sorted(registry.MODULES):
        folder = registry.get_module(code).resource_dir("migrations/versions")
        if folder is not None and any(folder.glob("*.py")) and _module_tables(code):
            codes.append(code)
    return codes


CODES = _codes_with_tables()


def test_the_modules_with_tables_are_found():
    """The scan sees the modules known to own tables (so an empty list cannot pass silently)."""
    assert {"catalog", "cart", "orders", "customers", "inventory", "checkout", "messaging"} <= set(CODES)


@pytest.mark.parametrize("code", CODES)
def test_the_migrated_schema_matches_the_models(orion_engine, code):
    """Alembic finds no difference between the migrated tables and the module's models."""
    tables = _module_tables(code)
    with orion_engine.connect() as connection:
        diffs = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    ignored = EXTRA_TABLES.get(code, set())
    ours = [d for d in diffs if any(t in repr(d) for t in tables) and not any(t in repr(d) for t in ignored)]
    assert ours == []


@pytest.mark.parametrize("code", CODES)
def test_the_branch_downgrades_and_upgrades_again(orion_engine, tmp_path, code):
    """``code@base`` drops the module's tables; upgrading brings them back (a scratch database
    on SQLite; the test database itself on PostgreSQL, restored to the heads afterwards)."""
    tables = _module_tables(code)
    if orion_engine.dialect.name != "sqlite":
        engine = orion_engine
    else:
        engine = make_engine(f"sqlite:///{tmp_path / 'scratch.db'}")
        upgrade(engine)
    try:
        downgrade(engine, f"{code}@base")
        assert not (tables | EXTRA_TABLES.get(code, set())) & set(inspect(engine).get_table_names())
    finally:
        upgrade(engine)
    assert tables <= set(inspect(engine).get_table_names())
    if engine is not orion_engine:
        engine.dispose()
