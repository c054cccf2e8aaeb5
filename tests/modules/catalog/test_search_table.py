"""The catalog's search index: an FTS5 table on SQLite, stored tsvector documents on PostgreSQL.

The schema and the branch's way down and up are checked for every module in
tests/server/test_module_migrations.py."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import event, inspect

from modules.catalog.services import catalog_service
from orion_server.migrations import downgrade, upgrade


def test_both_databases_have_a_search_table(orion_engine):
    """SQLite gets the FTS5 table; PostgreSQL a table of tsvector documents."""
    assert "catalog_search" in set(inspect(orion_engine).get_table_names())


def _postgres_only(engine) -> None:
    if engine.dialect.name != "postgresql":
        pytest.skip("PostgreSQL's stored documents")


@pytest.fixture
def shelf(factories, db_session):
    """Store ``bakery`` (French first) with a baguette and a croissant."""
    store = factories.store(factories.platform(code="lux"), code="bakery", languages=["fr", "en"],
                            default_language="fr")
    factories.product(store, "baguette", titles={"fr": "Baguette dorée", "en": "Golden baguette"},
                      sku="BG-1")
    factories.product(store, "croissant", titles={"fr": "Croissant au beurre"}, sku="CR-1")
    db_session.commit()
    return store


def _found(db_session, store, q: str, language: str = "fr") -> list[str]:
    page = catalog_service.list_storefront(db_session, store_id=store.id, language=language, q=q)
    return sorted(card.slug for card in page.items)


def test_postgres_searches_the_stored_documents_through_the_languages_index(orion_engine, db_session, shelf):
    """No document is computed while searching, and the plan reads the language's GIN index."""
    _postgres_only(orion_engine)
    searches: list[tuple[str, Any]] = []

    def seen(_conn, _cursor, statement, parameters, _context, _many):
        if "@@" in statement:
            searches.append((statement, parameters))

    event.listen(orion_engine, "before_cursor_execute", seen)
    try:
        assert _found(db_session, shelf, "dor") == ["baguette"]
    finally:
        event.remove(orion_engine, "before_cursor_execute", seen)
    assert searches and all("to_tsvector" not in statement for statement, _ in searches)
    # the language is in the query itself, so the planner can use the language's partial index
    assert all("language = 'fr'" in statement for statement, _ in searches)
    # and that language has a GIN index of its own on the documents (the planner takes it once
    # the table is large; on a test's few rows any plan is as cheap)
    with orion_engine.connect() as connection:
        definition = connection.exec_driver_sql(
            "SELECT indexdef FROM pg_indexes WHERE indexname = 'ix_catalog_search_fr'").scalar_one()
    assert "USING gin (document)" in definition and "'fr'" in definition


def test_postgres_documents_follow_every_change(orion_engine, db_session, shelf):
    """A new title is found and the old one is not; a deleted product is gone; each language
    searches its own text, falling back to the default language's."""
    _postgres_only(orion_engine)
    assert _found(db_session, shelf, "golden", "en") == ["baguette"]
    assert _found(db_session, shelf, "beurre", "en") == ["croissant"], "no English text: the French one"
    assert _found(db_session, shelf, "golden", "fr") == []
    croissant = catalog_service.get_product_for_storefront(db_session, store_id=shelf.id, slug="croissant",
                                                           language="fr")
    catalog_service.update_product(db_session, store_id=shelf.id, product_id=croissant.id,
                                   translations={"fr": {"title": "Pain au chocolat"}})
    db_session.commit()
    assert _found(db_session, shelf, "beurre") == []
    assert _found(db_session, shelf, "chocolat") == ["croissant"]
    catalog_service.delete_product(db_session, store_id=shelf.id, product_id=croissant.id)
    db_session.commit()
    assert _found(db_session, shelf, "chocolat") == []


def test_postgres_documents_are_written_for_the_products_there_were(orion_engine, db_session, shelf):
    """catalog_003 fills the table from the products already in the database."""
    _postgres_only(orion_engine)
    db_session.close()
    downgrade(orion_engine, "catalog@catalog_002")
    try:
        assert "catalog_search" not in inspect(orion_engine).get_table_names()
    finally:
        upgrade(orion_engine)
    assert _found(db_session, shelf, "dor") == ["baguette"]
    assert _found(db_session, shelf, "bg") == ["baguette"], "the SKUs are in the document"
    assert _found(db_session, shelf, "beurre", "en") == ["croissant"]
