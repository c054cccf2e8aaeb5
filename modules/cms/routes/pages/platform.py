"""Public platform pages of the Content module: a platform's content page, and what search
engines read first on the platform's site: ``robots.txt`` and its sitemaps."""

from __future__ import annotations

from fastapi import HTTPException, Request
from fastapi.responses import PlainTextResponse, Response

from modules.cms.routes.sitemap_files import SITEMAP_CACHE, sitemap_response
from modules.cms.services import content_page_service
from modules.cms.services.sitemap_service import INDEX, sitemap_service
from orion_server.deps import CurrentPlatform, SessionDep
from orion_server.errors import NotFoundError
from orion_server.modules.context import get_platform_context
from orion_server.routing import ModuleRouter
from orion_server.seo import platform_site
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


@router.get("/robots.txt")
def robots(request: Request, db: SessionDep, platform: CurrentPlatform) -> Response:
    """What crawlers may walk on the platform's site, and where its sitemaps are (at the root
    of a host, the path-mode storefronts' too)."""
    site = platform_site(request)
    root = getattr(request.state, "platform_root", None) or "/"
    text = sitemap_service.platform_robots(db, platform_id=platform.id, site=site, at_host_root=root == "/",
                                           scheme=site.split(":", 1)[0])
    return PlainTextResponse(text, headers={"Cache-Control": SITEMAP_CACHE})


def _sitemap(request: Request, db: SessionDep, platform: CurrentPlatform, name: str) -> Response:
    body = sitemap_service.read_platform(db, platform_id=platform.id, name=name, site=platform_site(request))
    return sitemap_response(request, body, sitemap_service.modified(db, name=name, platform_id=platform.id))


@router.get("/sitemap.xml")
def sitemap_index(request: Request, db: SessionDep, platform: CurrentPlatform) -> Response:
    """The index of the platform's own sitemaps, one per language."""
    return _sitemap(request, db, platform, INDEX)


@router.get("/sitemaps/{sitemap}")
def sitemap_file(request: Request, sitemap: str, db: SessionDep, platform: CurrentPlatform) -> Response:
    """One sitemap (``fr-1.xml``): the platform's pages in one language."""
    return _sitemap(request, db, platform, sitemap)
