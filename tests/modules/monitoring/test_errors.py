"""Unhandled exceptions are kept grouped by type and place, with their count, first and last
time and the last request, redacted; admins see them on the errors page."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from modules.monitoring.models import ErrorGroup
from orion_server.modules.service import module_service

PAGE = "/admin/monitoring/errors"


def _boom(request_id: str = "") -> None:
    raise RuntimeError(f"the oven broke, password=hunter2 {request_id}")


def _other(request_id: str = "") -> None:
    raise KeyError("missing flour")


@pytest.fixture
def raising(orion_app, clean_db):
    """Two routes of the platform that raise, removed after the test; a client that gets the
    500 page instead of the exception."""
    added = []
    for path, endpoint in (("/_pf/test-boom", _boom), ("/_pf/test-other", _other)):
        orion_app.router.add_api_route(path, endpoint, methods=["GET"])
        added.append(orion_app.router.routes[-1])
    # before the catch-all routes of the platform pages
    for route in added:
        orion_app.router.routes.remove(route)
        orion_app.router.routes.insert(0, route)
    with TestClient(orion_app, base_url="http://testserver", raise_server_exceptions=False) as client:
        yield client
    for route in added:
        orion_app.router.routes.remove(route)


def test_unhandled_errors_are_grouped_by_type_and_place_with_their_count(raising, factories, main_platform, db_session):
    for n in range(3):
        response = raising.get(f"/test-boom?request_id={n}&token=s3cret", headers={"User-Agent": "probe/1"})
        assert response.status_code == 500
    assert raising.get("/test-other").status_code == 500
    groups = {g.error_type: g for g in db_session.scalars(select(ErrorGroup))}
    assert set(groups) == {"RuntimeError", "KeyError"}
    boom = groups["RuntimeError"]
    assert boom.count == 3 and groups["KeyError"].count == 1
    assert boom.place.startswith("tests/modules/monitoring/test_errors.py:") and boom.place.endswith("in _boom")
    assert boom.first_seen <= boom.last_seen
    assert boom.platform_id == main_platform.id
    assert "hunter2" not in boom.message and "the oven broke" in boom.message
    assert boom.request["method"] == "GET" and boom.request["path"] == "/test-boom"
    assert boom.request["route"] == "/_pf/test-boom"
    assert dict(boom.request["query"])["request_id"] == "2"  # the last occurrence's
    assert "s3cret" not in str(boom.request)
    assert boom.request["user_agent"] == "probe/1"

    factories.login(raising, factories.admin(language="en"))
    html = raising.get(PAGE + "?lang=en").text
    row = html.split(f'id="error-{boom.id}"')[1].split("</tr>")[0]
    assert "RuntimeError" in row and ">3<" in row and "in _boom" in row
    assert "hunter2" not in html and "s3cret" not in html


def test_where_monitoring_is_off_nothing_is_kept(raising, main_platform, db_session):
    module_service.disable_module(db_session, main_platform.id, "monitoring")
    db_session.commit()
    assert raising.get("/test-boom").status_code == 500
    assert db_session.scalars(select(ErrorGroup)).all() == []


def test_the_errors_page_is_for_platform_admins_only(client, factories, main_platform, db_session):
    factories.login(client, factories.admin(language="en"))
    empty = client.get(PAGE + "?lang=en")
    assert empty.status_code == 200 and 'id="no-errors"' in empty.text
    store = factories.store(main_platform, code="bakery")
    factories.owner(client, store)
    assert client.get(PAGE, follow_redirects=False).status_code == 404
