"""The logs page reads the logs.db the console reads, through the same reader: filters by
level, module, platform, store, time and text, a page at a time, and the support bundle."""

from __future__ import annotations

import io
import json
import logging
import zipfile
from datetime import UTC, datetime, timedelta

import pytest

from orion_server.config import get_settings
from orion_server.logs import LOG_DB, TABLE, open_log_database, setup_logging, shutdown_logging
from orion_server.modules.service import module_service

PAGE = "/admin/monitoring/logs"
logger = logging.getLogger("modules.catalog.services.test_probe")


def _log_from_a_request(message: str = "") -> dict:
    logger.warning("probe %s token=abc123secret", message)
    return {"ok": True}


@pytest.fixture
def logs_db(clean_db, main_platform):
    """The data folder's logs.db, absent at the start and removed afterwards."""
    folder = get_settings().logs_dir
    for leftover in folder.glob(f"{LOG_DB}*"):
        leftover.unlink()
    yield folder / LOG_DB
    shutdown_logging()
    for leftover in folder.glob(f"{LOG_DB}*"):
        leftover.unlink()


@pytest.fixture
def live_logs(orion_app, logs_db):
    """Logging set up as in the server, into the data folder's logs.db; a storefront and a
    platform route that log a warning, removed afterwards."""
    setup_logging("server", level="INFO", logs_dir=logs_db.parent)
    added = []
    for path in ("/_sf/test-log", "/_pf/test-log"):
        orion_app.router.add_api_route(path, _log_from_a_request, methods=["GET"])
        added.append(orion_app.router.routes[-1])
    for route in added:  # before the catch-all routes
        orion_app.router.routes.remove(route)
        orion_app.router.routes.insert(0, route)
    yield logs_db
    for route in added:
        orion_app.router.routes.remove(route)
    shutdown_logging()


def _rows(path, rows):
    database = open_log_database(path)
    database[TABLE].insert_all(rows)
    database.close()


def _row(n: int, *, ts: datetime, level: str = "INFO", source: str = "orders", platform: str | None = None,
         store: str | None = None, message: str = "") -> dict:
    return {"ts": ts.isoformat(timespec="milliseconds"), "level": level, "levelno": logging.getLevelName(level),
            "logger": f"modules.{source}.x", "source": source, "process": "server", "pid": 1, "platform": platform,
            "store": store, "message": message or f"record number {n}", "exception": None}


def test_records_made_by_requests_carry_their_platform_and_store(client, live_logs, factories, main_platform):
    factories.store(main_platform, code="bakery")
    other = factories.platform(code="other", name="Other Market")
    factories.store(other, code="mill")
    assert client.get("/platforms/main/storefront/bakery/test-log?message=from-bakery").status_code == 200
    assert client.get("/platforms/other/storefront/mill/test-log?message=from-mill").status_code == 200
    assert client.get("/test-log?message=from-home").status_code == 200
    shutdown_logging()  # writes what is queued

    factories.login(client, factories.admin(language="en"))
    bakery = client.get(PAGE, params={"store": "bakery", "source": "catalog"}).text
    assert "from-bakery" in bakery and "from-mill" not in bakery and "from-home" not in bakery
    assert "abc123secret" not in bakery
    main = client.get(PAGE, params={"platform": "main", "text": "probe"}).text
    assert "from-bakery" in main and "from-home" in main and "from-mill" not in main
    row = main.split("from-bakery")[0].rsplit("<tr", 1)[1]
    assert "main · bakery" in row and "WARNING" in row


def test_filters_by_level_module_time_and_text_with_pages(client, logs_db, factories):
    now = datetime.now(UTC)
    rows = [_row(500, ts=now - timedelta(days=3), level="ERROR", source="checkout", message="payment 50% refused")]
    rows += [_row(n, ts=now - timedelta(minutes=200 - n)) for n in range(120)]
    rows += [_row(501, ts=now - timedelta(minutes=5), level="WARNING", source="checkout", message="slow gateway")]
    _rows(logs_db, rows)
    factories.login(client, factories.admin(language="en"))

    first = client.get(PAGE).text
    assert "122 records" in first and "slow gateway" in first and "record number 119" in first
    assert "record number 71" in first and "record number 70" not in first  # 50 a page, newest first
    assert 'href="/admin/monitoring/logs?page=2"' in first
    second = client.get(PAGE, params={"page": 2}).text
    assert "record number 70" in second and "record number 71" not in second

    warnings = client.get(PAGE, params={"level": "WARNING"}).text
    assert "slow gateway" in warnings and "payment 50% refused" in warnings and "record number" not in warnings
    assert "2 records" in warnings
    checkout = client.get(PAGE, params={"source": "checkout", "text": "50%"}).text
    assert "payment 50% refused" in checkout and "slow gateway" not in checkout
    local = (now - timedelta(days=1)).astimezone(__import__("zoneinfo").ZoneInfo("Europe/Luxembourg"))
    recent = client.get(PAGE, params={"source": "checkout", "since": local.strftime("%Y-%m-%dT%H:%M")}).text
    assert "slow gateway" in recent and "payment 50% refused" not in recent
    narrowed = client.get(PAGE, params={"text": "nothing like this"})
    assert narrowed.status_code == 200 and 'id="no-logs"' in narrowed.text


@pytest.mark.parametrize(("params", "field", "message"), [
    ({"level": "LOUD"}, "level", "Choose one of the levels of the list."),
    ({"since": "yesterday"}, "since", "Write a date and time such as"),
    ({"since": "2026-12-07T10:00", "until": "2026-12-01T10:00"}, "until", "The end comes before the start."),
    ({"platform": "nowhere"}, "platform", "Choose one of your platforms."),
])
def test_a_filter_that_cannot_be_used_gives_the_form_back_with_its_message(client, logs_db, factories, main_platform,
                                                                          params, field, message):
    factories.login(client, factories.admin(language="en"))
    page = client.get(PAGE, params=params)
    assert page.status_code == 422
    assert f'id="e-{field}"' in page.text and message in page.text


def test_a_platform_admin_reads_only_the_records_of_their_platforms(client, logs_db, factories, main_platform):
    alpha = factories.platform(code="alpha", name="Alpha Market")
    factories.platform(code="bravo", name="Bravo Market")
    now = datetime.now(UTC)
    _rows(logs_db, [_row(1, ts=now, platform="alpha", message="alpha thing"),
                      _row(2, ts=now, platform="bravo", message="bravo thing"),
                      _row(3, ts=now, message="installation thing")])
    factories.login(client, factories.platform_admin(alpha, email="ops@example.lu", language="en"))
    page = client.get(PAGE).text
    assert "alpha thing" in page and "bravo thing" not in page and "installation thing" not in page
    assert client.get(PAGE, params={"platform": "bravo"}).status_code == 422
    assert 'id="support-bundle"' not in page
    assert client.get(PAGE + "/bundle").status_code == 404


def test_the_support_bundle_downloads_the_consoles_zip(client, logs_db, factories):
    now = datetime.now(UTC)
    _rows(logs_db, [_row(1, ts=now - timedelta(minutes=30), message="within the hour password=hunter2"),
                      _row(2, ts=now - timedelta(hours=5), message="five hours ago")])
    factories.login(client, factories.admin(language="en"))
    assert 'id="support-bundle"' in client.get(PAGE).text
    bundle = client.get(PAGE + "/bundle", params={"window": "1h"})
    assert bundle.status_code == 200 and bundle.headers["content-type"] == "application/zip"
    assert "attachment; filename=\"orion-support-" in bundle.headers["content-disposition"]
    archive = zipfile.ZipFile(io.BytesIO(bundle.content))
    assert {"summary.json", "settings.json", "logs.jsonl", "modules.json"} <= set(archive.namelist())
    logs = [json.loads(line) for line in archive.read("logs.jsonl").decode().splitlines()]
    assert [r["message"] for r in logs] == ["within the hour password=***"]
    refused = client.get(PAGE + "/bundle", params={"window": "forever"})
    assert refused.status_code == 422 and "Choose one of the time windows of the list." in refused.text


def test_the_logs_page_is_for_platform_admins_only(client, factories, main_platform, db_session):
    store = factories.store(main_platform, code="bakery")
    factories.owner(client, store)
    assert client.get(PAGE).status_code == 404
    assert client.get(PAGE + "/bundle").status_code == 404
    factories.login(client, factories.admin(language="en"))
    empty = client.get(PAGE)
    assert empty.status_code == 200 and 'id="no-logs"' in empty.text or 'id="table-logs"' in empty.text
    module_service.disable_module(db_session, main_platform.id, "monitoring")
    db_session.commit()
    assert client.get(PAGE).status_code == 404
    assert client.get(PAGE + "/bundle").status_code == 404
