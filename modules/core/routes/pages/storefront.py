"""Storefront pages of the core module: the shop's home and its logo."""

from __future__ import annotations

from fastapi import Request
from fastapi.responses import FileResponse, Response

from orion_server.deps import CurrentStore, PublicPage, SessionDep
from orion_server.errors import NotFoundError
from orion_server.modules.context import get_storefront_context
from orion_server.routing import ModuleRouter
from orion_server.templating import render
from orion_server.tenancy import logo_path

router = ModuleRouter()


@router.get("/", dependencies=[PublicPage])
def storefront_home(request: Request, db: SessionDep, store: CurrentStore) -> Response:
    """The home page of a store's shop."""
    context = get_storefront_context(request, db, page_title=store.name)
    return render(request, "core/storefront/home.html", context)


@router.get("/logo")
def storefront_logo(store: CurrentStore) -> Response:
    """The store's logo (WebP); its address carries the file name, so it may be cached long."""
    path = logo_path(store.id, store.logo_file)
    if path is None:
        raise NotFoundError("this store has no logo")
    return FileResponse(path, media_type="image/webp", headers={"Cache-Control": "public, max-age=86400"})
