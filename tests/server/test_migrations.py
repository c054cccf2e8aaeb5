"""Migrations run from empty, all the way down, and up again, on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from sqlalchemy import inspect

from orion_server.database import make_engine
from orion_server.migrations import branch_states, downgrade, head_revisions, pending_heads, upgrade
from tests.support.databases import drop_database, fresh_database_url


@pytest.fixture
def empty_engine(tmp_path):
    url = fresh_database_url(tmp_path)
    engine = make_engine(url)
    yield engine
    engine.dispose()
    drop_database(url)


def test_upgrade_from_empty_then_downgrade_to_base_then_upgrade_again(empty_engine):
    """Every branch goes up, all the way down, and up again without error."""
    upgrade(empty_engine)
    tables = set(inspect(empty_engine).get_table_names())
    assert {"platforms", "stores", "users", "platform_modules", "config_revision", "audit_log"} <= tables
    assert not pending_heads(empty_engine)
    downgrade(empty_engine, "base")
    assert set(inspect(empty_engine).get_table_names()) <= {"alembic_version"}
    upgrade(empty_engine)
    assert not pending_heads(empty_engine)


def test_every_module_branch_is_labelled_with_its_code(empty_engine):
    """Each migration branch carries a label: the framework's 'orion' or a module code."""
    from orion_server.modules import registry

    upgrade(empty_engine)
    labels = {state["branch"] for state in branch_states(empty_engine)}
    assert "orion" in labels
    assert labels <= {"orion", *registry.MODULES}
    assert all(state["current"] == state["head"] for state in branch_states(empty_engine))
    assert len(head_revisions()) == len(labels)


def test_pending_heads_are_reported_on_an_empty_database(empty_engine):
    """An empty database has every head pending."""
    assert pending_heads(empty_engine) == head_revisions()


CHECK_AT_START = """
import json, sys
from orion_server.database import db
from orion_server.migrations import pending_heads
print(json.dumps({"pending": sorted(pending_heads(db.engine)), "alembic": "alembic" in sys.modules}))
"""


def test_a_start_reads_the_revision_files_only_when_they_changed(tmp_path):
    """The server checks the database is at every head at each start; the heads are kept in the
    data folder with a fingerprint of the revision files, so a start after the first one does not
    import Alembic and execute every revision file (0.15 s), unless the files changed."""
    import json
    import os
    import subprocess
    import sys

    from orion_server.migrations import HEADS_FILE
    from tests.support.cli import Installation

    installation = Installation(tmp_path / "data", fresh_database_url(tmp_path))
    try:
        assert installation.run("init", "--admin-email", "a@example.lu", "--admin-password",
                                "Heads-pass-2026").returncode == 0

        def start() -> dict:
            result = subprocess.run([sys.executable, "-c", CHECK_AT_START], env=installation.env(),
                                    capture_output=True, text=True, timeout=120)
            assert result.returncode == 0, result.stderr[-2000:]
            return json.loads(result.stdout.strip().splitlines()[-1])

        kept = tmp_path / "data" / HEADS_FILE
        assert start() == {"pending": [], "alembic": True}  # the first start reads the files
        assert start() == {"pending": [], "alembic": False}
        assert set(json.loads(kept.read_text())["heads"]) == head_revisions()

        stored = json.loads(kept.read_text())
        stored["files"][0][1] += 1  # a revision file changed (an upgraded Orion, say)
        stored["heads"] = ["not-a-revision"]
        kept.write_text(json.dumps(stored))
        assert start() == {"pending": [], "alembic": True}  # read again, and right
        assert set(json.loads(kept.read_text())["heads"]) == head_revisions()

        kept.write_text("{half a fil")  # cut short: read the files again
        assert start() == {"pending": [], "alembic": True}
        assert start()["alembic"] is False
    finally:
        drop_database(installation.database_url)
    assert os.name != "posix" or (kept.stat().st_mode & 0o077) == 0
