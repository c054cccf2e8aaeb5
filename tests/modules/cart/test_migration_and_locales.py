"""The cart_001 migration and the locales."""

from __future__ import annotations

import json
from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from orion_server.database import Base

LOCALES = Path(__file__).resolve().parents[3] / "modules" / "cart" / "locales"


def test_the_migrated_schema_matches_the_models(orion_engine):
    """Alembic finds no difference between the migrated cart tables and the models."""
    import modules.cart.models  # noqa: F401

    with orion_engine.connect() as connection:
        diffs = compare_metadata(MigrationContext.configure(connection), Base.metadata)

    assert [d for d in diffs if "cart" in repr(d)] == []


def test_every_language_has_the_same_keys():
    """de, fr and lb translate every English key."""
    english = json.loads((LOCALES / "en.json").read_text(encoding="utf-8"))
    for language in ("de", "fr", "lb"):
        other = json.loads((LOCALES / f"{language}.json").read_text(encoding="utf-8"))
        assert set(other) == set(english), language
