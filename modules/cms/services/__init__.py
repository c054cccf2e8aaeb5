"""Content: services."""

from modules.cms.services.content_page_service import (
    ContentPageService,
    PageLink,
    PageView,
    content_page_service,
)

__all__ = ["ContentPageService", "PageLink", "PageView", "content_page_service"]
