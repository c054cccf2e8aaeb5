"""Content: models."""

from modules.cms.models.content_page import ContentPage, ContentPageTranslation

__all__ = ["ContentPage", "ContentPageTranslation"]
