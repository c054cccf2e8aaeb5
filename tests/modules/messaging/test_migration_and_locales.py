"""The messaging_001 migration matches the models; the locales are complete and translated."""

from __future__ import annotations

import json
from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from orion_server.database import Base, make_engine
from orion_server.migrations import downgrade, upgrade

TABLES = {
    "email_templates",
    "email_outbox",
    "smtp_settings",
    "notifications",
    "conversations",
    "conversation_messages",
}
LOCALES = Path(__file__).resolve().parents[3] / "modules" / "messaging" / "locales"


def test_the_migrated_schema_matches_the_models(orion_engine):
    """Alembic finds no difference between the migrated tables and the models."""
    import modules.messaging.models  # noqa: F401

    with orion_engine.connect() as connection:
        diffs = compare_metadata(MigrationContext.configure(connection), Base.metadata)

    assert [d for d in diffs if any(name in repr(d) for name in TABLES)] == []


def test_the_branch_downgrades_and_upgrades_again(orion_engine, tmp_path):
    """messaging@base drops the tables; upgrading brings them back."""
    if orion_engine.dialect.name != "sqlite":
        engine = orion_engine
    else:
        engine = make_engine(f"sqlite:///{tmp_path / 'scratch.db'}")
        upgrade(engine)
    try:
        downgrade(engine, "messaging@base")
        assert not TABLES & set(inspect(engine).get_table_names())
    finally:
        upgrade(engine)
    assert TABLES <= set(inspect(engine).get_table_names())
    if engine is not orion_engine:
        engine.dispose()


def test_every_language_has_the_same_keys_and_real_translations():
    """en, de, fr and lb share their keys; most German and French texts differ from English."""
    catalogues = {lang: json.loads((LOCALES / f"{lang}.json").read_text("utf-8")) for lang in ("en", "de", "fr", "lb")}
    keys = set(catalogues["en"])

    for lang, messages in catalogues.items():
        assert set(messages) == keys, lang
        if lang != "en":
            same = [k for k in keys if messages[k] == catalogues["en"][k]]
            assert len(same) < len(keys) * 0.15, (lang, same)
