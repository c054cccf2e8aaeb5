"""Storefront pages of the core module: the shop's home."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from orion_server.deps import CurrentStore, SessionDep
from orion_server.modules.context import get_storefront_context
from orion_server.templating import render

router = APIRouter()


@router.get("/")
def storefront_home(request: Request, db: SessionDep, store: CurrentStore) -> Response:
    """The home page of a store's shop."""
    context = get_storefront_context(request, db, page_title=store.name)
    return render(request, "core/storefront/home.html", context)
