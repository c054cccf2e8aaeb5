"""Public platform pages of the Content module: a platform's content page."""

from __future__ import annotations

from fastapi import HTTPException, Request
from fastapi.responses import Response

from modules.cms.services import content_page_service
from orion_server.deps import CurrentPlatform, SessionDep
from orion_server.errors import NotFoundError
from orion_server.modules.context import get_platform_context
from orion_server.routing import ModuleRouter
from orion_server.templating import render

router = ModuleRouter()


@router.get("/pages/{slug}")
def content_page(
    request: Request, slug: str, db: SessionDep, platform: CurrentPlatform
) -> Response:
    """The platform's published page with this slug; 404 when there is none."""
    try:
        page = content_page_service.get_platform_page(
            db, platform_id=platform.id, slug=slug, language=request.state.language
        )
    except NotFoundError:
        raise HTTPException(status_code=404) from None
    context = get_platform_context(
        request, db, page_title=page.title, page=page, active=f"page-{page.slug}"
    )
    return render(request, "cms/platform/page.html", context)
