"""Environment for a test run, set before any Orion code reads its settings."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def prepare_environment() -> Path:
    """Point Orion at a throw-away data directory and the test database; returns the folder."""
    data_dir = Path(tempfile.mkdtemp(prefix="orion-test-"))
    os.environ["ORION_ENV"] = "test"
    os.environ["ORION_DATA_DIR"] = str(data_dir)
    os.environ["ORION_TASKS_IMMEDIATE"] = "1"
    os.environ.setdefault("ORION_BASE_URL", "http://testserver")
    os.environ.pop("ORION_SECRET_KEY", None)
    url = os.environ.get("ORION_TEST_DATABASE_URL", "").strip()
    if url.startswith("postgresql"):
        url = worker_database_url(url)
    os.environ["ORION_DATABASE_URL"] = url or f"sqlite:///{data_dir / 'orion.db'}"
    return data_dir


def worker_database_url(url: str) -> str:
    """``url`` with a database of this pytest-xdist worker's own (``orion_test_gw1``), so that
    parallel workers never empty each other's tables; unchanged outside xdist."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "").strip()
    if not worker:
        return url
    from sqlalchemy.engine import make_url

    target = make_url(url)
    return target.set(database=f"{target.database}_{worker}").render_as_string(hide_password=False)


def ensure_postgres_database(url: str) -> None:
    """Create the PostgreSQL database named in ``url`` when it does not exist."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    target = make_url(url)
    admin = create_engine(target.set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            exists = connection.scalar(
                text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": target.database}
            )
            if not exists:
                connection.execute(text(f'CREATE DATABASE "{target.database}"'))
    finally:
        admin.dispose()
