"""The API's own description (issue 10): with ORION_ENABLE_DOCS=1, /openapi.json and /docs are
served (the platform middleware used to take the paths and answer 404); without it, neither
exists."""

from __future__ import annotations

from fastapi.testclient import TestClient

from orion_server.config import get_settings


def test_the_docs_are_served_when_enabled(orion_engine, clean_db, main_platform):
    from orion_server.app import create_app

    app = create_app(get_settings().model_copy(update={"enable_docs": True}))
    with TestClient(app, base_url="http://testserver") as client:
        schema = client.get("/openapi.json")
        assert schema.status_code == 200
        assert "/api/v1/admin/tenancy/platforms" in schema.json()["paths"]
        viewer = client.get("/docs")
        assert viewer.status_code == 200 and "swagger" in viewer.text.lower()
        assert client.get("/openapi.json", headers={"host": "rebind.attacker.example"}).status_code == 400


def test_the_docs_do_not_exist_by_default(client, main_platform):
    assert client.get("/openapi.json").status_code == 404
    assert client.get("/docs").status_code == 404
