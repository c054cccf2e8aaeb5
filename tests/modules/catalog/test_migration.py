"""The catalog_001 migration: it creates what the models declare, and downgrades cleanly."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from orion_server.database import Base, make_engine
from orion_server.migrations import downgrade, upgrade

TABLES = {
    "catalog_categories",
    "catalog_category_translations",
    "catalog_products",
    "catalog_product_translations",
    "catalog_variants",
    "catalog_images",
}


def _about_models(diff) -> bool:
    text = repr(diff)
    return any(name in text for name in TABLES) and "catalog_search" not in text


def test_the_migrated_schema_matches_the_models(orion_engine):
    """Alembic finds no difference between the migrated tables and the models."""
    import modules.catalog.models  # noqa: F401

    with orion_engine.connect() as connection:
        diffs = compare_metadata(MigrationContext.configure(connection), Base.metadata)

    assert [d for d in diffs if _about_models(d)] == []


def test_the_search_table_exists_only_on_sqlite(orion_engine):
    """SQLite gets the FTS5 table; PostgreSQL searches with to_tsvector instead."""
    names = set(inspect(orion_engine).get_table_names())

    assert ("catalog_search" in names) == (orion_engine.dialect.name == "sqlite")


def test_the_branch_downgrades_and_upgrades_again(orion_engine, tmp_path):
    """catalog@base drops the tables; upgrading brings them back (on a scratch database)."""
    if orion_engine.dialect.name != "sqlite":
        engine = orion_engine
    else:
        engine = make_engine(f"sqlite:///{tmp_path / 'scratch.db'}")
        upgrade(engine)
    try:
        downgrade(engine, "catalog@base")
        assert not (TABLES | {"catalog_search"}) & set(inspect(engine).get_table_names())
    finally:
        upgrade(engine)
    assert TABLES <= set(inspect(engine).get_table_names())
    if engine is not orion_engine:
        engine.dispose()
