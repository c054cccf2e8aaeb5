"""What the catalog's page and API routes share."""

from __future__ import annotations

from modules.catalog.services.catalog_service import SORTS
from orion_server.i18n import t

SORT_CHOICES = [s for s in SORTS if s != "relevance"]


def sort_options(language: str) -> list[tuple[str, str]]:
    return [(sort, t(f"catalog.sort.{sort}", language)) for sort in SORT_CHOICES]


def ordered_languages(preferred: tuple[str, ...] | list[str], default: str) -> list[str]:
    """The store's languages, the default first."""
    from orion_server.config import SUPPORTED_LANGUAGES

    languages = [lang for lang in preferred if lang in SUPPORTED_LANGUAGES] or list(
        SUPPORTED_LANGUAGES
    )
    if default in languages:
        languages.remove(default)
    if default in SUPPORTED_LANGUAGES:
        languages.insert(0, default)
    return languages
