"""Public pages of the core module: a platform's home with its stores."""

from __future__ import annotations

from fastapi import Request
from fastapi.responses import Response
from sqlalchemy import select

from orion_server.deps import CurrentPlatform, SessionDep
from orion_server.models import Store
from orion_server.modules.context import get_platform_context
from orion_server.routing import ModuleRouter
from orion_server.templating import render

router = ModuleRouter()


@router.get("/")
def platform_home(request: Request, db: SessionDep, platform: CurrentPlatform) -> Response:
    """The platform's home page listing its stores."""
    stores = db.scalars(
        select(Store).where(Store.platform_id == platform.id, Store.is_active.is_(True)).order_by(Store.name)
    ).all()
    listing = [
        {"name": s.name, "url": f"/platforms/{platform.code}/storefront/{s.code}/"} for s in stores
    ]
    context = get_platform_context(request, db, page_title=platform.name, stores=listing)
    return render(request, "core/platform/home.html", context)
