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


def test_every_path_parameter_is_declared(orion_engine, clean_db, main_platform):
    """``{store_code}`` of the store API is declared too (the platform middleware, not the route,
    reads it): a client generated from the description, or schemathesis, can fill every path
    (issue 10: the store operations' paths named a parameter the description did not)."""
    import re

    from orion_server.app import create_app

    app = create_app(get_settings().model_copy(update={"enable_docs": True}))
    with TestClient(app, base_url="http://testserver") as client:
        paths = client.get("/openapi.json").json()["paths"]
    undeclared = [
        f"{method.upper()} {path}: {name}"
        for path, operations in paths.items() for method, operation in operations.items()
        for name in re.findall(r"{(\w+)}", path)
        if name not in {p["name"] for p in operation.get("parameters", []) if p["in"] == "path"}
    ]
    assert not undeclared, undeclared
    orders = paths["/api/v1/store/{store_code}/orders"]["get"]["parameters"]
    store_code = next(p for p in orders if p["name"] == "store_code")
    assert store_code["in"] == "path" and store_code["required"] and store_code["schema"]["type"] == "string"
