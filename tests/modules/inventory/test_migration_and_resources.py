"""The inventory_001 migration, the locales and the expiry task."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from modules.inventory.services import inventory_service
from modules.inventory.tasks import run_release_expired
from orion_server.database import Base, make_engine
from orion_server.migrations import downgrade, upgrade
from tests.modules.inventory.conftest import level

TABLES = {"stock_locations", "stock_items", "stock_movements", "stock_reservations"}
LOCALES = Path(__file__).resolve().parents[3] / "modules" / "inventory" / "locales"


def test_the_migrated_schema_matches_the_models(orion_engine):
    """Alembic finds no difference between the migrated tables and the models."""
    import modules.inventory.models  # noqa: F401

    with orion_engine.connect() as connection:
        diffs = compare_metadata(MigrationContext.configure(connection), Base.metadata)

    assert [d for d in diffs if any(name in repr(d) for name in TABLES)] == []


def test_the_branch_downgrades_and_upgrades_again(orion_engine, tmp_path):
    """inventory@base drops the tables; upgrading brings them back (on a scratch database)."""
    if orion_engine.dialect.name != "sqlite":
        engine = orion_engine
    else:
        engine = make_engine(f"sqlite:///{tmp_path / 'scratch.db'}")
        upgrade(engine)
    try:
        downgrade(engine, "inventory@base")
        assert not TABLES & set(inspect(engine).get_table_names())
    finally:
        upgrade(engine)
    assert TABLES <= set(inspect(engine).get_table_names())
    if engine is not orion_engine:
        engine.dispose()


def test_every_language_is_translated():
    """de, fr and lb have the keys of en.json, and most texts differ from the English."""
    english = json.loads((LOCALES / "en.json").read_text(encoding="utf-8"))
    for language in ("de", "fr", "lb"):
        other = json.loads((LOCALES / f"{language}.json").read_text(encoding="utf-8"))
        assert set(other) == set(english), language
        same = [k for k in english if other[k] == english[k]]
        assert len(same) < len(english) // 10, (language, same)


def test_the_periodic_task_releases_expired_holds(db_session, shop, stock):
    """run_release_expired gives back the units of a reservation whose hold ran out."""
    item = stock("BREAD", 5)
    inventory_service.reserve(
        db_session, store_id=shop.id, lines=[("BREAD", 2)], reference="o-1", hold=timedelta(seconds=-1)
    )

    assert run_release_expired() == 1
    assert level(db_session, item) == (5, 0)
