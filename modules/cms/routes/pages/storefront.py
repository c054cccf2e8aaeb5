"""Storefront pages of the Content module: a content page as a shopper sees it."""

from __future__ import annotations

from fastapi import HTTPException, Request
from fastapi.responses import Response

from modules.cms.services import content_page_service
from orion_server.deps import CurrentPlatform, CurrentStore, PublicPage, SessionDep
from orion_server.errors import NotFoundError
from orion_server.modules.context import get_storefront_context
from orion_server.routing import ModuleRouter
from orion_server.seo import description_from
from orion_server.templating import render

router = ModuleRouter()


@router.get("/pages/{slug}", dependencies=[PublicPage])
def content_page(
    request: Request, slug: str, db: SessionDep, store: CurrentStore, platform: CurrentPlatform
) -> Response:
    """The store's page with this slug, else the platform's; 404 when none is published."""
    try:
        page = content_page_service.get_page_for_store(
            db,
            platform_id=platform.id,
            store_id=store.id,
            slug=slug,
            language=request.state.language,
        )
    except NotFoundError:
        raise HTTPException(status_code=404) from None
    context = get_storefront_context(
        request,
        db,
        page_title=page.title,
        page=page,
        active=f"page-{page.slug}",
        seo_type="article",
        seo_description=description_from(page.seo_description or page.body) or None,
    )
    return render(request, "cms/storefront/page.html", context)
