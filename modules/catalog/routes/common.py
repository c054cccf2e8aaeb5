"""What the catalog's page and API routes share."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from fastapi import HTTPException, Request
from starlette.datastructures import FormData

from modules.catalog.services.catalog_service import SORTS
from orion_server.errors import NotFoundError
from orion_server.i18n import t

SORT_CHOICES = [s for s in SORTS if s != "relevance"]


def not_found_as_404() -> Iterator[None]:
    """Router dependency: a missing record shows the translated 404 page."""
    try:
        yield
    except NotFoundError:
        raise HTTPException(status_code=404) from None


async def read_form(request: Request) -> FormData:
    """The posted form (a dependency, so handlers can stay synchronous)."""
    return await request.form()


def page_number(value: Any) -> int:
    """A page number from the query string; anything odd means page 1."""
    try:
        number = int(str(value))
    except (TypeError, ValueError):
        return 1
    return min(max(number, 1), 100_000)


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
