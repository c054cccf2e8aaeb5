"""Find each module's route files and mount them behind the module gate.

| file | mounted at |
|---|---|
| ``routes/api/admin.py`` | ``/api/v1/admin/{code}`` |
| ``routes/api/store.py`` | ``/api/v1/store/{store_code}/{code}`` |
| ``routes/api/storefront.py`` | ``{storefront root}api/v1/{code}`` |
| ``routes/pages/admin.py`` | ``/admin`` |
| ``routes/pages/store.py`` | ``/store`` (paths start with ``/{store_code}``) |
| ``routes/pages/storefront.py`` | the storefront root |
| ``routes/pages/platform.py`` | the platform root |

Each file exports a ``ModuleRouter`` (``orion_server.routing``); its routes are built here, once,
with the file's prefix. Every route gets two dependencies the author cannot forget: the module
gate (404 where the module is off for the request's platform) and CSRF verification of unsafe
methods (a router can opt out with ``ModuleRouter(csrf_exempt=True)``, for webhooks that carry
their own signature).
A third one refuses NUL characters in any input (422), which PostgreSQL text cannot hold. API
routers refuse ``true``/``false`` where a JSON body's schema wants a number (422; pydantic would
read 1 or 0); page routers answer 404 for a path id no table can hold (``refuse_impossible_ids``).
Store API routers also get ``store_in_path``, which declares the ``{store_code}`` of their prefix
in the API description (the platform middleware, not the route, resolves the store from it).
"""

from __future__ import annotations

import importlib
import importlib.util
from dataclasses import dataclass

from fastapi import Depends, FastAPI, HTTPException, Path, Request
from fastapi.routing import APIRoute
from starlette.concurrency import run_in_threadpool

from orion_server.database import db as database
from orion_server.deps import (
    CsrfProtected,
    refuse_booleans_for_numbers,
    refuse_impossible_ids,
    refuse_nul,
    route_guard,
    storefront_shopper_language,
)
from orion_server.middleware.platform_context import PLATFORM_PREFIX, STOREFRONT_PREFIX
from orion_server.modules.base import ModuleDefinition
from orion_server.modules.enums import FrontendType
from orion_server.modules.service import module_service
from orion_server.openapi_errors import document_errors
from orion_server.routing import ModuleRouter, signatures_read_once

ROUTER_NAMES = ("router", "admin_router", "store_router")


@dataclass(frozen=True)
class RouteFile:
    """Where one kind of route file goes."""

    kind: str  # "api" or "pages"
    frontend: FrontendType

    @property
    def module_suffix(self) -> str:
        return f"routes.{self.kind}.{self.frontend.value}"

    def prefix(self, code: str) -> str:
        if self.kind == "api":
            return {
                FrontendType.ADMIN: f"/api/v1/admin/{code}",
                FrontendType.STORE: f"/api/v1/store/{{store_code}}/{code}",
                FrontendType.STOREFRONT: f"{STOREFRONT_PREFIX}/api/v1/{code}",
            }[self.frontend]
        return {
            FrontendType.ADMIN: "/admin",
            FrontendType.STORE: "/store",
            FrontendType.STOREFRONT: STOREFRONT_PREFIX,
            FrontendType.PLATFORM: PLATFORM_PREFIX,
        }[self.frontend]


ROUTE_FILES = [
    RouteFile("api", FrontendType.STOREFRONT),
    RouteFile("pages", FrontendType.STOREFRONT),
    RouteFile("pages", FrontendType.PLATFORM),
    RouteFile("api", FrontendType.STORE),
    RouteFile("pages", FrontendType.STORE),
    RouteFile("api", FrontendType.ADMIN),
    RouteFile("pages", FrontendType.ADMIN),
]
"""The kinds of route file, in the order their routes are tried: a request is matched against
the app's routes one by one (Starlette), so the shoppers' routes come first; before, a storefront
page was tried against every admin and dashboard route of the modules before it (a quarter of
a small page's time under load). The kinds' prefixes do not overlap, so the order between them
changes no match; within a kind, modules keep their dependency order."""


def module_gate(code: str):
    """A dependency answering 404 when ``code`` is off for the request's platform."""

    def ask_database(platform_id: int) -> bool:
        session = database.session()
        try:
            return module_service.is_module_enabled(session, platform_id, code)
        finally:
            session.close()

    @route_guard
    async def gate(request: Request) -> None:
        platform = getattr(request.state, "platform", None)
        if platform is None:
            raise HTTPException(status_code=404)
        known = module_service.enabled_codes_if_known(platform.id)
        enabled = code in known if known is not None else await run_in_threadpool(ask_database, platform.id)
        if not enabled:
            raise HTTPException(status_code=404)

    gate.module_code = code  # type: ignore[attr-defined]
    return gate


@route_guard
def store_in_path(
    store_code: str = Path(description="The store's code; the store must be one the caller works for."),
) -> None:
    """Declare the ``{store_code}`` of the store API's prefix as a path parameter, so the API's
    description (/openapi.json) names every parameter of its paths. Nothing to check: the
    platform middleware resolved the store from the path before the route runs."""


def find_router(module: ModuleDefinition, route_file: RouteFile) -> ModuleRouter | None:
    """The router exported by one of the module's route files, if the file exists."""
    dotted = f"{module.package}.{route_file.module_suffix}"
    try:
        if importlib.util.find_spec(dotted) is None:
            return None
    except ModuleNotFoundError:
        return None
    loaded = importlib.import_module(dotted)
    for name in ROUTER_NAMES:
        router = getattr(loaded, name, None)
        if isinstance(router, ModuleRouter):
            return router
        if router is not None:
            raise RuntimeError(f"{dotted}.{name} is a {type(router).__name__}, not a ModuleRouter "
                               "(from orion_server.routing import ModuleRouter)")
    raise RuntimeError(f"{dotted} exports no ModuleRouter named router, admin_router or store_router")


def include_module_routes(app: FastAPI, modules: list[ModuleDefinition]) -> list[str]:
    """Build the routes of every discovered route file on ``app``; returns ``code:kind/frontend``
    for each mounted file."""
    with signatures_read_once():
        return _include(app, modules)


def _include(app: FastAPI, modules: list[ModuleDefinition]) -> list[str]:
    mounted = []
    for route_file in ROUTE_FILES:
        for module in modules:
            router = find_router(module, route_file)
            if router is None:
                continue
            dependencies = [Depends(module_gate(module.code))]
            if not router.csrf_exempt:
                dependencies.extend(CsrfProtected)
            dependencies.append(Depends(refuse_nul))
            if route_file.kind == "pages":
                dependencies.append(Depends(refuse_impossible_ids))
            else:
                dependencies.append(Depends(refuse_booleans_for_numbers))
            if route_file.kind == "api" and route_file.frontend is FrontendType.STORE:
                dependencies.append(Depends(store_in_path))
            if route_file.frontend is FrontendType.STOREFRONT:
                dependencies.append(Depends(storefront_shopper_language))
            prefix = route_file.prefix(module.code)
            for path, endpoint, options in router.build_arguments():
                options["dependencies"] = [*dependencies, *options["dependencies"]]
                options["tags"] = [module.code, *(options.get("tags") or [])]
                if route_file.kind != "api":
                    options["include_in_schema"] = False
                app.router.add_api_route(prefix + path, endpoint, **options)
                route = app.router.routes[-1]
                if route_file.kind == "api" and isinstance(route, APIRoute):
                    document_errors(route)
            mounted.append(f"{module.code}:{route_file.kind}/{route_file.frontend.value}")
    return mounted
