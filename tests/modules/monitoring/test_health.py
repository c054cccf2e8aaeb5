"""The health page: checks of the installation and of every enabled module per platform, for
platform admins only; /health/ready tells the public only ready or not."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from modules.monitoring.services import health_service
from orion_server.config import get_settings
from orion_server.modules import registry
from orion_server.modules.base import HealthResult
from orion_server.modules.service import module_service

PAGE = "/admin/monitoring/health"
DETAILS = "/api/v1/admin/monitoring/ready"


@pytest.fixture
def monitored(main_platform, db_session):
    """Monitoring on for the main platform (where /admin is served)."""
    module_service.enable_module(db_session, main_platform.id, "monitoring")
    db_session.commit()
    return main_platform


def test_platform_admins_see_every_check(client, factories, monitored, db_session):
    """A platform admin sees the database, task queue, disk, backup and certificate cards and
    each module enabled on their platforms."""
    module_service.enable_module(db_session, monitored.id, "orders")
    db_session.commit()
    factories.login(client, factories.platform_admin(monitored, language="en"))
    response = client.get(PAGE + "?lang=en")
    assert response.status_code == 200
    html = response.text
    for card in ("check-database", "check-tasks", "check-disk", "check-backup", "check-certificate"):
        assert f'id="{card}"' in html
    assert 'id="module-core"' in html and 'id="module-orders"' in html
    assert 'id="module-analytics"' not in html  # on nowhere in reach
    assert "Migrations are up to date" in html
    assert "The base URL is not https" in html


def test_a_failing_module_check_shows_as_a_problem_with_its_sentence(client, factories, monitored, monkeypatch):
    monkeypatch.setattr(registry.get_module("core"), "health_check", lambda: HealthResult(False, "disk on fire"))
    factories.login(client, factories.admin(language="en"))
    html = client.get(PAGE + "?lang=en").text
    row = html.split('id="module-core"')[1].split("</tr>")[0]
    assert "disk on fire" in row and "badge-bad" in row
    assert "Something needs attention" in html


def test_store_staff_and_shoppers_are_told_nothing_is_there(client, factories, monitored):
    store = factories.store(monitored, code="bakery")
    factories.owner(client, store)
    assert client.get(PAGE, follow_redirects=False).status_code == 404
    assert client.get(DETAILS).status_code == 404


def test_the_page_is_404_where_monitoring_is_off(client, factories, main_platform, db_session):
    module_service.disable_module(db_session, main_platform.id, "monitoring")
    db_session.commit()
    factories.login(client, factories.admin())
    assert client.get(PAGE).status_code == 404
    assert client.get(DETAILS).status_code == 404


def test_public_readiness_says_only_ready_and_admins_get_the_details(client, factories, monitored, monkeypatch):
    """/health/ready names no check; the admin API lists them, a failing one with its sentence."""
    public = client.get("/health/ready")
    assert public.status_code == 200 and public.json() == {"status": "ready"}
    factories.login(client, factories.admin())
    details = client.get(DETAILS).json()
    assert details["checks"]["migrations"]["ok"] is True
    assert details["checks"]["modules"]["core"] == {"ok": True}
    monkeypatch.setattr(registry.get_module("core"), "health_check", lambda: HealthResult(False, "disk full"))
    assert client.get("/health/ready").status_code == 503
    assert client.get("/health/ready").json() == {"status": "not_ready"}
    failing = client.get(DETAILS)
    assert failing.status_code == 503
    assert failing.json()["checks"]["modules"]["core"] == {"ok": False, "detail": "disk full"}


def test_the_last_good_backup_is_the_newest_sound_file(tmp_path):
    """An empty or renamed file is passed over; a good backup older than two days is a problem."""
    settings = get_settings().model_copy(update={"data_dir": tmp_path})
    now = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)
    folder = tmp_path / "backups"
    folder.mkdir()
    assert health_service.check_backup(settings, now).detail == "no_backup"
    (folder / "orion-1.0.0-20260309T020000Z-auto.sqlite3").write_bytes(b"SQLite format 3\x00" + b"\x00" * 100)
    (folder / "orion-1.0.0-20260310T020000Z-auto.sqlite3").write_bytes(b"")  # cut off
    (folder / "orion-1.0.0-20260310T030000Z-manual.dump").write_bytes(b"<html>not a dump")
    found = health_service.check_backup(settings, now)
    assert found.ok and found.figures["name"] == "orion-1.0.0-20260309T020000Z-auto.sqlite3"
    late = health_service.check_backup(settings, now + timedelta(days=3))
    assert not late.ok and late.detail == "old_backup"


def test_the_certificate_is_watched_only_over_https():
    now = datetime(2026, 3, 10, tzinfo=UTC)
    plain = get_settings().model_copy(update={"base_url": "http://shop.example.lu"})
    assert health_service.check_certificate(plain, now) is None
    secure = get_settings().model_copy(update={"base_url": "https://shop.example.lu:8443"})
    asked = []

    def expiring_in(days: int):
        def read(host: str, port: int) -> datetime:
            asked.append((host, port))
            return now + timedelta(days=days)
        return read

    fine = health_service.check_certificate(secure, now, read=expiring_in(60))
    assert fine.ok and fine.figures["days_left"] == 60 and asked == [("shop.example.lu", 8443)]
    soon = health_service.check_certificate(secure, now, read=expiring_in(5))
    assert not soon.ok and soon.detail == "certificate_expires_soon"
    gone = health_service.check_certificate(secure, now, read=expiring_in(-1))
    assert gone.detail == "certificate_expired"

    def unreachable(host: str, port: int) -> datetime:
        raise ConnectionRefusedError(111, "Connection refused")

    failed = health_service.check_certificate(secure, now, read=unreachable)
    assert not failed.ok and "shop.example.lu:8443" in failed.detail


def test_low_disk_space_is_a_problem(tmp_path, monkeypatch):
    import shutil
    from collections import namedtuple

    usage = namedtuple("usage", "total used free")
    monkeypatch.setattr(shutil, "disk_usage", lambda _path: usage(100 * 1024**3, 99.5 * 1024**3, 0.5 * 1024**3))
    low = health_service.check_disk(tmp_path)
    assert not low.ok and low.detail == "low_disk"
    monkeypatch.setattr(shutil, "disk_usage", lambda _path: usage(100 * 1024**3, 50 * 1024**3, 50 * 1024**3))
    assert health_service.check_disk(tmp_path).ok
