"""The catalog's search index: an FTS5 table on SQLite, none on PostgreSQL (tsvector there).

The schema and the branch's way down and up are checked for every module in
tests/server/test_module_migrations.py."""

from __future__ import annotations

from sqlalchemy import inspect


def test_the_search_table_exists_only_on_sqlite(orion_engine):
    """SQLite gets the FTS5 table; PostgreSQL searches with to_tsvector instead."""
    names = set(inspect(orion_engine).get_table_names())

    assert ("catalog_search" in names) == (orion_engine.dialect.name == "sqlite")
