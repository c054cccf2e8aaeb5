"""Storefront pages of the Content module: a content page as a shopper sees it, and what
search engines read first: ``robots.txt`` and the sitemaps (``services.sitemap_service``)."""

from __future__ import annotations

from fastapi import HTTPException, Request
from fastapi.responses import PlainTextResponse, Response

from modules.cms.routes.sitemap_files import SITEMAP_CACHE, sitemap_response
from modules.cms.services import content_page_service
from modules.cms.services.sitemap_service import INDEX, sitemap_service
from orion_server.deps import CurrentPlatform, CurrentStore, PublicPage, SessionDep, storefront_root
from orion_server.errors import NotFoundError
from orion_server.modules.context import get_storefront_context
from orion_server.routing import ModuleRouter
from orion_server.seo import description_from, storefront_site
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


@router.get("/robots.txt")
def robots(request: Request, store: CurrentStore) -> Response:
    """What crawlers may walk: not the cart, the checkout, the account or the dashboards;
    where the sitemap is."""
    root = storefront_root(request)
    text = sitemap_service.robots(root=root, site=storefront_site(request) or root)
    return PlainTextResponse(text, headers={"Cache-Control": SITEMAP_CACHE})


def _sitemap(request: Request, db: SessionDep, store: CurrentStore, name: str) -> Response:
    body = sitemap_service.read(db, store_id=store.id, name=name, site=storefront_site(request) or "/")
    return sitemap_response(request, body, sitemap_service.modified(db, name=name, store_id=store.id))


@router.get("/sitemap.xml")
def sitemap_index(request: Request, db: SessionDep, store: CurrentStore) -> Response:
    """The index of the store's sitemaps, one per language."""
    return _sitemap(request, db, store, INDEX)


@router.get("/sitemaps/{sitemap}")
def sitemap_file(request: Request, sitemap: str, db: SessionDep, store: CurrentStore) -> Response:
    """One sitemap (``fr-1.xml``): the store's pages in one language."""
    return _sitemap(request, db, store, sitemap)
