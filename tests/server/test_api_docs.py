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


def test_storefront_operations_are_described_where_a_client_calls_them(orion_engine, clean_db, main_platform,
                                                                        factories):
    """The storefront's routes are mounted under an internal prefix the platform middleware maps
    a storefront root onto; the description names the storefront root, with its two codes, and
    a client calling a described path reaches the operation."""
    from orion_server.app import create_app
    from orion_server.modules.service import module_service

    module_service.enable_module(factories.db, main_platform.id, "catalog")
    store = factories.store(main_platform, code="described", name="Described")
    app = create_app(get_settings().model_copy(update={"enable_docs": True}))
    with TestClient(app, base_url="http://testserver") as client:
        described = client.get("/openapi.json").json()
        products = "/platforms/{platform_code}/storefront/{store_code}/api/v1/catalog/products"
        assert products in described["paths"]
        assert not [path for path in described["paths"] if path.startswith("/_")]
        parameters = [p["name"] for p in described["paths"][products]["get"]["parameters"]]
        assert parameters[:2] == ["platform_code", "store_code"]
        answer = client.get(products.format(platform_code=main_platform.code, store_code=store.code))
        assert answer.status_code == 200, answer.text
        assert answer.json()["items"] == [] and answer.json()["total"] == 0  # a new store, nothing published
