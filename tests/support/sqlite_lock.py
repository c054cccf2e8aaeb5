"""Whether another connection could write to the SQLite test database right now (a shopper's
write while slow work runs): the check of the tests that slow work holds no write lock."""

from __future__ import annotations

import sqlite3
from typing import Any


def another_writer_gets_in(engine: Any, timeout: float = 0.5) -> str:
    """``written`` when a fresh connection takes the write lock within ``timeout``, else why not."""
    other = sqlite3.connect(engine.url.database, timeout=timeout, isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")
        other.execute("ROLLBACK")
        return "written"
    except sqlite3.OperationalError as exc:
        return str(exc)
    finally:
        other.close()
