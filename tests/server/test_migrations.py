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
