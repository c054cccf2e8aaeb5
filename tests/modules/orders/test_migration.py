"""The orders_001 migration: it creates what the models declare, and downgrades cleanly."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from orion_server.database import Base, make_engine
from orion_server.migrations import downgrade, upgrade

TABLES = {"order_number_counters", "orders", "order_lines", "order_status_history", "order_notes"}


def _mentions(diff, tables: set[str]) -> bool:
    return any(f"'{name}'" in repr(diff) or f"table_name='{name}'" in repr(diff) for name in tables) or any(
        f"Table('{name}'" in repr(diff) for name in tables
    )


def test_the_migrated_schema_matches_the_models(orion_engine):
    """Alembic finds no difference between the migrated tables and the models."""
    import modules.orders.models  # noqa: F401

    with orion_engine.connect() as connection:
        diffs = compare_metadata(MigrationContext.configure(connection), Base.metadata)

    assert [d for d in diffs if _mentions(d, TABLES)] == []


def test_the_branch_downgrades_and_upgrades_again(orion_engine, tmp_path):
    """orders@base drops the tables; upgrading brings them back (on a scratch database)."""
    if orion_engine.dialect.name != "sqlite":
        engine = orion_engine
    else:
        engine = make_engine(f"sqlite:///{tmp_path / 'scratch.db'}")
        upgrade(engine)
    try:
        downgrade(engine, "orders@base")
        assert not TABLES & set(inspect(engine).get_table_names())
    finally:
        upgrade(engine)
    assert TABLES <= set(inspect(engine).get_table_names())
    if engine is not orion_engine:
        engine.dispose()
