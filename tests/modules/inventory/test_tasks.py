"""Inventory's periodic task."""

from __future__ import annotations

from datetime import timedelta

from modules.inventory.services import inventory_service
from modules.inventory.tasks import run_release_expired
from tests.modules.inventory.conftest import level


def test_the_periodic_task_releases_expired_holds(db_session, shop, stock):
    """run_release_expired gives back the units of a reservation whose hold ran out."""
    item = stock("BREAD", 5)
    inventory_service.reserve(
        db_session, store_id=shop.id, lines=[("BREAD", 2)], reference="o-1", hold=timedelta(seconds=-1)
    )

    assert run_release_expired() == 1
    assert level(db_session, item) == (5, 0)
