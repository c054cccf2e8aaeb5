"""The audit log, readable: admins filter every entry by who, platform, store, area, action and
dates; a store's owners read their store's entries; settings changes show before and after."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from orion_server import audit
from orion_server.database import utcnow
from orion_server.models import AuditEntry
from orion_server.tenancy import tenancy_service


@pytest.fixture
def world(factories, main_platform, db_session):
    boss = factories.admin(email="boss@example.lu")
    market = factories.platform(code="market", name="Market")
    bakery = factories.store(main_platform, code="bakery", name="Bakery")
    books = factories.store(market, code="books", name="Books")
    tenancy_service.update_store(db_session, "bakery", name="Bakery Dupont", user_id=boss.id)
    return boss, market, bakery, books


def _rows(page_text: str) -> int:
    return page_text.split("<tbody>")[1].split("</tbody>")[0].count("<tr>") if "<tbody>" in page_text else 0


def test_an_admin_reads_every_entry_with_before_and_after(client, world, factories):
    boss, *_ = world
    factories.login(client, boss)
    page = client.get("/admin/audit", headers={"accept-language": "en"})
    assert page.status_code == 200 and "Audit log" in page.text
    assert "name</strong>: Bakery → Bakery Dupont" in page.text
    assert 'href="/admin/audit"' in page.text  # in the menu


@pytest.mark.parametrize(
    ("query", "expected_actions"),
    [
        ("platform=market", {"platform.create", "store.create"}),
        ("store=books", {"store.create"}),
        ("module=store", {"store.create", "store.update"}),
        ("action=update", {"store.update"}),
        ("who=boss", {"store.update"}),
    ],
)
def test_the_filters_narrow_the_log(client, world, factories, db_session, query, expected_actions):
    boss, *_ = world
    factories.login(client, boss)
    page = client.get(f"/admin/audit?{query}", headers={"accept-language": "en"})
    assert page.status_code == 200
    shown = {a for a in db_session.scalars(select(AuditEntry.action).distinct()) if f'title="{a}"' in page.text}
    assert shown == expected_actions


def test_dates_narrow_the_log_and_bad_dates_are_ignored(client, world, factories, db_session):
    boss, *_ = world
    old = db_session.scalar(select(AuditEntry).where(AuditEntry.action == "store.update"))
    old.created_at = utcnow() - timedelta(days=40)
    db_session.commit()
    factories.login(client, boss)
    since = (utcnow() - timedelta(days=1)).date().isoformat()
    recent = client.get(f"/admin/audit?since={since}")
    assert 'title="store.update"' not in recent.text and 'title="store.create"' in recent.text
    until = (utcnow() - timedelta(days=30)).date().isoformat()
    assert _rows(client.get(f"/admin/audit?until={until}").text) == 1
    assert client.get("/admin/audit?since=not-a-date").status_code == 200


def test_an_unknown_store_code_finds_nothing(client, world, factories):
    boss, *_ = world
    factories.login(client, boss)
    page = client.get("/admin/audit?store=nowhere", headers={"accept-language": "en"})
    assert page.status_code == 200 and "No entry matches these filters" in page.text


def test_the_log_is_paginated(client, world, factories, db_session):
    boss, *_ = world
    for n in range(audit.PER_PAGE + 5):
        audit.record(db_session, "test.entry", target=f"thing {n}")
    db_session.commit()
    factories.login(client, boss)
    first = client.get("/admin/audit?module=test", headers={"accept-language": "en"})
    assert _rows(first.text) == audit.PER_PAGE and "1 / 2" in first.text
    second = client.get("/admin/audit?module=test&page=2")
    assert _rows(second.text) == 5


def test_an_owner_reads_only_their_stores_entries(client, world, factories):
    _boss, _market, bakery, _books = world
    factories.owner(client, bakery)
    page = client.get("/store/bakery/audit", headers={"accept-language": "en"})
    assert page.status_code == 200
    assert 'title="store.update"' in page.text and 'title="store.create"' in page.text
    assert "Books" not in page.text and 'title="platform.create"' not in page.text
    assert 'href="/store/bakery/audit"' in page.text


def test_staff_without_the_permission_neither_see_nor_open_it(client, world, factories):
    _boss, _market, bakery, _books = world
    member = factories.staff(bakery, role="staff", permissions=["core.dashboard.view"])
    factories.login(client, member)
    assert 'href="/store/bakery/audit"' not in client.get("/store/bakery/").text
    assert client.get("/store/bakery/audit").status_code == 403
