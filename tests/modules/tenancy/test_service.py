"""Rules of the tenancy service that the HTTP tests do not show directly."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from orion_server.database import db
from orion_server.errors import ConflictError
from orion_server.models import Platform
from orion_server.tenancy import CascadeChangedError, tenancy_service
from tests.modules.tenancy.helpers import enabled_modules


def test_a_session_that_already_read_still_writes_on_fresh_data(db_session, main_platform):
    """Like a request that loaded its user first, a reading session writes after another writer."""
    reader = db.session()
    try:
        reader.scalar(select(Platform.id))  # opens the reader's transaction (and its snapshot)
        tenancy_service.create_platform(db_session, code="meanwhile", name="Meanwhile")
        assert tenancy_service.create_platform(reader, code="later", name="Later").id
        with pytest.raises(ConflictError):
            tenancy_service.create_platform(reader, code="meanwhile", name="Seen")
    finally:
        reader.close()


def test_a_failed_write_releases_the_session(db_session, main_platform):
    """After a refused change the same session can go on writing at once."""
    with pytest.raises(ConflictError):
        tenancy_service.create_platform(db_session, code="main", name="Twice")
    assert not db_session.in_transaction()
    assert tenancy_service.create_platform(db_session, code="next", name="Next").code == "next"


def test_a_confirmed_cascade_is_applied_only_if_it_is_still_the_same(db_session, main_platform):
    """change_module with expected refuses a cascade that moved, and changes nothing then."""
    preview = tenancy_service.change_module(db_session, "main", "checkout", "enable", dry_run=True)
    tenancy_service.change_module(db_session, "main", "orders", "enable")
    with pytest.raises(CascadeChangedError) as refused:
        tenancy_service.change_module(
            db_session, "main", "checkout", "enable", expected=preview.changed
        )
    assert "orders" not in refused.value.change.changed
    assert "checkout" not in enabled_modules(db_session, main_platform.id)
    applied = tenancy_service.change_module(
        db_session, "main", "checkout", "enable", expected=refused.value.change.changed
    )
    assert "checkout" in applied.changed
