"""``ModuleRouter``: the router of a module's route file.

A route file declares its routes as with FastAPI's ``APIRouter`` (``@router.get(...)``,
``router.include_router(other_file_router)``), and the framework builds each route once, when
it mounts the file with its prefix and the dependencies every module route gets
(``orion_server.modules.routes``). A plain ``APIRouter`` builds every route where it is
declared, analysing the endpoint's dependencies and models, and FastAPI builds it again where
the router is included: half of the server's start-up went into routes built twice, and the
first request to each router paid for the second build. Routes of a ``ModuleRouter`` are
built before the server answers ``/health/ready``, once.

While the framework builds them, ``signatures_read_once()`` lets FastAPI read each callable's
signature once instead of once per route that uses it.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from fastapi import APIRouter
from fastapi.params import Depends


@dataclass(frozen=True)
class DeclaredRoute:
    """A route as its file declared it, not built yet."""

    path: str
    endpoint: Callable[..., Any]
    options: dict[str, Any]
    """The keyword arguments of ``APIRouter.add_api_route`` (methods, response_model, ...)."""
    router_dependencies: tuple[Depends, ...] = ()
    """Dependencies of the routers it was declared in, below the one mounted (outermost first)."""


class ModuleRouter(APIRouter):
    """Routes of a module's route file, built when the framework mounts the file.

    ``dependencies`` apply to every route of this router (after the framework's own: the
    module gate, CSRF, input checks). ``csrf_exempt=True`` drops the CSRF check, for webhooks
    that carry their provider's signature instead.
    """

    def __init__(self, *, dependencies: Sequence[Depends] | None = None, csrf_exempt: bool = False) -> None:
        super().__init__(dependencies=list(dependencies or []))
        self.csrf_exempt = csrf_exempt
        self.declared: list[DeclaredRoute] = []

    def add_api_route(self, path: str, endpoint: Callable[..., Any], **options: Any) -> None:
        """Record the route (every ``@router.get``/``post``/... comes here)."""
        self.declared.append(DeclaredRoute(path, endpoint, options))

    def include_router(self, router: APIRouter, *, prefix: str = "", **options: Any) -> None:  # type: ignore[override]
        """Take the routes of another route file's router (of this module), under ``prefix``."""
        if not isinstance(router, ModuleRouter):
            raise TypeError("a ModuleRouter includes only ModuleRouters (declare the other file's router as one)")
        if options:
            raise TypeError(f"ModuleRouter.include_router takes a prefix only, not {', '.join(sorted(options))}")
        for route in router.declared:
            self.declared.append(DeclaredRoute(prefix + route.path, route.endpoint, route.options,
                                               (*router.dependencies, *route.router_dependencies)))

    def build_arguments(self) -> Iterator[tuple[str, Callable[..., Any], dict[str, Any]]]:
        """Each declared route as ``add_api_route`` arguments, its routers' dependencies first."""
        if self.routes:
            raise TypeError("a ModuleRouter carries routes declared with get/post/put/patch/delete/api_route only, "
                            f"not {', '.join(type(route).__name__ for route in self.routes)}")
        for route in self.declared:
            options = dict(route.options)
            options["dependencies"] = [*self.dependencies, *route.router_dependencies,
                                       *(options.get("dependencies") or [])]
            yield route.path, route.endpoint, options


@contextmanager
def signatures_read_once() -> Iterator[None]:
    """While routes are built, FastAPI reads each callable's typed signature once.

    FastAPI reads a dependency's signature (``inspect.signature``, evaluating the string
    annotations of modules with ``from __future__ import annotations``) every time a route uses
    it: some 4,000 readings of 260 callables for Orion's routes, a third of building them. A
    callable's signature does not change while the app is built, so the first reading serves
    every route; FastAPI's own function is back in place when the build ends."""
    from fastapi.dependencies import utils

    original = getattr(utils, "get_typed_signature", None)
    if original is None:  # a FastAPI that reads signatures differently: build as it does
        yield
        return
    read: dict[int, tuple[Callable[..., Any], inspect.Signature]] = {}

    def get_typed_signature(call: Callable[..., Any]) -> inspect.Signature:
        known = read.get(id(call))
        if known is not None and known[0] is call:
            return known[1]
        signature = original(call)
        read[id(call)] = (call, signature)  # the callable is kept, so its id is not reused
        return signature

    utils.get_typed_signature = get_typed_signature
    try:
        yield
    finally:
        utils.get_typed_signature = original
