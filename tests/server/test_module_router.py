"""ModuleRouter: a route file's routes are built once, where the framework mounts them."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from fastapi import Depends, FastAPI, WebSocket
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient

from orion_server.routing import ModuleRouter


def first() -> None: ...
def second() -> None: ...
def third() -> None: ...


def test_declaring_builds_nothing_and_mounting_builds_each_route_once():
    inner = ModuleRouter(dependencies=[Depends(second)])
    outer = ModuleRouter(dependencies=[Depends(first)])

    @inner.get("/{item_id}", dependencies=[Depends(third)])
    def read(item_id: int) -> dict:
        return {"id": item_id}

    outer.include_router(inner, prefix="/items")
    assert outer.routes == [] and inner.routes == []  # nothing analysed where declared

    app = FastAPI()
    for path, endpoint, options in outer.build_arguments():
        app.router.add_api_route("/shop" + path, endpoint, **options)
    route = app.router.routes[-1]
    assert isinstance(route, APIRoute) and route.path == "/shop/items/{item_id}"
    # the outer router's dependencies, then the inner's, then the route's own
    assert [d.dependency for d in route.dependencies] == [first, second, third]
    assert TestClient(app).get("/shop/items/7").json() == {"id": 7}


def test_a_module_router_refuses_what_it_cannot_mount():
    router = ModuleRouter()
    from fastapi import APIRouter

    with pytest.raises(TypeError, match="only ModuleRouters"):
        router.include_router(APIRouter())
    with pytest.raises(TypeError, match="a prefix only"):
        router.include_router(ModuleRouter(), tags=["x"])

    @router.websocket("/live")
    async def live(socket: WebSocket) -> None: ...

    with pytest.raises(TypeError, match="get/post"):
        list(router.build_arguments())


def test_csrf_exemption_is_said_where_the_router_is_made():
    assert ModuleRouter(csrf_exempt=True).csrf_exempt and not ModuleRouter().csrf_exempt


def test_the_app_analyses_each_route_once_before_serving(tmp_path: Path):
    """FastAPI analyses a route (its dependencies, its models) each time it builds one; with
    plain routers it did so where a route was declared and again where the router was included,
    on the first request. Every route of the app is analysed once, while the app is built."""
    script = textwrap.dedent("""
        import fastapi.routing as routing

        built = []
        analyse = routing._populate_api_route_state

        def counting(route, path, *args, **kwargs):
            built.append(path)
            return analyse(route, path, *args, **kwargs)

        routing._populate_api_route_state = counting
        from orion_server.app import create_app

        app = create_app()
        at_start = len(built)
        routes = list(routing.iter_route_contexts(app.routes))
        print(at_start, len(built), len(routes))
    """)
    env = {k: v for k, v in os.environ.items() if not k.startswith("ORION_")}
    env.update(ORION_DATA_DIR=str(tmp_path), ORION_DATABASE_URL=f"sqlite:///{tmp_path / 'orion.db'}")
    result = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    at_start, after_walk, routes = map(int, result.stdout.split()[-3:])
    assert routes > 200
    # only the framework's own health router (a few routes, included as FastAPI does) is
    # analysed again when first walked; before, every route was (2 analyses per route)
    assert after_walk - routes <= 4, f"{after_walk} analyses for {routes} routes"
    assert after_walk - at_start <= 4, f"{after_walk - at_start} routes were built after the app was"


def test_each_signature_is_read_once_while_the_app_is_built(tmp_path: Path):
    """FastAPI read a dependency's signature (evaluating its string annotations) for every route
    using it: 4,000 readings of 260 callables. Built by the framework, each is read once, and
    FastAPI's own function is in place again afterwards."""
    script = textwrap.dedent("""
        import collections
        import fastapi.dependencies.utils as utils

        reads = collections.Counter()
        read = utils._get_signature

        def counting(call):
            reads[id(call)] += 1
            return read(call)

        utils._get_signature = counting
        original = utils.get_typed_signature
        from orion_server.app import create_app

        create_app()
        print(sum(reads.values()), len(reads), utils.get_typed_signature is original)
    """)
    env = {k: v for k, v in os.environ.items() if not k.startswith("ORION_")}
    env.update(ORION_DATA_DIR=str(tmp_path), ORION_DATABASE_URL=f"sqlite:///{tmp_path / 'orion.db'}")
    result = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    total, distinct, restored = result.stdout.split()[-3:]
    assert int(distinct) > 200
    # endpoints are read twice (parameters, then the return annotation): at most that per callable
    assert int(total) <= 2 * int(distinct), f"{total} readings of {distinct} callables"
    assert restored == "True"


def test_signatures_read_once_gives_fastapi_its_function_back_after_a_failed_build():
    from fastapi.dependencies import utils

    from orion_server.routing import signatures_read_once

    original = utils.get_typed_signature
    with pytest.raises(RuntimeError), signatures_read_once():
        assert utils.get_typed_signature is not original
        assert utils.get_typed_signature(first) is utils.get_typed_signature(first)
        raise RuntimeError("a route file failed to import")
    assert utils.get_typed_signature is original


def test_routes_are_tried_shoppers_first_and_every_path_finds_the_route_it_found_before():
    """The app tries the storefront's routes first (a request is matched against the routes one
    by one). Ordering by kind of route file instead of by module changes no match: each route's
    own path, filled with sample values, reaches the same route as in the module-by-module order."""
    import re

    from starlette.routing import Match

    from orion_server.app import create_app
    from orion_server.modules import registry
    from orion_server.modules.routes import ROUTE_FILES

    app = create_app()
    module_routes = [r for r in app.router.routes if isinstance(r, APIRoute) and r.tags and r.tags[0] in registry.MODULES]
    assert len(module_routes) > 200
    assert module_routes[0].path.startswith("/_sf/")  # the shoppers' routes come first

    def kind(route: APIRoute) -> int:
        code = route.tags[0]
        for index, route_file in enumerate(ROUTE_FILES):
            prefix = route_file.prefix(code)
            if route.path.startswith(prefix) and (route_file.kind == "api") == ("/api/" in prefix):
                return index
        raise AssertionError(route.path)

    modules = list(registry.MODULES)
    module_major = [("api", "admin"), ("api", "store"), ("api", "storefront"), ("pages", "admin"),
                    ("pages", "store"), ("pages", "storefront"), ("pages", "platform")]  # the order before

    def before(route: APIRoute) -> tuple[int, int]:
        route_file = ROUTE_FILES[kind(route)]
        return modules.index(route.tags[0]), module_major.index((route_file.kind, route_file.frontend.value))

    old_order = sorted(module_routes, key=before)

    def first_match(routes: list[APIRoute], path: str, method: str) -> APIRoute | None:
        scope = {"type": "http", "path": path, "method": method, "root_path": ""}
        for route in routes:
            if route.matches(scope)[0] is Match.FULL:
                return route
        return None

    for route in module_routes:
        path = re.sub(r"\{([^}:]+)(:[^}]+)?\}", lambda m: "7" if m.group(2) == ":int" else "sample-7", route.path)
        method = sorted(route.methods)[0]
        assert first_match(module_routes, path, method) is first_match(old_order, path, method), path
