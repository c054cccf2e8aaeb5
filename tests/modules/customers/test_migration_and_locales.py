"""The customers_001 migration matches the models; every text exists in en, de, fr and lb."""

from __future__ import annotations

import json
from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from orion_server.database import Base, make_engine
from orion_server.migrations import downgrade, upgrade

TABLES = {
    "customers",
    "customer_number_counters",
    "customer_addresses",
    "customer_notes",
    "customer_sessions",
    "password_reset_tokens",
    "customer_segments",
}
LOCALES = Path(__file__).resolve().parents[3] / "modules" / "customers" / "locales"


def test_the_migrated_schema_matches_the_models(orion_engine):
    """Alembic finds no difference between the migrated tables and the models."""
    import modules.customers.models  # noqa: F401

    with orion_engine.connect() as connection:
        diffs = compare_metadata(MigrationContext.configure(connection), Base.metadata)

    assert [d for d in diffs if any(name in repr(d) for name in TABLES)] == []


def test_the_branch_downgrades_and_upgrades_again(orion_engine, tmp_path):
    """customers@base drops the tables; upgrading brings them back."""
    if orion_engine.dialect.name != "sqlite":
        engine = orion_engine
    else:
        engine = make_engine(f"sqlite:///{tmp_path / 'scratch.db'}")
        upgrade(engine)
    try:
        downgrade(engine, "customers@base")
        assert not TABLES & set(inspect(engine).get_table_names())
    finally:
        upgrade(engine)
    assert TABLES <= set(inspect(engine).get_table_names())
    if engine is not orion_engine:
        engine.dispose()


def test_every_language_has_the_same_keys_and_real_translations():
    """The four locale files share their keys, and German, French and Luxembourgish differ from English."""
    catalogues = {
        lang: json.loads((LOCALES / f"{lang}.json").read_text())
        for lang in ("en", "de", "fr", "lb")
    }

    for lang in ("de", "fr", "lb"):
        assert set(catalogues[lang]) == set(catalogues["en"])
        same = [k for k, v in catalogues[lang].items() if v == catalogues["en"][k]]
        assert len(same) < len(catalogues["en"]) / 10, same


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
