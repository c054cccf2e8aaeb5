"""Scheduled pages go online when their date comes (periodic task ``publish_scheduled_pages``)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from modules.cms.services import content_page_service
from modules.cms.tasks import publish_scheduled_pages, run_publish_scheduled_pages
from tests.modules.cms.conftest import storefront


@pytest.fixture
def shop(factories):
    """A platform with one store."""
    platform = factories.platform(code="lux")
    return platform, factories.store(platform, code="bakery")


def schedule(db, platform, slug: str, when: datetime):
    """Create a page scheduled for ``when`` (created while ``when`` was still in the future)."""
    page = content_page_service.create_page(
        db,
        platform_id=platform.id,
        slug=slug,
        translations={"en": {"title": slug.title()}},
        status="scheduled",
        publish_at=datetime.now(UTC) + timedelta(hours=1),
    )
    page.published_at = when
    db.commit()
    return page


def test_a_scheduled_page_stays_offline_until_its_time(client, db_session, shop):
    """Scheduled for later: not shown, and the task leaves it alone."""
    platform, store = shop
    content_page_service.create_page(
        db_session,
        platform_id=platform.id,
        slug="sale",
        translations={"en": {"title": "Sale"}},
        status="scheduled",
        publish_at=datetime.now(UTC) + timedelta(days=2),
    )

    assert run_publish_scheduled_pages() == []
    assert client.get(storefront(platform, store, "pages/sale")).status_code == 404


def test_due_pages_are_published_by_the_plain_function(client, db_session, shop):
    """publish_due_pages publishes what is due, only that, and keeps the scheduled date."""
    platform, store = shop
    due = schedule(db_session, platform, "due", datetime.now(UTC) - timedelta(minutes=1))
    later = schedule(db_session, platform, "later", datetime.now(UTC) + timedelta(hours=3))

    published = content_page_service.publish_due_pages(db_session)

    assert published == [due.id]
    assert client.get(storefront(platform, store, "pages/due")).status_code == 200
    assert client.get(storefront(platform, store, "pages/later")).status_code == 404
    db_session.refresh(later)
    assert later.status == "scheduled"


def test_publish_due_pages_accepts_the_current_time(db_session, shop):
    """Passing ``now`` decides what is due (tests and catch-up runs)."""
    platform, _store = shop
    page = schedule(db_session, platform, "later", datetime.now(UTC) + timedelta(hours=3))

    assert content_page_service.publish_due_pages(db_session, now=datetime.now(UTC)) == []
    assert content_page_service.publish_due_pages(
        db_session, now=datetime.now(UTC) + timedelta(hours=4)
    ) == [page.id]


def test_the_periodic_task_publishes_due_pages(client, db_session, shop):
    """Calling the huey task (immediate in tests) runs the same publishing inline."""
    platform, store = shop
    schedule(db_session, platform, "due", datetime.now(UTC) - timedelta(seconds=5))

    publish_scheduled_pages()

    assert client.get(storefront(platform, store, "pages/due")).status_code == 200


def test_the_task_runs_every_minute():
    """The periodic task is registered with a once-a-minute schedule."""
    from orion_server.task_queue import huey

    for minute in (0, 17, 59):
        due = huey.read_periodic(datetime(2026, 1, 1, 10, minute))
        assert "publish_scheduled_pages" in {task.name for task in due}


def test_unpublishing_a_scheduled_page_cancels_the_schedule(db_session, shop):
    """A scheduled page taken offline loses its date and is never published by the task."""
    platform, _store = shop
    page = schedule(db_session, platform, "due", datetime.now(UTC) - timedelta(minutes=1))

    content_page_service.unpublish(db_session, page_id=page.id, store_id=None)

    assert content_page_service.publish_due_pages(db_session) == []
    db_session.refresh(page)
    assert page.status == "draft"
