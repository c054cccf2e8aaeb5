"""Separate databases for tests that need their own (migrations from empty, CLI, servers)."""

from __future__ import annotations

import os
import uuid
from pathlib import Path


def fresh_database_url(tmp_path: Path) -> str:
    """A new empty database of the kind under test: a SQLite file, or a new PostgreSQL database."""
    base = os.environ.get("ORION_TEST_DATABASE_URL", "").strip()
    if not base:
        return f"sqlite:///{tmp_path / 'orion.db'}"
    from sqlalchemy.engine import make_url

    from orion_server.testing.environment import ensure_postgres_database

    url = make_url(base).set(database=f"orion_t_{uuid.uuid4().hex[:10]}")
    rendered = url.render_as_string(hide_password=False)
    ensure_postgres_database(rendered)
    return rendered


def drop_database(url: str) -> None:
    """Remove a PostgreSQL database made by fresh_database_url (SQLite files go with tmp_path)."""
    if not url.startswith("postgresql"):
        return
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    target = make_url(url)
    admin = create_engine(target.set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{target.database}" WITH (FORCE)'))
    finally:
        admin.dispose()
