"""The payments_001 migration: it creates what the models declare, and downgrades cleanly."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from orion_server.database import Base, make_engine
from orion_server.migrations import downgrade, upgrade

TABLES = {"payments", "payment_events_seen", "store_payment_settings"}


def _mentions(diff, tables: set[str]) -> bool:
    return any(name in repr(diff) for name in tables)


def test_the_migrated_schema_matches_the_models(orion_engine):
    """Alembic finds no difference between the migrated tables and the models."""
    import modules.payments.models  # noqa: F401

    with orion_engine.connect() as connection:
        diffs = compare_metadata(MigrationContext.configure(connection), Base.metadata)

    assert [d for d in diffs if _mentions(d, TABLES)] == []


def test_the_branch_downgrades_and_upgrades_again(orion_engine, tmp_path):
    """payments@base drops both tables; upgrading brings them back (on a scratch database)."""
    if orion_engine.dialect.name != "sqlite":
        engine = orion_engine  # PostgreSQL: run on the test database, then restore it
    else:
        engine = make_engine(f"sqlite:///{tmp_path / 'scratch.db'}")
        upgrade(engine)
    try:
        downgrade(engine, "payments@base")
        assert not TABLES & set(inspect(engine).get_table_names())
    finally:
        upgrade(engine)
    assert TABLES <= set(inspect(engine).get_table_names())
    if engine is not orion_engine:
        engine.dispose()
