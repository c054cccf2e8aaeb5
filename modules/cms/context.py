"""What the content module adds to pages: header, footer and legal pages, titled in the
request's language."""

from __future__ import annotations

from typing import Any

from modules.cms.services import content_page_service, structured_data
from orion_server.seo import storefront_site


def _language(request: Any) -> str | None:
    return getattr(request.state, "language", None)


def platform_context(request: Any, db: Any, platform: Any) -> dict[str, Any]:
    """Header, footer and legal pages of the platform, titled in the request's language."""
    if platform is None:
        return {"header_pages": [], "footer_pages": [], "legal_pages": []}
    return content_page_service.navigation(db, platform_id=platform.id, store_id=None, language=_language(request))


def storefront_context(request: Any, db: Any, platform: Any) -> dict[str, Any]:
    """Header and footer pages of the request's store (its own pages override the platform's)."""
    store = getattr(request.state, "store", None)
    if store is None or platform is None:
        return {"header_pages": [], "footer_pages": []}
    language = _language(request) or store.default_language
    links = content_page_service.navigation(db, platform_id=platform.id, store_id=store.id, language=language)
    site = storefront_site(request, platform) or "/"
    return {
        "header_pages": links["header_pages"],
        "footer_pages": links["footer_pages"],
        "site_structured_data": [
            structured_data.organization_data(store, site=site),
            structured_data.website_data(store, site=site, language=language),
        ],
    }
