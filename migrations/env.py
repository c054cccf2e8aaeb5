"""Alembic environment: runs on the engine Orion gives it (or the settings' database)."""

from __future__ import annotations

import importlib
import importlib.util

from alembic import context

import orion_server.models  # noqa: F401  (framework tables on Base.metadata)
from orion_server.database import Base
from orion_server.database import db as database
from orion_server.modules import registry

for _module in registry.MODULES.values():
    _dotted = f"{_module.package}.models"
    try:
        _spec = importlib.util.find_spec(_dotted)
    except ModuleNotFoundError:
        _spec = None
    if _spec is not None:
        importlib.import_module(_dotted)

config = context.config
target_metadata = Base.metadata


def run_migrations_online() -> None:
    engine = config.attributes.get("engine") or database.engine
    with engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            render_as_batch=connection.dialect.name == "sqlite",
            transaction_per_migration=True,
        )
        with context.begin_transaction():
            context.run_migrations()
        connection.commit()


if context.is_offline_mode():
    raise SystemExit("offline migrations are not supported; run against a database")
run_migrations_online()
